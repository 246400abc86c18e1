/**
 * What the platform does when a function cannot answer, and failures a developer injects: a
 * hanging function is ended at its timeout (-504003), a crashing one answers -504002, the
 * emulator keeps serving meanwhile; a fault set through /emulator/faults reaches a function's
 * SDK call, or the mini program's call itself.
 */
import { startTestCloud, type TestCloud } from './harness';

const ALICE = { openid: 'oAlice0000000000000000000001' };

let cloud: TestCloud;
beforeEach(async () => {
  cloud = await startTestCloud();
});
afterEach(() => cloud.close());

const faults = (body: unknown) => cloud.post('/emulator/faults', JSON.stringify(body));

describe('functions that do not answer', () => {
  it('a hanging function is ended at its timeout with -504003, while other calls are served', async () => {
    const hanging = cloud.call('hang', {}, ALICE);
    const login = await cloud.call('login', {}, ALICE);
    expect(login).toMatchObject({ status: 200, body: { ok: true } });
    expect(await hanging).toEqual({
      status: 504,
      body: {
        error: 'errCode: -504003  | errMsg: Invoking task timed out after 1 seconds',
        errCode: -504003,
        errMsg: 'cloud.callFunction:fail Error: errCode: -504003  | errMsg: Invoking task timed out after 1 seconds',
      },
    });
    // Its instance was killed; the next call gets a new one.
    expect((await cloud.call('hang', {}, ALICE)).status).toBe(504);
  });

  it('a function whose process dies answers -504002, and the next call of it runs again', async () => {
    for (let round = 0; round < 2; round += 1) {
      const { status, body } = await cloud.call('crash', {}, ALICE);
      expect(status).toBe(502);
      expect(body).toMatchObject({
        errCode: -504002,
        errMsg: expect.stringMatching(/^cloud\.callFunction:fail Error: errCode: -504002 .*crashed outside the call/),
      });
    }
    expect(await cloud.call('login', {}, ALICE)).toMatchObject({ status: 200, body: { ok: true } });
    expect(cloud.logs).toContainEqual({
      level: 'warn',
      record: expect.objectContaining({ event: 'instance-ended', fn: 'crash', cause: 'crash' }),
    });
  });
});

describe('faults injected through /emulator/faults', () => {
  it("reach a function's database call: login answers INTERNAL, and the next login succeeds", async () => {
    const added = await faults({
      op: 'add',
      fault: { action: 'database.getDocument', collection: 'users', error: { code: 'DATABASE_REQUEST_FAILED' } },
    });
    expect(added.status).toBe(200);
    expect(await cloud.call('login', {}, ALICE)).toMatchObject({
      status: 200,
      body: { ok: false, error: { code: 'INTERNAL' } },
    });
    expect(await cloud.call('login', {}, ALICE)).toMatchObject({
      status: 200,
      body: { ok: true, data: { isNewUser: true } },
    });
    expect((await faults({ op: 'list' })).body).toMatchObject({
      faults: [{ matched: 2, hit: 1 }],
    });
  });

  it("reach a function's own SDK error handling (the nth matching call only)", async () => {
    await faults({
      op: 'add',
      fault: {
        action: 'database.calculateDocument',
        nth: 2,
        error: { code: 'DATABASE_PERMISSION_DENIED', message: 'no' },
      },
    });
    const counts = [];
    for (let i = 0; i < 3; i += 1) counts.push((await cloud.call('sdk-tour', { tour: 'readUsers' }, ALICE)).body);
    expect(counts).toEqual([
      { ok: true, value: { total: 0, errMsg: 'collection.count:ok' } },
      { ok: false, errCode: -502003, errMsg: 'collection.count:fail -502003 database permission denied. no' },
      { ok: true, value: { total: 0, errMsg: 'collection.count:ok' } },
    ]);
  });

  it("fail the mini program's call of a function with the platform's error", async () => {
    await faults({
      op: 'add',
      fault: {
        function: 'login',
        action: 'functions.invokeFunction',
        error: { code: 'FUNCTIONS_EXECUTE_FAIL', message: 'injected' },
      },
    });
    expect(await cloud.call('login', {}, ALICE)).toEqual({
      status: 502,
      body: {
        error: 'errCode: -504002 functions execute fail | errMsg: injected',
        errCode: -504002,
        errMsg: 'cloud.callFunction:fail Error: errCode: -504002 functions execute fail | errMsg: injected',
      },
    });
    expect(await cloud.call('login', {}, ALICE)).toMatchObject({ status: 200, body: { ok: true } });
  });

  it('refuses a malformed fault, and clears them', async () => {
    expect((await faults({ op: 'add', fault: { error: { code: '1bad' } } })).status).toBe(400);
    await faults({ op: 'add', fault: { action: 'database.getDocument', times: 100, error: { code: 'SYS_ERR' } } });
    expect((await faults({ op: 'clear' })).body).toEqual({ faults: [] });
    expect(await cloud.call('login', {}, ALICE)).toMatchObject({ status: 200, body: { ok: true } });
  });
});

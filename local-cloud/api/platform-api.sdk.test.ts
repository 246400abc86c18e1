/** The platform API's gatekeeping and fault injection, seen through the real wx-server-sdk. */
import { databaseStub } from './test-support/database-stub';
import { ENV_ID, startPlatformFixture, tc3Authorization, type PlatformFixture } from './test-support/platform-fixture';

const ALICE = 'oAlice0000000000000000000001';
const GET_DOC = {
  action: 'database.getDocument',
  collectionName: 'users',
  query: '{"_id":"u1"}',
  queryType: 'DOC',
  envName: ENV_ID,
};

let fx: PlatformFixture;
beforeEach(async () => {
  fx = await startPlatformFixture({ actions: [databaseStub({ u1: { name: 'alice' } })] });
});
afterEach(() => fx.close());

const addFault = (fault: unknown) =>
  fx.request({
    path: '/emulator/faults',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ op: 'add', fault }),
  });

describe('who may call the platform API', () => {
  it('refuses an SDK that does not hold this run`s credential', async () => {
    const outcome = await fx.sdk(
      fx.tokenFor('login', ALICE),
      `return cloud.database().collection('users').doc('u1').get();`,
      {
        TENCENTCLOUD_SECRETID: 'AKIDsomeoneElse',
      },
    );
    expect(outcome.error).toMatchObject({ errCode: -501001, errMsg: expect.stringContaining('401 Unauthorized') });
    const owned = await fx.sdk(
      fx.tokenFor('login', ALICE),
      `return cloud.database().collection('users').doc('u1').get();`,
    );
    expect(owned.result).toEqual({ data: { _id: 'u1', name: 'alice' }, errMsg: 'document.get:ok' });
  });

  it('refuses requests without the credential, and any from a web page', async () => {
    const body = JSON.stringify(GET_DOC);
    expect((await fx.request({ headers: { 'content-type': 'application/json' }, body })).status).toBe(401);
    const page = await fx.request({
      headers: { 'content-type': 'application/json', authorization: tc3Authorization(fx.secretId), origin: fx.url },
      body,
    });
    expect(page.status).toBe(403);
    const rebound = await fx.request({
      headers: {
        'content-type': 'application/json',
        authorization: tc3Authorization(fx.secretId),
        host: 'evil.example:80',
      },
      body,
    });
    expect(rebound.status).toBe(403);
    expect((await fx.request({ body })).body).toContain('"data":{"list":[');
    expect(
      fx.logs.filter(({ record }) => record.event === 'platform-api-refused').map(({ record }) => record.reason),
    ).toEqual(['credential', 'origin', 'host']);
  });

  it('answers the platform`s env error for another environment', async () => {
    const outcome = await fx.sdk(
      fx.tokenFor('login', ALICE),
      `return cloud.database({ env: 'other-env' }).collection('users').doc('u1').get();`,
    );
    expect(outcome.error).toMatchObject({
      errCode: -501005,
      errMsg: expect.stringMatching(/^document.get:fail -501005 invalid env\. env "other-env" does not exist/),
    });
  });

  it('answers an action it does not emulate with a message saying so', async () => {
    const answer = await fx.request({ body: JSON.stringify({ action: 'database.fancyNewThing', envName: ENV_ID }) });
    expect(JSON.parse(answer.body)).toEqual({
      requestId: expect.any(String),
      code: 'NOT_EMULATED',
      message: 'the action "database.fancyNewThing" is not emulated by the local CloudBase emulator',
    });
  });

  it('bounds the body it reads', async () => {
    const answer = await fx.request({ body: JSON.stringify({ ...GET_DOC, pad: 'x'.repeat(17 * 1024 * 1024) }) });
    expect(answer.status).toBe(413);
  });
});

describe('fault injection', () => {
  it('fails the nth matching operation with the given platform error, as the SDK shows it', async () => {
    const added = await addFault({
      action: 'database.getDocument',
      collection: 'users',
      function: 'getProfile',
      nth: 2,
      error: { code: 'DATABASE_COLLECTION_NOT_EXIST', message: '[ResourceNotFound] Db or Table not exist.' },
    });
    expect(added.status).toBe(200);
    const script = `
      const results = [];
      for (let i = 0; i < 3; i += 1) {
        try { results.push((await cloud.database().collection('users').doc('u1').get()).data.name); }
        catch (error) { results.push(error); }
      }
      return results;
    `;
    // Another function's reads do not count.
    expect((await fx.sdk(fx.tokenFor('login', ALICE), script)).result).toEqual(['alice', 'alice', 'alice']);
    expect((await fx.sdk(fx.tokenFor('getProfile', ALICE), script)).result).toEqual([
      'alice',
      expect.objectContaining({
        errCode: -502005,
        errMsg: 'document.get:fail -502005 database collection not exists. [ResourceNotFound] Db or Table not exist.',
      }),
      'alice',
    ]);
    const listed = await fx.request({
      path: '/emulator/faults',
      headers: { 'content-type': 'application/json' },
      body: '{"op":"list"}',
    });
    expect(JSON.parse(listed.body)).toMatchObject({ faults: [{ id: 1, matched: 3, hit: 1 }] });
  });

  it('delays an operation', async () => {
    await addFault({ action: 'storage.batchDeleteFile', delayMs: 400 });
    const outcome = await fx.sdk(
      fx.tokenFor('login', ALICE),
      `const started = Date.now(); await cloud.deleteFile({ fileList: ['cloud://x/y'] }); return Date.now() - started;`,
    );
    expect(outcome.result).toBeGreaterThanOrEqual(400);
  });

  it('is managed only with JSON from the emulator`s own origin', async () => {
    const fault = JSON.stringify({ op: 'add', fault: { action: 'x', delayMs: 1 } });
    const form = await fx.request({ path: '/emulator/faults', headers: { 'content-type': 'text/plain' }, body: fault });
    expect(form.status).toBe(415);
    const page = await fx.request({
      path: '/emulator/faults',
      headers: { 'content-type': 'application/json', origin: 'http://localhost:5173' },
      body: fault,
    });
    expect(page.status).toBe(403);
    const own = await fx.request({
      path: '/emulator/faults',
      headers: { 'content-type': 'application/json', origin: fx.url },
      body: fault,
    });
    expect(own.status).toBe(200);
    const bad = await fx.request({
      path: '/emulator/faults',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ op: 'add', fault: { delayMs: 1, colection: 'typo' } }),
    });
    expect(bad).toMatchObject({ status: 400, body: expect.stringContaining('unknown fault field') });
    const cleared = await fx.request({
      path: '/emulator/faults',
      headers: { 'content-type': 'application/json' },
      body: '{"op":"clear"}',
    });
    expect(JSON.parse(cleared.body)).toEqual({ faults: [] });
  });
});

/**
 * The HTTP surface: bad requests get a clear 4xx; a function the platform cannot run (unknown,
 * throwing) the platform's error; and the server keeps serving.
 */
import { startTestCloud, type TestCloud } from './harness';

const ALICE = { openid: 'oAlice0000000000000000000001' };

let cloud: TestCloud;
beforeAll(async () => {
  cloud = await startTestCloud();
});
afterAll(() => cloud.close());

const message = (body: unknown) => (body as { error: string }).error;

describe('local cloud HTTP errors', () => {
  it('answers 404 for an unknown function, with the errCode wx.cloud.callFunction gives', async () => {
    const { status, body } = await cloud.call('deleteEverything', {}, ALICE);
    expect(status).toBe(404);
    expect(body).toEqual({
      error: expect.stringMatching(/FunctionName parameter could not be found/),
      errCode: -501000,
      errMsg: expect.stringMatching(/^cloud\.callFunction:fail Error: errCode: -501000 .*FunctionName parameter/),
    });
  });

  it('answers 400 for malformed JSON, a missing caller, a bad openid or non-object data', async () => {
    const cases = [
      '{"data": {',
      '[]',
      JSON.stringify({ data: {} }),
      JSON.stringify({ data: {}, caller: { openid: '' } }),
      JSON.stringify({ data: {}, caller: { openid: 'o/../x' } }),
      JSON.stringify({ data: {}, caller: { openid: 'oA', unionid: 5 } }),
      JSON.stringify({ data: [1], caller: ALICE }),
    ];
    for (const body of cases) {
      const answer = await cloud.post('/functions/login', body);
      expect(answer.status).toBe(400);
      expect(typeof message(answer.body)).toBe('string');
    }
  });

  it('answers 413 for a body over the limit', async () => {
    const big = JSON.stringify({ data: { blob: 'x'.repeat(1024 * 1024) }, caller: ALICE });
    const { status, body } = await cloud.post('/functions/login', big);
    expect(status).toBe(413);
    expect(message(body)).toMatch(/larger than/);
  });

  it("answers 502 with the platform's -504002 when a function throws, logs it without personal data, and keeps serving", async () => {
    const { status, body } = await cloud.call('crash', { throw: true }, ALICE);
    expect(status).toBe(502);
    // As on the platform, the caller sees the function's error; the emulator's log does not.
    expect(body).toEqual({
      error: expect.stringMatching(/^errCode: -504002 functions execute fail \| errMsg: Error: thrown for /),
      errCode: -504002,
      errMsg: expect.stringMatching(/^cloud\.callFunction:fail Error: errCode: -504002 /),
    });
    expect(cloud.logs).toContainEqual({
      level: 'error',
      record: expect.objectContaining({ event: 'function-failed', fn: 'crash', kind: 'error', errCode: -504002 }),
    });
    expect(JSON.stringify(cloud.logs)).not.toContain(ALICE.openid);
    expect((await cloud.call('login', {}, ALICE)).status).toBe(200);
  });

  it('answers 400 for a bad cloudID request and 405 for a wrong method', async () => {
    expect(
      (await cloud.post('/open-data/cloud-id', JSON.stringify({ caller: ALICE, data: { gender: 7 } }))).status,
    ).toBe(400);
    expect((await cloud.post('/open-data/cloud-id', JSON.stringify({ data: {} }))).status).toBe(400);
    expect((await fetch(`${cloud.url}/functions/login`)).status).toBe(405);
  });

  it('answers 400 for an upload that is not multipart or lacks fields', async () => {
    expect((await cloud.post('/storage/upload', '{}')).status).toBe(400);
    const form = new FormData();
    form.append('cloudPath', 'avatars/x/1.png');
    form.append('openid', ALICE.openid);
    const headers = { 'X-Local-Cloud': '1' };
    expect((await fetch(`${cloud.url}/storage/upload`, { method: 'POST', body: form, headers })).status).toBe(400);
  });

  it('reports health', async () => {
    const response = await fetch(`${cloud.url}/health`);
    expect(await response.json()).toMatchObject({
      ok: true,
      env: 'local-env',
      functions: expect.arrayContaining(['login']),
    });
  });
});

/**
 * Emulated content security end to end: a developer's function (fixtures/content-check) calls
 * msgSecCheck and mediaCheckAsync; the verdict of a media check is delivered from the admin
 * route as the pushed wxa_media_check event to the message-push function (fixtures/push-receiver).
 */
import type { LocalCloudConfig } from '../config';
import { startTestCloud, type TestCloud } from './harness';

const ALICE = { openid: 'oAlice0000000000000000000001' };
const JSON_HEADERS = { 'Content-Type': 'application/json' };

let cloud: TestCloud;
const start = async (config: Partial<LocalCloudConfig> = {}) => {
  cloud = await startTestCloud({ config: { messagePush: { wxa_media_check: 'push-receiver' }, ...config } });
};
afterEach(() => cloud.close());

const get = async (route: string) => {
  const response = await fetch(`${cloud.url}${route}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const suggestOf = async (text: string) =>
  ((await cloud.call('content-check', { text }, ALICE)).body as { value?: { result: { suggest: string } } }).value
    ?.result.suggest;

interface Submitted {
  fileID: string;
  mediaUrl: string;
  check: { ok: boolean; value: { traceId: string } };
}
const submitImage = async () => (await cloud.call('content-check', {}, ALICE)).body as Submitted;

describe('security.msgSecCheck in the emulator', () => {
  beforeEach(() => start());

  it('judges by the default word list, and by the list set at run time', async () => {
    expect(await suggestOf('小红')).toBe('pass');
    expect(await suggestOf('这是违禁词')).toBe('risky');
    expect(await suggestOf('这是待审词')).toBe('review');
    const set = await cloud.post('/emulator/content-safety', JSON.stringify({ riskyWords: ['坏人'] }));
    expect(set).toEqual({ status: 200, body: { riskyWords: ['坏人'], reviewWords: ['待审词'] } });
    expect((await get('/emulator/content-safety')).body).toEqual({ riskyWords: ['坏人'], reviewWords: ['待审词'] });
    expect(await suggestOf('我是坏人')).toBe('risky');
    expect(await suggestOf('这是违禁词')).toBe('pass');
  });

  it('refuses a malformed word list, changing nothing', async () => {
    const bad = await cloud.post('/emulator/content-safety', JSON.stringify({ riskyWords: 'a,b' }));
    expect(bad.status).toBe(400);
    expect((await get('/emulator/content-safety')).body).toEqual({ riskyWords: ['违禁词'], reviewWords: ['待审词'] });
  });

  it('fails under a fault injected for its apiName', async () => {
    const fault = {
      action: 'wx.openApi',
      apiName: 'security.msgSecCheck',
      error: { code: 'SYS_ERR', message: 'down' },
    };
    expect((await cloud.post('/emulator/faults', JSON.stringify({ op: 'add', fault }))).status).toBe(200);
    expect((await cloud.call('content-check', { text: 'x' }, ALICE)).body).toMatchObject({
      ok: false,
      errCode: -501001,
    });
    expect((await submitImage()).check.ok).toBe(true);
  });
});

describe('security.mediaCheckAsync and the pushed verdict', () => {
  it('lists the pending check and delivers the verdict as a platform push, without OPENID', async () => {
    await start();
    const { fileID, mediaUrl, check } = await submitImage();
    const { traceId } = check.value;
    expect((await get('/emulator/media-checks')).body).toEqual({
      checks: [{ traceId, mediaUrl, fileID, openid: ALICE.openid, at: expect.any(Number) }],
      dropped: 0,
    });
    const delivered = await cloud.post(
      '/emulator/media-checks/deliver',
      JSON.stringify({ traceId, suggest: 'risky', label: 20002 }),
    );
    expect(delivered.status).toBe(200);
    const { function: receiver, result } = delivered.body as {
      function: string;
      result: { event: Record<string, unknown>; context: Record<string, unknown> };
    };
    expect(receiver).toBe('push-receiver');
    expect(result.event).toEqual({
      ToUserName: expect.stringMatching(/^gh_/),
      FromUserName: ALICE.openid,
      CreateTime: expect.any(Number),
      MsgType: 'event',
      Event: 'wxa_media_check',
      appid: cloud.server.runtime.config.appid,
      trace_id: traceId,
      version: 2,
      detail: [{ strategy: 'content_model', errcode: 0, suggest: 'risky', label: 20002, prob: 90 }],
      errcode: 0,
      errmsg: 'ok',
      result: { suggest: 'risky', label: 20002 },
    });
    expect(result.context.OPENID).toBeUndefined();
    expect(result.context.APPID).toBe(cloud.server.runtime.config.appid);
    expect((await get('/emulator/media-checks')).body).toEqual({ checks: [], dropped: 0 });
    const again = await cloud.post('/emulator/media-checks/deliver', JSON.stringify({ traceId, suggest: 'pass' }));
    expect(again.status).toBe(404);
  });

  it('refuses a malformed verdict, and says when no function receives the push', async () => {
    await start({ messagePush: { wxa_media_check: 'notAFunction' } });
    const { traceId } = (await submitImage()).check.value;
    const deliver = (body: unknown) => cloud.post('/emulator/media-checks/deliver', JSON.stringify(body));
    expect((await deliver({ traceId, suggest: 'bad' })).status).toBe(400);
    expect((await deliver({ traceId, suggest: 'pass', label: 'x' })).status).toBe(400);
    const missing = await deliver({ traceId, suggest: 'pass' });
    expect(missing.status).toBe(409);
    expect(JSON.stringify(missing.body)).toContain('--message-push wxa_media_check=');
    // Still pending: it can be delivered once the receiver exists.
    expect((await get('/emulator/media-checks')).body.checks).toHaveLength(1);
  });

  it('delivers by itself with --media-verdict', async () => {
    await start({ mediaVerdict: 'pass', mediaVerdictDelayMs: 20 });
    await submitImage();
    const pendingCount = async () => ((await get('/emulator/media-checks')).body.checks as unknown[]).length;
    for (let i = 0; i < 100 && (await pendingCount()) > 0; i += 1) await new Promise((r) => setTimeout(r, 50));
    expect((await get('/emulator/media-checks')).body.checks).toEqual([]);
    expect(cloud.logs.map(({ record }) => record)).toContainEqual(
      expect.objectContaining({ event: 'media-check-delivered', fn: 'push-receiver', suggest: 'pass' }),
    );
  });

  it('refuses the admin routes to other web pages', async () => {
    await start();
    const response = await fetch(`${cloud.url}/emulator/media-checks`, { headers: { Origin: 'https://evil.example' } });
    expect(response.status).toBe(403);
    const post = await cloud.post('/emulator/content-safety', JSON.stringify({ riskyWords: [] }), {
      ...JSON_HEADERS,
      Origin: 'https://evil.example',
    });
    expect(post.status).toBe(403);
  });
});

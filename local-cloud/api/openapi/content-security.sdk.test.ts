/** Emulated security.msgSecCheck / security.mediaCheckAsync (v2) through the real wx-server-sdk. */
import { parseFaultSpec } from '../fault-table';
import { startPlatformFixture, type PlatformFixture } from '../test-support/platform-fixture';

// Each step runs the real SDK in a child process.
jest.setTimeout(30_000);

const ALICE = 'oAlice0000000000000000000001';
const DECLARED = { permissions: { openapi: ['security.msgSecCheck', 'security.mediaCheckAsync'] } };

let fx: PlatformFixture;
beforeEach(async () => {
  fx = await startPlatformFixture({ configs: { saveProfile: DECLARED, other: {} } });
  fx.contentSecurity.rules.set({ riskyWords: ['坏词'], reviewWords: ['Maybe'] });
});
afterEach(() => fx.close());

const check = (content: string, extra = '') =>
  fx.sdk(
    fx.tokenFor('saveProfile', ALICE),
    `return cloud.openapi.security.msgSecCheck({ version: 2, openid: '${ALICE}', scene: 1, content: ${JSON.stringify(content)}${extra} });`,
  );

describe('security.msgSecCheck v2 through the real SDK', () => {
  it('answers pass, review and risky from the word lists, in the camelCase the SDK hands the function', async () => {
    const pass = await check('小红');
    expect(pass.result).toEqual({
      result: { suggest: 'pass', label: 100 },
      detail: [{ strategy: 'content_model', errcode: 0, suggest: 'pass', label: 100, prob: 90 }],
      traceId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/),
      errCode: 0,
      errMsg: 'openapi.security.msgSecCheck:ok',
    });
    expect((await check('maybe 小红')).result).toMatchObject({ result: { suggest: 'review', label: 21000 } });
    const risky = await check('小红', `, nickname: '有坏词的昵称'`);
    expect(risky.result).toMatchObject({
      result: { suggest: 'risky', label: 20006 },
      detail: expect.arrayContaining([
        { strategy: 'keyword', errcode: 0, suggest: 'risky', label: 20006, level: 20, keyword: '坏词' },
      ]),
    });
  });

  it('refuses content over 2,500 characters, a missing openid, and version 1', async () => {
    expect((await check('字'.repeat(2500))).result).toMatchObject({ result: { suggest: 'pass' } });
    expect((await check('字'.repeat(2501))).error).toMatchObject({
      errCode: 40097,
      errMsg: expect.stringContaining('openapi.security.msgSecCheck:fail'),
    });
    const noOpenid = await fx.sdk(
      fx.tokenFor('saveProfile', ALICE),
      `return cloud.openapi.security.msgSecCheck({ version: 2, scene: 1, content: 'x' });`,
    );
    expect(noOpenid.error).toMatchObject({ errCode: 40003 });
    const v1 = await fx.sdk(
      fx.tokenFor('saveProfile', ALICE),
      `return cloud.openapi.security.msgSecCheck({ content: 'x' });`,
    );
    expect(v1.error?.errMsg).toContain('version 2');
  });

  it('answers 45009 past 4,000 checks a minute', async () => {
    for (let i = 0; i < 4000; i += 1) fx.contentSecurity.msgQuota.take(Date.now());
    expect((await check('x')).error).toMatchObject({ errCode: 45009 });
  });

  it('answers -604101 when the calling function does not declare it', async () => {
    const outcome = await fx.sdk(
      fx.tokenFor('other', ALICE),
      `return cloud.openapi.security.msgSecCheck({ version: 2, openid: '${ALICE}', scene: 1, content: 'x' });`,
    );
    expect(outcome.error).toMatchObject({ errCode: -604101 });
  });
});

describe('security.mediaCheckAsync v2 through the real SDK', () => {
  it('answers a trace id and records the pending check, with the fileID of an own temp URL', async () => {
    const outcome = await fx.sdk(
      fx.tokenFor('saveProfile', ALICE),
      `const { fileID } = await cloud.uploadFile({ cloudPath: 'avatars/a.png', fileContent: Buffer.from('png') });
       const { fileList } = await cloud.getTempFileURL({ fileList: [fileID] });
       const own = await cloud.openapi.security.mediaCheckAsync({
         version: 2, openid: '${ALICE}', scene: 1, mediaUrl: fileList[0].tempFileURL, mediaType: 2 });
       const foreign = await cloud.openapi.security.mediaCheckAsync({
         version: 2, openid: '${ALICE}', scene: 1, mediaUrl: 'https://example.com/x.png', mediaType: 2 });
       return { fileID, url: fileList[0].tempFileURL, own, foreign };`,
    );
    const { fileID, url, own, foreign } = outcome.result as {
      fileID: string;
      url: string;
      own: { traceId: string };
      foreign: { traceId: string };
    };
    expect(own).toEqual({ traceId: expect.any(String), errCode: 0, errMsg: 'openapi.security.mediaCheckAsync:ok' });
    expect(fx.contentSecurity.pending.list()).toEqual([
      { traceId: own.traceId, mediaUrl: url, fileID, openid: ALICE, at: expect.any(Number) },
      {
        traceId: foreign.traceId,
        mediaUrl: 'https://example.com/x.png',
        fileID: null,
        openid: ALICE,
        at: expect.any(Number),
      },
    ]);
  });

  it('refuses a bad media URL or type and records nothing; -604101 when undeclared', async () => {
    const call = (fields: string, fn = 'saveProfile') =>
      fx.sdk(
        fx.tokenFor(fn, ALICE),
        `return cloud.openapi.security.mediaCheckAsync({ version: 2, openid: '${ALICE}', scene: 1, ${fields} });`,
      );
    expect((await call(`mediaUrl: 'cloud://x/y.png', mediaType: 2`)).error).toMatchObject({ errCode: 40097 });
    expect((await call(`mediaUrl: 'https://e.com/a.png', mediaType: 3`)).error).toMatchObject({ errCode: 40097 });
    expect((await call(`mediaUrl: 'https://e.com/a.png', mediaType: 2`, 'other')).error).toMatchObject({
      errCode: -604101,
    });
    expect(fx.contentSecurity.pending.list()).toEqual([]);
  });
});

describe('fault injection on a content security call', () => {
  it('fails the cloud call it names by apiName, and only that one', async () => {
    fx.api.faults.add(
      parseFaultSpec({
        action: 'wx.openApi',
        apiName: 'security.msgSecCheck',
        error: { code: 'SYS_ERR', message: 'down' },
      }),
    );
    const outcome = await fx.sdk(
      fx.tokenFor('saveProfile', ALICE),
      `const attempt = (run) => run().then((value) => ({ value }), (e) => ({ errCode: e.errCode, errMsg: e.errMsg }));
       return {
         text: await attempt(() => cloud.openapi.security.msgSecCheck({ version: 2, openid: '${ALICE}', scene: 1, content: 'x' })),
         media: await attempt(() => cloud.openapi.security.mediaCheckAsync({
           version: 2, openid: '${ALICE}', scene: 1, mediaUrl: 'https://e.com/a.png', mediaType: 2 })),
       };`,
    );
    expect(outcome.result).toMatchObject({
      text: { errCode: -501001, errMsg: expect.stringContaining('down') },
      media: { value: { traceId: expect.any(String) } },
    });
  });
});

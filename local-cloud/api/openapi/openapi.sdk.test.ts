/** getOpenData and cloud.openapi.* through the real wx-server-sdk (wx.openApi, protobuf over multipart). */
import { startPlatformFixture, type PlatformFixture } from '../test-support/platform-fixture';
import { wechatJsonApi } from './emulated-apis';

const ALICE = 'oAlice0000000000000000000001';
const BOB = 'oBob00000000000000000000000002';
const PROFILE = {
  nickName: '小红',
  avatarUrl: 'https://example.com/a.png',
  gender: 0,
  country: '',
  province: '',
  city: '',
  language: 'zh_CN',
};

let fx: PlatformFixture;
beforeEach(async () => {
  fx = await startPlatformFixture({
    configs: {
      checker: { permissions: { openapi: ['security.msgSecCheck', 'wxacode.getUnlimited'] } },
      other: {},
    },
    // A stand-in entry: shows that a cloud call is one entry of the table.
    openApis: (defaults) => ({
      ...defaults,
      'security.msgSecCheck': wechatJsonApi(async (body, call) => ({
        result: { suggest: body.content === 'bad' ? 'risky' : 'pass', label: 100 },
        trace_id: `trace-for-${call.caller?.functionName}`,
      })),
    }),
  });
});
afterEach(() => fx.close());

describe('getOpenData through the real SDK', () => {
  it('resolves a cloudID for the user it was minted for, and for no other', async () => {
    const { cloudID } = fx.openData.mint(ALICE, PROFILE);
    const script = `return cloud.getOpenData({ list: ['${cloudID}', 'never-minted'] });`;
    // No config.json declares getOpenData: it is not a cloud call.
    const alice = await fx.sdk(fx.tokenFor('login', ALICE), script);
    expect(alice.result).toEqual({
      errCode: 0,
      errMsg: 'getOpenData:ok',
      list: [
        { cloudID, data: { ...PROFILE, watermark: { appid: 'wxemutest000000001', timestamp: expect.any(Number) } } },
        { cloudID: 'never-minted', errCode: -601005, errMsg: 'cloudID invalid' },
      ],
    });
    const bob = await fx.sdk(fx.tokenFor('login', BOB), script);
    expect(bob.result).toMatchObject({
      list: [
        { cloudID, errCode: -601007, errMsg: 'cloudID and user do not match' },
        { cloudID: 'never-minted', errCode: -601005 },
      ],
    });
    // A token no running invocation holds resolves for nobody.
    const stale = await fx.sdk('tok-stale', script);
    expect(stale.result).toMatchObject({ list: [{ cloudID, errCode: -601007 }, { errCode: -601005 }] });
  });
});

describe('cloud.openapi through the real SDK', () => {
  it('answers a declared cloud call from its table entry', async () => {
    const outcome = await fx.sdk(
      fx.tokenFor('checker', ALICE),
      `return cloud.openapi.security.msgSecCheck({ version: 2, openid: '${ALICE}', scene: 2, content: 'bad' });`,
    );
    expect(outcome.result).toEqual({
      result: { suggest: 'risky', label: 100 },
      traceId: 'trace-for-checker',
      errCode: 0,
      errMsg: 'openapi.security.msgSecCheck:ok',
    });
  });

  it('answers -604101 when the calling function`s config.json does not declare the API', async () => {
    const script = `return cloud.openapi.security.msgSecCheck({ version: 2, openid: '${ALICE}', scene: 2, content: 'x' });`;
    for (const functionName of ['other', 'noConfig']) {
      const outcome = await fx.sdk(fx.tokenFor(functionName, ALICE), script);
      expect(outcome.error).toMatchObject({ errCode: -604101, errMsg: 'system error: error code: -604101' });
    }
    expect((await fx.sdk('tok-stale', script)).error).toMatchObject({ errCode: -604101 });
  });

  it('answers -604101 for an undeclared cloud call before looking for it, as the platform checks permissions first', async () => {
    const outcome = await fx.sdk(
      fx.tokenFor('other', ALICE),
      `return cloud.openapi.wxacode.getUnlimited({ scene: 'a=1' });`,
    );
    expect(outcome.error).toMatchObject({ errCode: -604101, errMsg: 'system error: error code: -604101' });
  });

  it('says clearly that a declared API is not emulated', async () => {
    const outcome = await fx.sdk(
      fx.tokenFor('checker', ALICE),
      `return cloud.openapi.wxacode.getUnlimited({ scene: 'a=1' });`,
    );
    expect(outcome.error).toMatchObject({ errCode: -501001 });
    expect(outcome.error?.errMsg).toContain(
      'the cloud call wxacode.getUnlimited (emulated: ApiGetOpenDataByCloudId, phonenumber.getPhoneNumber, security.msgSecCheck, security.mediaCheckAsync) is not emulated by the local CloudBase emulator',
    );
  });
});

/**
 * `login` against the REAL wx-server-sdk: identity given the way the platform gives it, through
 * WX_CONTEXT_KEYS and the WX_* environment variables, with only the database replaced by the
 * double (the real one would go to the network). Keeps the double honest about getWXContext.
 */
import type { WxServerSdkModule } from '../platform/sdk-surface';
import { USERS_COLLECTION } from '../users/user-record';
import { FakeWxServerSdk } from '../../testing/fake-wx-server-sdk';
import { setSdkTarget } from '../../testing/sdk-target';
import { main } from './login';

// The path, not the bare name: jest maps the bare name `wx-server-sdk` to the double.
const realSdk = jest.requireActual<WxServerSdkModule>('../../node_modules/wx-server-sdk/index.js');

const ENV_KEYS = ['WX_CONTEXT_KEYS', 'WX_OPENID', 'WX_APPID', 'WX_UNIONID', 'TCB_ENV'];
const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));

afterEach(() => {
  for (const key of ENV_KEYS) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

function realSdkWithFakeDatabase(db: FakeWxServerSdk): WxServerSdkModule {
  return {
    DYNAMIC_CURRENT_ENV: realSdk.DYNAMIC_CURRENT_ENV,
    init: (config) => realSdk.init(config),
    getWXContext: () => realSdk.getWXContext(),
    database: (config) => db.database(config),
    deleteFile: (param) => db.deleteFile(param),
    getTempFileURL: (param) => db.getTempFileURL(param),
    getOpenData: (param) => db.getOpenData(param),
    openapi: db.openapi,
    logger: () => db.logger(),
  };
}

describe('login with the real wx-server-sdk context', () => {
  it('reads OPENID, APPID and UNIONID from WX_CONTEXT_KEYS and ignores the event', async () => {
    const db = new FakeWxServerSdk().withCollection(USERS_COLLECTION);
    setSdkTarget(realSdkWithFakeDatabase(db));
    Object.assign(process.env, {
      WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID,WX_UNIONID',
      WX_OPENID: 'oRealSdk000000000000000001',
      WX_APPID: 'wx1111222233334444',
      WX_UNIONID: 'uRealSdk',
      TCB_ENV: 'test-env-1a2b3c',
    });
    const result = await main({ openid: 'oForged', userInfo: { openId: 'oForged' } }, {});
    expect(result).toEqual({
      ok: true,
      data: {
        openid: 'oRealSdk000000000000000001',
        appid: 'wx1111222233334444',
        unionid: 'uRealSdk',
        isNewUser: true,
        profile: null,
      },
    });
    expect(db.stored(USERS_COLLECTION, 'oRealSdk000000000000000001')).toMatchObject({
      _openid: 'oRealSdk000000000000000001',
    });
    expect(db.stored(USERS_COLLECTION, 'oForged')).toBeUndefined();
  });

  it('answers UNAUTHENTICATED when the SDK finds no context (no WX_CONTEXT_KEYS)', async () => {
    const db = new FakeWxServerSdk().withCollection(USERS_COLLECTION);
    setSdkTarget(realSdkWithFakeDatabase(db));
    delete process.env.WX_CONTEXT_KEYS;
    const result = await main({ openid: 'oForged' }, {});
    expect(result).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: expect.any(String) } });
    expect(db.collections.get(USERS_COLLECTION)!.size).toBe(0);
  });

  it('keeps an all-digit openid as text although the SDK turns it into a number', async () => {
    const db = new FakeWxServerSdk().withCollection(USERS_COLLECTION);
    setSdkTarget(realSdkWithFakeDatabase(db));
    Object.assign(process.env, {
      WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID',
      WX_OPENID: '1234567890',
      WX_APPID: 'wx1111222233334444',
    });
    expect(realSdk.getWXContext()).toMatchObject({ OPENID: 1234567890 });
    const result = await main({}, {});
    expect(result.ok && result.data.openid).toBe('1234567890');
  });
});

/**
 * getWXContext of the local cloud: the same answer as the real wx-server-sdk for the same
 * variables, and no leak between concurrent calls.
 */
import type { WxServerSdkModule } from '../cloud/platform/sdk-surface';
import { callEnv, parseWxContext, runInCall, type CallEnv, type CallScope } from './call-context';
import { getWXContext } from './local-sdk';

// The path, not the bare name: jest maps `wx-server-sdk` to the local implementation.
const realSdk = jest.requireActual<WxServerSdkModule>('../node_modules/wx-server-sdk/index.js');

/** What the real SDK answers with exactly `vars` as its environment. */
function realContext(vars: CallEnv): object {
  const saved = process.env;
  process.env = { ...vars };
  try {
    return realSdk.getWXContext();
  } finally {
    process.env = saved;
  }
}

const CASES: CallEnv[] = [
  {},
  { WX_OPENID: 'oNoKeys' },
  { WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID', WX_OPENID: 'oA-_1', WX_APPID: 'wx1', TCB_ENV: 'env-1' },
  { WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID,WX_UNIONID', WX_OPENID: '1234567890', WX_APPID: 'wx1', WX_UNIONID: '-42' },
  {
    WX_CONTEXT_KEYS: 'WX_OPENID,,WX_MISSING,WX_API_TOKEN,API_TOKEN,CUSTOM,WX_',
    WX_OPENID: 'o',
    WX_API_TOKEN: 't',
    CUSTOM: 'c',
    WX_: 'x',
  },
  { WX_CONTEXT_KEYS: 'WX_OPENID', WX_OPENID: 'o', SCF_NAMESPACE: 'ns', TCB_SOURCE: 'wx_client,scf' },
  callEnv({
    openid: 'oAlice',
    unionid: 'uAlice',
    appid: 'wxlocal',
    envId: 'local-env',
    clientIp: '127.0.0.1',
    openDataKeys: ['profile'],
  }),
];

describe('parseWxContext', () => {
  it.each(CASES.map((vars) => [vars]))('answers what wx-server-sdk 4.0.2 answers for %j', (vars) => {
    expect(parseWxContext(vars)).toEqual(realContext(vars));
  });

  it('gives a call its identity and OPEN_DATA_INFO the way the platform does', () => {
    const env = callEnv({ openid: 'oAlice', appid: 'wxlocal', envId: 'local-env', openDataKeys: ['profile'] });
    expect(parseWxContext(env)).toEqual({
      OPENID: 'oAlice',
      APPID: 'wxlocal',
      ENV: 'local-env',
      SOURCE: 'wx_client',
      OPEN_DATA_INFO: '{"keys":["profile"]}',
    });
  });
});

describe('callEnv', () => {
  it.each([
    { openid: '007', appid: 'wx1' },
    { openid: 'oA', unionid: '-42', appid: 'wx1' },
    { openid: 'oA', appid: '12345' },
  ])('refuses an id the SDK would turn into a number: %j', (ids) => {
    expect(() => callEnv({ ...ids, envId: 'e', openDataKeys: [] })).toThrow(/would reach getWXContext as a number/);
  });
});

describe('getWXContext in concurrent calls', () => {
  it('answers each call its own caller, whatever the interleaving', async () => {
    const runtime = {} as CallScope['runtime'];
    const pause = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
    const seen = await Promise.all(
      Array.from({ length: 100 }, (_, i) => {
        const env = callEnv({ openid: `oUser${i}`, appid: 'wx', envId: 'e', openDataKeys: [] });
        return runInCall({ runtime, env }, async () => {
          const before = getWXContext().OPENID;
          await pause();
          const after = getWXContext().OPENID;
          return [i, before, after] as const;
        });
      }),
    );
    for (const [i, before, after] of seen) {
      expect(before).toBe(`oUser${i}`);
      expect(after).toBe(`oUser${i}`);
    }
  });

  it('answers {} outside a call', () => {
    expect(getWXContext()).toEqual({});
  });
});

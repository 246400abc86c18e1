import { callEnv, instanceEnv, platformContext, type PlatformSettings } from './call-environment';
import type { FunctionSpec } from './function-spec';

const PLATFORM: PlatformSettings = {
  apiUrl: 'http://127.0.0.1:3000/admin',
  envId: 'env-1',
  secretId: 'AKIDx',
  secretKey: 'key',
  region: 'ap-shanghai',
  tencentAppId: '1300000000',
  uin: '100000000001',
};
const SPEC: FunctionSpec = {
  name: 'login',
  dir: '/p/cloudfunctions/login',
  handler: 'index.main',
  runtime: 'Nodejs18.15',
  timeoutMs: 10_000,
  memoryMb: 256,
  envVariables: { MODE: 'dev', TENCENTCLOUD_RUNENV: 'mine', SCF_NAMESPACE: 'mine' },
};

describe('instanceEnv', () => {
  it("holds the platform's variables, which win over envVariables of the same name, and no other host variable", () => {
    const env = instanceEnv(SPEC, PLATFORM, { PATH: '/bin', SECRET_OF_THE_HOST: 'x', NODE_OPTIONS: '--inspect' });
    expect(env).toEqual({
      PATH: '/bin',
      MODE: 'dev',
      TENCENTCLOUD_RUNENV: 'SCF',
      TENCENTCLOUD_REGION: 'ap-shanghai',
      TENCENTCLOUD_APPID: '1300000000',
      TENCENTCLOUD_UIN: '100000000001',
      TENCENTCLOUD_SECRETID: 'AKIDx',
      TENCENTCLOUD_SECRETKEY: 'key',
      SCF_NAMESPACE: 'env-1',
      SCF_FUNCTIONNAME: 'login',
      SCF_FUNCTIONVERSION: '$LATEST',
      SCF_RUNTIME: 'Nodejs18.15',
      TCB_CONTEXT_CNFG: '{"URL":"http://127.0.0.1:3000/admin"}',
    });
  });
});

describe('callEnv', () => {
  it('lists in WX_CONTEXT_KEYS exactly the WX_* variables set, the API token included', () => {
    const env = callEnv(
      { openid: 'oA', appid: 'wx1', unionid: 'uA', clientIp: '1.2.3.4', openDataKeys: ['profile'] },
      'tok',
      'env-1',
      'seq',
    );
    expect(env).toEqual({
      WX_CLIENTIP: '1.2.3.4',
      WX_APPID: 'wx1',
      WX_OPENID: 'oA',
      WX_UNIONID: 'uA',
      WX_OPEN_DATA_INFO: '{"keys":["profile"]}',
      WX_API_TOKEN: 'tok',
      WX_CONTEXT_KEYS: 'WX_CLIENTIP,WX_APPID,WX_OPENID,WX_UNIONID,WX_OPEN_DATA_INFO,WX_API_TOKEN',
      TCB_CONTEXT_KEYS: 'TCB_ENV,TCB_SEQID,TRIGGER_SRC,TCB_ISANONYMOUS_USER,TCB_SESSIONTOKEN,TCB_SOURCE',
      TCB_ENV: 'env-1',
      TCB_SEQID: 'seq',
      TRIGGER_SRC: 'tcb',
      TCB_ISANONYMOUS_USER: 'false',
      TCB_SOURCE: 'wx_client',
    });
  });

  it('leaves out what the caller does not have', () => {
    const env = callEnv({ openid: 'oB', appid: 'wx1', openDataKeys: [] }, 'tok', 'env-1', 'seq');
    expect(env.WX_CONTEXT_KEYS).toBe('WX_APPID,WX_OPENID,WX_API_TOKEN');
    expect(
      Object.keys(env)
        .filter((k) => k.startsWith('WX_'))
        .sort(),
    ).toEqual(['WX_APPID', 'WX_OPENID', 'WX_API_TOKEN', 'WX_CONTEXT_KEYS'].sort());
  });
});

describe('platformContext', () => {
  it("carries the call's variables in both of the platform's formats", () => {
    const context = platformContext(SPEC, PLATFORM, 'req-1', { WX_OPENID: 'oA', TCB_ENV: 'env-1' });
    expect(context).toEqual({
      request_id: 'req-1',
      function_name: 'login',
      function_version: '$LATEST',
      namespace: 'env-1',
      memory_limit_in_mb: 256,
      time_limit_in_ms: 10_000,
      tencentcloud_region: 'ap-shanghai',
      tencentcloud_appid: '1300000000',
      tencentcloud_uin: '100000000001',
      environment: '{"WX_OPENID":"oA","TCB_ENV":"env-1"}',
      environ: 'WX_OPENID=oA;TCB_ENV=env-1',
    });
  });
});

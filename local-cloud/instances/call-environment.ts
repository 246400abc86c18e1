/**
 * The environment the platform gives a function: fixed variables per instance (where the API is,
 * credentials, region, environment id, cloudbaserc.json's envVariables) and variables per call
 * (who calls, the call's API token, sequence id). The real wx-server-sdk reads them all from
 * process.env (see docs/sdk-protocol.md §1).
 */
import type { FunctionSpec } from './function-spec';
import type { PlatformContext } from './protocol';

export interface PlatformSettings {
  /** The emulator's platform API, written into TCB_CONTEXT_CNFG (no query string: the SDK appends one). */
  apiUrl: string;
  envId: string;
  secretId: string;
  secretKey: string;
  sessionToken?: string;
  region: string;
  /** The Tencent Cloud account's APPID (a number, unlike the mini program's wx… AppID) and UIN. */
  tencentAppId: string;
  uin: string;
}

/**
 * Who calls, as the platform knows it. Every field is passed to the function as given:
 * wx-server-sdk's getWXContext() turns an all-digit value into a number ("007" → 7), so the
 * gateway refuses such ids before they get here.
 */
export interface CallerIdentity {
  openid?: string;
  appid?: string;
  unionid?: string;
  clientIp?: string;
  clientIpv6?: string;
  /** Top-level event fields the platform filled from a CloudID (WX_OPEN_DATA_INFO). */
  openDataKeys?: readonly string[];
  /** TCB_SOURCE, e.g. `wx_client` (mini program), `wx_devtools`, `wx_client,scf` (from a function). */
  source?: string;
}

/** Host variables a Node process needs to work at all (the platform has its own equivalents). */
const SYSTEM_VARIABLES = ['PATH', 'SystemRoot', 'windir', 'TEMP', 'TMP', 'TMPDIR', 'HOME', 'USERPROFILE', 'LANG', 'TZ'];

export const TCB_CONTEXT_KEYS = 'TCB_ENV,TCB_SEQID,TRIGGER_SRC,TCB_ISANONYMOUS_USER,TCB_SESSIONTOKEN,TCB_SOURCE';

/** The variables an instance starts with. The platform's own win over envVariables of the same name. */
export function instanceEnv(
  spec: FunctionSpec,
  platform: PlatformSettings,
  host: NodeJS.ProcessEnv,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of SYSTEM_VARIABLES) {
    const value = host[key];
    if (value !== undefined) env[key] = value;
  }
  Object.assign(env, spec.envVariables, {
    TENCENTCLOUD_RUNENV: 'SCF',
    TENCENTCLOUD_REGION: platform.region,
    TENCENTCLOUD_APPID: platform.tencentAppId,
    TENCENTCLOUD_UIN: platform.uin,
    TENCENTCLOUD_SECRETID: platform.secretId,
    TENCENTCLOUD_SECRETKEY: platform.secretKey,
    SCF_NAMESPACE: platform.envId,
    SCF_FUNCTIONNAME: spec.name,
    SCF_FUNCTIONVERSION: '$LATEST',
    SCF_RUNTIME: spec.runtime,
    TCB_CONTEXT_CNFG: JSON.stringify({ URL: platform.apiUrl }),
  });
  if (platform.sessionToken !== undefined) env.TENCENTCLOUD_SESSIONTOKEN = platform.sessionToken;
  return env;
}

/**
 * The variables of one call. WX_CONTEXT_KEYS lists the WX_* ones present (the SDK reads only
 * listed ones, and sends WX_API_TOKEN only when listed); TCB_CONTEXT_KEYS the TCB_* ones.
 */
export function callEnv(
  identity: CallerIdentity,
  apiToken: string,
  envId: string,
  seqId: string,
): Record<string, string> {
  const wx: Record<string, string | undefined> = {
    WX_CLIENTIP: identity.clientIp,
    WX_CLIENTIPV6: identity.clientIpv6,
    WX_APPID: identity.appid,
    WX_OPENID: identity.openid,
    WX_UNIONID: identity.unionid,
    WX_OPEN_DATA_INFO:
      identity.openDataKeys && identity.openDataKeys.length > 0
        ? JSON.stringify({ keys: identity.openDataKeys })
        : undefined,
    WX_API_TOKEN: apiToken,
  };
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(wx)) if (value !== undefined) env[key] = value;
  env.WX_CONTEXT_KEYS = Object.keys(env).join(',');
  Object.assign(env, {
    TCB_CONTEXT_KEYS,
    TCB_ENV: envId,
    TCB_SEQID: seqId,
    TRIGGER_SRC: 'tcb',
    TCB_ISANONYMOUS_USER: 'false',
    TCB_SOURCE: identity.source ?? 'wx_client',
  });
  return env;
}

/** The `context` argument of main, as SCF's Node.js runtime builds it. */
export function platformContext(
  spec: FunctionSpec,
  platform: PlatformSettings,
  requestId: string,
  env: Readonly<Record<string, string>>,
): PlatformContext {
  return {
    request_id: requestId,
    function_name: spec.name,
    function_version: '$LATEST',
    namespace: platform.envId,
    memory_limit_in_mb: spec.memoryMb,
    time_limit_in_ms: spec.timeoutMs,
    tencentcloud_region: platform.region,
    tencentcloud_appid: platform.tencentAppId,
    tencentcloud_uin: platform.uin,
    environment: JSON.stringify(env),
    environ: Object.entries(env)
      .map(([key, value]) => `${key}=${value}`)
      .join(';'),
  };
}

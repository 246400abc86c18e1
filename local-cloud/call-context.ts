/**
 * The state of one function call: which local cloud serves it and the environment variables
 * the platform would set for it. Calls run concurrently in one process, so these live in an
 * AsyncLocalStorage instead of process.env.
 */
import { AsyncLocalStorage } from 'async_hooks';
import type { LocalCloudRuntime } from './runtime';

export type CallEnv = Readonly<Record<string, string>>;

export interface CallScope {
  runtime: LocalCloudRuntime;
  env: CallEnv;
}

const storage = new AsyncLocalStorage<CallScope>();

export function runInCall<T>(scope: CallScope, action: () => Promise<T>): Promise<T> {
  return storage.run(scope, action);
}

export function currentCall(): CallScope | undefined {
  return storage.getStore();
}

/**
 * getWXContext() with wx-server-sdk 4.0.2's rules, reading `env` instead of process.env:
 * names from WX_CONTEXT_KEYS (blacklisted token names skipped), `WX_` prefix stripped,
 * integer-looking values through parseInt, ENV from TCB_ENV or SCF_NAMESPACE, SOURCE from
 * TCB_SOURCE. No WX_CONTEXT_KEYS: `{}`.
 */
export function parseWxContext(env: CallEnv): Record<string, string | number | undefined> {
  const context: Record<string, string | number | undefined> = {};
  if (!env.WX_CONTEXT_KEYS) return context;
  for (const key of env.WX_CONTEXT_KEYS.split(',')) {
    if (!key || BLACKLIST.some((name) => key === name || key === `WX_${name}`)) continue;
    const text = env[key];
    if (text === undefined) continue;
    const value = INTEGER.test(text) ? parseInt(text) : text;
    if (key.startsWith('WX_') && key.length > 3) context[key.slice(3)] = value;
    else context[key] = value;
  }
  context.ENV = env.TCB_ENV || env.SCF_NAMESPACE;
  if (env.TCB_SOURCE) context.SOURCE = env.TCB_SOURCE;
  return context;
}

const BLACKLIST = ['API_TOKEN', 'TRIGGER_API_TOKEN_V0'];
/** What wx-server-sdk 4.0.2 turns into a number. */
const INTEGER = /^[-]?\d+$/;

export interface CallIdentity {
  openid: string;
  unionid?: string;
  appid: string;
  envId: string;
  clientIp?: string;
  /** Top-level fields filled from a CloudID, listed as the platform does. */
  openDataKeys: readonly string[];
}

/**
 * The variables the platform sets for a call from the mini program. An id the SDK would parse
 * into a number ("007" → 7, one user with "7") is a bug of the caller: it throws.
 */
export function callEnv(identity: CallIdentity): CallEnv {
  for (const field of ['openid', 'unionid', 'appid'] as const) {
    const value = identity[field];
    if (value !== undefined && INTEGER.test(value))
      throw new TypeError(`${field} would reach getWXContext as a number`);
  }
  const env: Record<string, string> = {
    WX_OPENID: identity.openid,
    WX_APPID: identity.appid,
    TCB_ENV: identity.envId,
    TCB_SOURCE: 'wx_client',
  };
  if (identity.unionid) env.WX_UNIONID = identity.unionid;
  if (identity.clientIp) env.WX_CLIENTIP = identity.clientIp;
  if (identity.openDataKeys.length > 0) {
    env.WX_OPEN_DATA_INFO = JSON.stringify({ keys: identity.openDataKeys });
  }
  env.WX_CONTEXT_KEYS = Object.keys(env)
    .filter((key) => key.startsWith('WX_'))
    .join(',');
  return env;
}

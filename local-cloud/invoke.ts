/**
 * One function call as the platform runs it: CloudIDs in the data resolved for the caller,
 * identity set in the call's WX_* variables (read back by getWXContext), `userInfo` put into
 * the event as the platform does for mini program calls, then `main(event, context)`.
 */
import { randomUUID } from 'crypto';
import type { Doc } from '../emulation/db-commands';
import { callEnv, runInCall } from './call-context';
import type { CloudFunctionMain } from './functions';
import type { LocalCloudRuntime } from './runtime';

export interface Caller {
  openid: string;
  unionid?: string;
}

export type InvokeResult = { ok: true; answer: unknown } | { ok: false; status: 400; message: string };

export async function invokeFunction(
  runtime: LocalCloudRuntime,
  name: string,
  main: CloudFunctionMain,
  data: Doc,
  caller: Caller,
  clientIp: string | undefined,
): Promise<InvokeResult> {
  const { appid, envId } = runtime.config;
  const resolved = runtime.openData.resolveEvent(data, { OPENID: caller.openid, APPID: appid });
  if ('error' in resolved) return { ok: false, status: 400, message: resolved.error };
  const env = callEnv({ ...caller, appid, envId, clientIp, openDataKeys: resolved.keys });
  // The platform overwrites any `userInfo` the client sent (legacy; the functions ignore it).
  const event = { ...resolved.event, userInfo: { appId: appid, openId: caller.openid } };
  const context = { request_id: randomUUID(), function_name: name, namespace: envId, memory_limit_in_mb: 256 };
  const answer = await runInCall({ runtime, env }, () => main(event, context));
  return { ok: true, answer };
}

/**
 * Who is calling the platform API. The SDK sends nothing but the calling invocation's
 * `WX_API_TOKEN` (body field `wxCloudApiToken`); the instances layer issues one per invocation
 * and answers, for a token of an invocation still running, the function and user behind it.
 */
export interface CallerIdentity {
  /** The function whose invocation was given this token (its config.json grants cloud calls). */
  functionName: string;
  /** The user the invocation runs for; absent for calls without a user (timer, no token). */
  openid?: string;
  unionid?: string;
  appid?: string;
  /** The invocation's request id (the console files the SDK's requests under it). */
  requestId?: string;
}

/** The identity behind a token, or null for "" and any token no running invocation holds. */
export type IdentityOf = (token: string) => CallerIdentity | null;

/** The caller of a request: its `wxCloudApiToken` resolved, or null. */
export function callerOf(request: Readonly<Record<string, unknown>>, identityOf: IdentityOf): CallerIdentity | null {
  const token = request.wxCloudApiToken;
  return typeof token === 'string' && token !== '' ? identityOf(token) : null;
}

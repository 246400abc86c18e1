/** The simulated caller of a request: who the platform would say is calling. */
import type { Caller } from './invoke';

// Real openids and unionids are 28 characters of [A-Za-z0-9_-].
const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The caller in a request body, or a message saying what is wrong with it. */
export function parseCaller(value: unknown): Caller | string {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'caller is missing: { "openid": "..." }';
  const { openid, unionid } = value as Record<string, unknown>;
  if (typeof openid !== 'string' || !ID.test(openid)) return 'caller.openid must be 1-64 characters of A-Z a-z 0-9 _ -';
  if (unionid === undefined || unionid === null || unionid === '') return { openid };
  if (typeof unionid !== 'string' || !ID.test(unionid))
    return 'caller.unionid must be 1-64 characters of A-Z a-z 0-9 _ -';
  return { openid, unionid };
}

export const isOpenid = (value: unknown): value is string => typeof value === 'string' && ID.test(value);

/** The simulated caller of a request: who the platform would say is calling. */

export interface Caller {
  openid: string;
  unionid?: string;
}

// Real openids and unionids are 28 characters of [A-Za-z0-9_-] starting with a letter ("o…").
// A letter first also keeps an id from looking like a number: wx-server-sdk's getWXContext()
// turns all-digit values into numbers, so "007" and "7" would reach a function as one user.
const ID = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const RULE = 'must start with a letter, then letters, digits, "_" or "-" (1-64 characters), as real ones do';

/** The caller in a request body, or a message saying what is wrong with it. */
export function parseCaller(value: unknown): Caller | string {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'caller is missing: { "openid": "..." }';
  const { openid, unionid } = value as Record<string, unknown>;
  if (!isOpenid(openid)) return `caller.openid ${RULE}`;
  if (unionid === undefined || unionid === null || unionid === '') return { openid };
  if (!isOpenid(unionid)) return `caller.unionid ${RULE}`;
  return { openid, unionid };
}

/** Whether a value can be an openid (or unionid) of a real user. */
export const isOpenid = (value: unknown): value is string => typeof value === 'string' && ID.test(value);

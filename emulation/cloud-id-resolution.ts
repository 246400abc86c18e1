/**
 * How the platform resolves a cloudID for a caller, shared by the in-memory double and the
 * local cloud: unknown -601005, expired -601006 (valid 5 minutes), minted for another user
 * -601007; otherwise the open data with a watermark of the caller's appid.
 */
import { resolveValues, type Doc } from './db-commands';

export const CLOUD_ID_TTL_MS = 5 * 60 * 1000;

/** What the WeChat client was given a cloudID for: the data, bound to one user, for 5 minutes. */
export interface OpenDataEntry {
  openid: string;
  data: Doc;
  expiresAt: number;
}

export interface OpenDataCaller {
  OPENID?: string;
  APPID?: string;
}

/** The value the platform puts in place of a top-level CloudID field (or one getOpenData item). */
export function resolveOpenData(
  cloudID: string,
  entry: OpenDataEntry | undefined,
  caller: OpenDataCaller,
  now: number,
): Doc {
  if (!entry) return { cloudID, errCode: -601005, errMsg: 'cloudID invalid' };
  if (entry.expiresAt <= now) return { cloudID, errCode: -601006, errMsg: 'cloudID expired' };
  if (entry.openid !== caller.OPENID) return { cloudID, errCode: -601007, errMsg: 'cloudID and user do not match' };
  const watermark = { appid: caller.APPID, timestamp: Math.floor(now / 1000) };
  return { cloudID, data: { ...(resolveValues(entry.data, new Date(now)) as Doc), watermark } };
}

/**
 * Open data, played locally: `mint` is what the WeChat client does for getUserProfile (a
 * cloudID bound to the caller, valid 5 minutes), `resolveEvent` what the platform does to a
 * call's data before the function runs (top-level `{ "$cloudID": id }` fields replaced).
 */
import { randomBytes } from 'crypto';
import type { Doc } from '../emulation/db-commands';
import { resolveOpenData, type OpenDataCaller, type OpenDataEntry } from '../emulation/open-data';

/** The platform resolves at most this many CloudID fields per call. */
export const MAX_CLOUD_IDS = 5;
const MAX_ENTRIES = 100_000;

/** The open data getUserProfile gives (`userInfo`), with the types WeChat uses. */
export interface UserInfo {
  nickName: string;
  avatarUrl: string;
  gender: number;
  country: string;
  province: string;
  city: string;
  language: string;
}

const TEXT_FIELDS = ['nickName', 'avatarUrl', 'country', 'province', 'city', 'language'] as const;

/** The userInfo in a request, or a message saying what is wrong with it. */
export function parseUserInfo(value: unknown): UserInfo | string {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'data must be an object';
  const raw = value as Record<string, unknown>;
  const info: UserInfo = { nickName: '', avatarUrl: '', gender: 0, country: '', province: '', city: '', language: '' };
  for (const field of TEXT_FIELDS) {
    const text = raw[field] ?? '';
    if (typeof text !== 'string' || text.length > 1024) return `data.${field} must be a string`;
    info[field] = text;
  }
  const gender = raw.gender ?? 0;
  if (gender !== 0 && gender !== 1 && gender !== 2) return 'data.gender must be 0, 1 or 2';
  info.gender = gender;
  return info;
}

export class OpenDataRegistry {
  private readonly entries = new Map<string, OpenDataEntry>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs: number,
  ) {}

  mint(openid: string, info: UserInfo): { cloudID: string; expiresAt: number } {
    this.prune();
    const cloudID = randomBytes(24).toString('base64url');
    const expiresAt = this.now() + this.ttlMs;
    this.entries.set(cloudID, { openid, data: { ...info }, expiresAt });
    return { cloudID, expiresAt };
  }

  resolve(cloudID: string, caller: OpenDataCaller): Doc {
    return resolveOpenData(cloudID, this.entries.get(cloudID), caller, this.now());
  }

  /**
   * The call's data as the function receives it: each top-level CloudID field resolved for
   * the caller, and the names of those fields (for OPEN_DATA_INFO). Nested ones stay as sent.
   */
  resolveEvent(data: Doc, caller: OpenDataCaller): { event: Doc; keys: string[] } | { error: string } {
    const event: Doc = { ...data };
    const keys = Object.keys(data).filter((key) => cloudIDOf(data[key]) !== null);
    if (keys.length > MAX_CLOUD_IDS) return { error: `at most ${MAX_CLOUD_IDS} CloudID fields per call` };
    for (const key of keys) event[key] = this.resolve(cloudIDOf(data[key])!, caller);
    return { event, keys };
  }

  /** Drops expired cloudIDs (kept a little while, so "expired" is answered instead of "unknown"). */
  private prune(): void {
    const cutoff = this.now() - this.ttlMs;
    for (const [cloudID, entry] of this.entries) {
      if (entry.expiresAt < cutoff || this.entries.size >= MAX_ENTRIES) this.entries.delete(cloudID);
      else break;
    }
  }
}

/** The id of a `{ "$cloudID": "<id>" }` value, or null. */
function cloudIDOf(value: unknown): string | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const keys = Object.keys(value);
  const id = (value as Record<string, unknown>).$cloudID;
  return keys.length === 1 && typeof id === 'string' ? id : null;
}

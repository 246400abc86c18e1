/**
 * Open data, played locally: `mint` is what the WeChat client does for getUserProfile (a
 * cloudID bound to the caller, valid 5 minutes), `resolveEvent` what the platform does to a
 * call's data before the function runs (top-level `{ "$cloudID": id }` fields replaced).
 */
import { randomBytes } from 'crypto';
import type { Doc } from '../emulation/db-commands';
import { resolveOpenData, type OpenDataCaller, type OpenDataEntry } from '../emulation/cloud-id-resolution';

/** The platform resolves at most this many CloudID fields per call. */
export const MAX_CLOUD_IDS = 5;
/** The registry's budget, as counted by `entryBytes`: a flood of mints cannot take more. */
export const DEFAULT_REGISTRY_BYTES = 16 * 1024 * 1024;
/** What an entry costs besides its text (map slot, objects, numbers): a generous estimate. */
const ENTRY_OVERHEAD_BYTES = 256;

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
  /** Oldest first (insertion order), each with the bytes it was counted for. */
  private readonly entries = new Map<string, { entry: OpenDataEntry; bytes: number }>();
  private totalBytes = 0;

  constructor(
    private readonly now: () => number,
    private readonly ttlMs: number,
    private readonly maxBytes: number = DEFAULT_REGISTRY_BYTES,
  ) {}

  /** The memory the entries are counted for. */
  get bytes(): number {
    return this.totalBytes;
  }

  mint(openid: string, info: UserInfo): { cloudID: string; expiresAt: number } {
    this.prune();
    const cloudID = randomBytes(24).toString('base64url');
    const expiresAt = this.now() + this.ttlMs;
    const entry: OpenDataEntry = { openid, data: { ...info }, expiresAt };
    const bytes = entryBytes(cloudID, entry);
    this.entries.set(cloudID, { entry, bytes });
    this.totalBytes += bytes;
    // Over budget, the oldest go first (they answer "invalid" like a cloudID never minted).
    for (const oldest of this.entries.keys()) {
      if (this.totalBytes <= this.maxBytes || oldest === cloudID) break;
      this.remove(oldest);
    }
    return { cloudID, expiresAt };
  }

  resolve(cloudID: string, caller: OpenDataCaller): Doc {
    return resolveOpenData(cloudID, this.entries.get(cloudID)?.entry, caller, this.now());
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
    for (const [cloudID, { entry }] of this.entries) {
      if (entry.expiresAt >= cutoff) break;
      this.remove(cloudID);
    }
  }

  private remove(cloudID: string): void {
    this.totalBytes -= this.entries.get(cloudID)?.bytes ?? 0;
    this.entries.delete(cloudID);
  }
}

/** An entry's memory, counting every string at two bytes a character (V8's wide strings). */
function entryBytes(cloudID: string, entry: OpenDataEntry): number {
  let chars = cloudID.length + entry.openid.length;
  for (const [key, value] of Object.entries(entry.data)) {
    chars += key.length + (typeof value === 'string' ? value.length : 4);
  }
  return ENTRY_OVERHEAD_BYTES + 2 * chars;
}

/** The id of a `{ "$cloudID": "<id>" }` value, or null. */
function cloudIDOf(value: unknown): string | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const keys = Object.keys(value);
  const id = (value as Record<string, unknown>).$cloudID;
  return keys.length === 1 && typeof id === 'string' ? id : null;
}

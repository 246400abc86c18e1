import { PROFILE_SOURCES, type Gender, type Profile } from '../../miniprogram/shared/profile';
import type { DbRecord } from '../platform/sdk-surface';
import type { UserRecord } from './user-record';

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** A stored record read back with its types checked; unknown fields are dropped. */
export function parseUserRecord(data: DbRecord): UserRecord {
  return {
    _id: text(data._id),
    _openid: text(data._openid),
    appid: text(data.appid),
    unionid: typeof data.unionid === 'string' && data.unionid ? data.unionid : null,
    createdAt: data.createdAt,
    lastLoginAt: data.lastLoginAt,
    loginCount: typeof data.loginCount === 'number' ? data.loginCount : 0,
    profile: parseStoredProfile(data.profile),
    avatarFiles: textList(data.avatarFiles),
    staleAvatarFiles: textList(data.staleAvatarFiles),
    deleting: data.deletingAt !== undefined && data.deletingAt !== null,
  };
}

const textList = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((f): f is string => typeof f === 'string') : [];

export function parseStoredProfile(value: unknown): Profile | null {
  if (!value || typeof value !== 'object') return null;
  const p = value as Record<string, unknown>;
  const source = PROFILE_SOURCES.find((s) => s === p.source);
  if (!source || !text(p.nickName) || !text(p.avatarUrl)) return null;
  const gender: Gender = p.gender === 1 || p.gender === 2 ? p.gender : 0;
  return {
    nickName: text(p.nickName),
    avatarUrl: text(p.avatarUrl),
    gender,
    country: text(p.country),
    province: text(p.province),
    city: text(p.city),
    language: text(p.language),
    source,
    updatedAt: typeof p.updatedAt === 'number' ? p.updatedAt : 0,
  };
}

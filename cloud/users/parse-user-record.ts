import { readStoredProfile } from '@shared/profile';
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
    // The profile follows the profile table (miniprogram/shared/profile.ts).
    profile: readStoredProfile(data.profile),
    avatarFiles: textList(data.avatarFiles),
    staleAvatarFiles: textList(data.staleAvatarFiles),
    deleting: data.deletingAt !== undefined && data.deletingAt !== null,
  };
}

const textList = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((f): f is string => typeof f === 'string') : [];

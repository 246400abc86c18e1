import type { BoundPhone } from '@shared/api';
import { readStoredProfile } from '@shared/profile';
import type { DbRecord } from '../platform/sdk-surface';
import type { AvatarCheck, RemovedAvatar, UserRecord } from './user-record';

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
    phone: readPhone(data.phone),
    deleting: data.deletingAt !== undefined && data.deletingAt !== null,
    avatarCheck: readAvatarCheck(data.avatarCheck),
    avatarRemoved: readRemovedAvatar(data.avatarRemoved),
  };
}

function readAvatarCheck(value: unknown): AvatarCheck | null {
  if (!value || typeof value !== 'object') return null;
  const { traceId, fileID, submittedAt } = value as Record<string, unknown>;
  if (typeof fileID !== 'string') return null;
  const check: AvatarCheck = { traceId: typeof traceId === 'string' ? traceId : null, fileID };
  if (submittedAt instanceof Date) check.submittedAt = submittedAt;
  return check;
}

const textList = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((f): f is string => typeof f === 'string') : [];

/** A stored phone; `boundAt` is a serverDate, read back as a Date. */
function readPhone(value: unknown): BoundPhone | null {
  if (!value || typeof value !== 'object') return null;
  const { purePhoneNumber, countryCode, boundAt } = value as Record<string, unknown>;
  if (typeof purePhoneNumber !== 'string' || typeof countryCode !== 'string') return null;
  const millis = boundAt instanceof Date ? boundAt.getTime() : typeof boundAt === 'number' ? boundAt : 0;
  return { purePhoneNumber, countryCode, boundAt: millis };
}

function readRemovedAvatar(value: unknown): RemovedAvatar | null {
  if (!value || typeof value !== 'object') return null;
  const { traceId, fileID } = value as Record<string, unknown>;
  return { traceId: typeof traceId === 'string' ? traceId : null, fileID: typeof fileID === 'string' ? fileID : null };
}

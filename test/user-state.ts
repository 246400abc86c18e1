import type { Doc } from '../emulation/db-commands';
import type { FakeWxServerSdk } from '../emulation/fake-wx-server-sdk';
import { PROFILE_SOURCES } from '../miniprogram/shared/profile';

/** Every field a users record may hold, and every field of its profile. */
export const RECORD_FIELDS = [
  '_id',
  '_openid',
  'appid',
  'createdAt',
  'lastLoginAt',
  'loginCount',
  'profile',
  'staleAvatarFiles',
  'unionid',
];
export const PROFILE_FIELDS = [
  'avatarUrl',
  'city',
  'country',
  'gender',
  'language',
  'nickName',
  'province',
  'source',
  'updatedAt',
];

/** The users collection and the stored files, with times replaced so two runs compare equal. */
export function snapshot(cloud: FakeWxServerSdk): { users: Record<string, Doc>; files: string[] } {
  const users: Record<string, Doc> = {};
  for (const id of cloud.collections.get('users')?.keys() ?? []) {
    users[id] = normalize(cloud.stored('users', id)!) as Doc;
  }
  return { users, files: [...cloud.files.keys()].sort() };
}

function normalize(value: unknown): unknown {
  if (value instanceof Date) return 'DATE';
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'updatedAt' ? 'TIME' : normalize(v)]));
  }
  return value;
}

/** Throws unless `doc` is a complete, whitelisted users record. */
export function assertWellFormedRecord(id: string, doc: Doc): void {
  const extra = Object.keys(doc).filter((k) => !RECORD_FIELDS.includes(k));
  if (extra.length) throw new Error(`record has unlisted fields ${extra.join(',')}`);
  const missing = RECORD_FIELDS.filter((k) => !(k in doc));
  if (missing.length) throw new Error(`record misses ${missing.join(',')}`);
  if (doc._id !== id || doc._openid !== id) throw new Error('record _id/_openid do not match');
  if (typeof doc.loginCount !== 'number' || !Array.isArray(doc.staleAvatarFiles)) throw new Error('bad record types');
  const profile = doc.profile as Doc | null;
  if (profile !== null) {
    const keys = Object.keys(profile).sort();
    if (keys.join() !== PROFILE_FIELDS.join()) throw new Error(`profile fields ${keys.join(',')}`);
    if (typeof profile.nickName !== 'string' || !profile.nickName || typeof profile.avatarUrl !== 'string') {
      throw new Error('profile without nickname or avatar');
    }
    if (!(PROFILE_SOURCES as readonly unknown[]).includes(profile.source)) throw new Error('bad profile source');
  }
}

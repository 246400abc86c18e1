import { avatarFolder } from '@shared/avatar-path';
import { PROFILE_FIELDS as PROFILE_TABLE, PROFILE_SOURCES, type ProfileFieldKind } from '@shared/profile';
import type { Doc } from '../emulation/db-commands';
import { USERS_COLLECTION } from '../cloud/users/user-record';
import type { FakeWxServerSdk } from './fake-wx-server-sdk';

/** Every field a users record holds (sorted), and every field of its profile. */
export const RECORD_FIELDS = [
  '_id',
  '_openid',
  'appid',
  'avatarFiles',
  'createdAt',
  'lastLoginAt',
  'loginCount',
  'profile',
  'unionid',
];
/**
 * Fields a record may also hold: the previous version's list, a deletion under way, a phone, a
 * pending avatar check, an avatar removed by its check, a save whose text check was skipped.
 */
const OPTIONAL_RECORD_FIELDS = [
  'staleAvatarFiles',
  'deletingAt',
  'phone',
  'avatarCheck',
  'avatarRemoved',
  'contentCheckSkippedAt',
];
const PHONE_FIELDS = ['boundAt', 'countryCode', 'purePhoneNumber'];
/** The fields of the profile table (miniprogram/shared/profile.ts), sorted. */
export const PROFILE_FIELDS = Object.keys(PROFILE_TABLE).sort();

/** The users collection and the stored files, with times replaced so two runs compare equal. */
export function snapshot(cloud: FakeWxServerSdk): { users: Record<string, Doc>; files: string[] } {
  const users: Record<string, Doc> = {};
  for (const id of cloud.collections.get(USERS_COLLECTION)?.keys() ?? []) {
    users[id] = normalize(cloud.stored(USERS_COLLECTION, id)!) as Doc;
  }
  return { users, files: [...cloud.files.keys()].sort() };
}

function normalize(value: unknown): unknown {
  if (value instanceof Date) return 'DATE';
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object') {
    // Trace ids are random (as WeChat's are): two runs compare equal when both have one.
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        k === 'updatedAt' ? 'TIME' : k === 'traceId' && typeof v === 'string' ? 'TRACE' : normalize(v),
      ]),
    );
  }
  return value;
}

/** Throws unless `doc` is a complete, whitelisted users record. */
export function assertWellFormedRecord(id: string, doc: Doc): void {
  const extra = Object.keys(doc).filter((k) => !RECORD_FIELDS.includes(k) && !OPTIONAL_RECORD_FIELDS.includes(k));
  if (extra.length) throw new Error(`record has unlisted fields ${extra.join(',')}`);
  // A record of the previous version has staleAvatarFiles instead, until a save adds avatarFiles.
  const legacy = !('avatarFiles' in doc) && 'staleAvatarFiles' in doc;
  const missing = RECORD_FIELDS.filter((k) => !(k in doc) && !(legacy && k === 'avatarFiles'));
  if (missing.length) throw new Error(`record misses ${missing.join(',')}`);
  if (doc._id !== id || doc._openid !== id) throw new Error('record _id/_openid do not match');
  if (typeof doc.loginCount !== 'number') throw new Error('bad record types');
  for (const list of ['avatarFiles', 'staleAvatarFiles']) {
    const files = doc[list];
    if (files !== undefined && !(Array.isArray(files) && files.every((f) => typeof f === 'string'))) {
      throw new Error(`bad ${list}`);
    }
  }
  const phone = doc.phone as Doc | undefined;
  if (phone !== undefined) {
    if (Object.keys(phone).sort().join() !== PHONE_FIELDS.join()) throw new Error('bad phone fields');
    if (typeof phone.purePhoneNumber !== 'string' || typeof phone.countryCode !== 'string') {
      throw new Error('bad phone types');
    }
    if (!(phone.boundAt instanceof Date)) throw new Error('phone without boundAt');
  }
  const check = doc.avatarCheck as Doc | undefined;
  if (check !== undefined) {
    if (Object.keys(check).sort().join() !== 'fileID,submittedAt,traceId') throw new Error('bad avatarCheck fields');
    if (typeof check.fileID !== 'string' || !(check.traceId === null || typeof check.traceId === 'string')) {
      throw new Error('bad avatarCheck types');
    }
    if ((doc.profile as Doc | null)?.avatarUrl !== check.fileID) throw new Error('avatarCheck of another avatar');
  }
  const removed = doc.avatarRemoved as Doc | undefined;
  if (removed !== undefined && (!(removed.at instanceof Date) || typeof removed.label !== 'number')) {
    throw new Error('bad avatarRemoved');
  }
  const profile = doc.profile as Doc | null;
  if (profile !== null) {
    const keys = Object.keys(profile).sort();
    if (keys.join() !== PROFILE_FIELDS.join()) throw new Error(`profile fields ${keys.join(',')}`);
    if (typeof profile.nickName !== 'string' || !profile.nickName || typeof profile.avatarUrl !== 'string') {
      throw new Error('profile without nickname or avatar');
    }
    if (!(PROFILE_SOURCES as readonly unknown[]).includes(profile.source)) throw new Error('bad profile source');
    for (const [field, spec] of Object.entries(PROFILE_TABLE)) {
      if (!IS_KIND[spec.kind](profile[field])) throw new Error(`profile field ${field} is not ${spec.kind}`);
    }
  }
}

// What a stored value of each kind of profile field looks like.
const IS_KIND: Record<ProfileFieldKind, (value: unknown) => boolean> = {
  text: (v) => typeof v === 'string',
  gender: (v) => v === 0 || v === 1 || v === 2,
  source: (v) => (PROFILE_SOURCES as readonly unknown[]).includes(v),
  time: (v) => typeof v === 'number' && Number.isFinite(v),
};

/** Every file in the user's avatar folder, sorted. */
export function avatarFilesOf(cloud: FakeWxServerSdk, openid: string): string[] {
  return [...cloud.files.keys()].filter((f) => f.includes(`/${avatarFolder(openid)}`)).sort();
}

/**
 * The user's files in storage that no record points at (neither its profile nor its tracked
 * lists): orphans nobody can find again.
 */
export function untrackedFiles(cloud: FakeWxServerSdk, openid: string): string[] {
  const record = cloud.stored(USERS_COLLECTION, openid);
  const refs = new Set<unknown>();
  if (record) {
    refs.add((record.profile as Doc | null)?.avatarUrl);
    for (const field of ['avatarFiles', 'staleAvatarFiles']) {
      const list = record[field];
      if (Array.isArray(list)) for (const f of list) refs.add(f);
    }
  }
  return avatarFilesOf(cloud, openid).filter((f) => !refs.has(f));
}

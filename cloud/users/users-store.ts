import { NO_AVATAR, type Profile } from '@shared/profile';
import type { CallerIdentity } from '../core/handler';
import { isCollectionMissing } from '../core/sdk-error-codes';
import type { Database, DbRecord } from '../platform/sdk-surface';
import { parseUserRecord } from './parse-user-record';
import { USERS_COLLECTION, type AvatarCheck, type UserRecord } from './user-record';

/**
 * What a save does to the pending media check: the check of the avatar it stores (a new one, or
 * the pending one of the same avatar saved again, written again so the record's check always
 * belongs to its avatar whatever the order of concurrent saves), or none.
 */
export type AvatarCheckChange = AvatarCheck | 'clear';

/** How the stored content was checked: `skipped` when the check failed and the policy accepted it. */
export interface SaveReview {
  avatarCheck: AvatarCheckChange;
  textCheckSkipped: boolean;
}

/** A media check's verdict on the avatar it was submitted for. */
export type AvatarVerdict = { removed: false } | { removed: true; label: number; fileID: string };

/** Reads and writes of `users`, each a single-document operation (atomic on the platform). */
export class UsersStore {
  constructor(private readonly db: Database) {}

  private doc(openid: string) {
    return this.db.collection(USERS_COLLECTION).doc(openid);
  }

  /** The caller's record, or null when there is none (or no `users` collection yet). */
  async find(openid: string): Promise<UserRecord | null> {
    try {
      const { data } = await this.doc(openid).get();
      return data ? parseUserRecord(data) : null;
    } catch (error) {
      if (isCollectionMissing(error)) return null;
      throw error;
    }
  }

  /**
   * Creates the record of a first login. Answers false when another call created it first
   * (concurrent first logins): `add` with an existing `_id` fails, and the record is there.
   * Never creates the collection (see Database): without it, `add` fails with -502005.
   */
  async create(caller: CallerIdentity): Promise<boolean> {
    const data: DbRecord = {
      _id: caller.openid,
      _openid: caller.openid,
      appid: caller.appid,
      unionid: caller.unionid,
      createdAt: this.db.serverDate(),
      lastLoginAt: this.db.serverDate(),
      loginCount: 1,
      profile: null,
      avatarFiles: [],
    };
    try {
      await this.db.collection(USERS_COLLECTION).add({ data });
      return true;
    } catch (error) {
      if (!isCollectionMissing(error) && (await this.exists(caller.openid))) return false;
      throw error;
    }
  }

  /** A returning user's login: one write (which also clears the avatar-removed mark it answers). */
  async recordLogin(caller: CallerIdentity, existing: UserRecord): Promise<void> {
    const _ = this.db.command;
    const data: DbRecord = { lastLoginAt: this.db.serverDate(), loginCount: _.inc(1) };
    if (caller.unionid && existing.unionid !== caller.unionid) data.unionid = caller.unionid;
    if (existing.avatarRemoved) data.avatarRemoved = _.remove();
    await this.doc(caller.openid).update({ data });
  }

  /**
   * Replaces the stored profile and, in the same single-document update, records the avatar
   * files it starts tracking. With `keptAvatar`, only while that file is still the avatar.
   * Answers whether a record was updated.
   */
  async saveProfile(
    openid: string,
    profile: Profile,
    newAvatarFiles: string[],
    review: SaveReview,
    keptAvatar: string | null,
  ): Promise<boolean> {
    const _ = this.db.command;
    const data: DbRecord = { profile: _.set({ ...profile }) };
    if (newAvatarFiles.length > 0) data.avatarFiles = _.push([...newAvatarFiles]);
    const { avatarCheck } = review;
    if (avatarCheck === 'clear') data.avatarCheck = _.remove();
    else {
      const { traceId, fileID, submittedAt } = avatarCheck;
      data.avatarCheck = _.set({ traceId, fileID, submittedAt: submittedAt ?? this.db.serverDate() });
    }
    data.contentCheckSkippedAt = review.textCheckSkipped ? this.db.serverDate() : _.remove();
    // The current avatar saved again is written only if it still is the avatar: a risky verdict
    // or a newer save may have replaced it (and deleted its file) since it was read.
    const { stats } = keptAvatar
      ? await this.db
          .collection(USERS_COLLECTION)
          .where({ _id: openid, 'profile.avatarUrl': keptAvatar })
          .update({ data })
      : await this.doc(openid).update({ data });
    return stats.updated > 0;
  }

  /**
   * Stores the caller's phone number: one update of the `phone` field only (replaced whole).
   * Answers whether a record was updated (false: no record).
   */
  async bindPhone(openid: string, phone: { purePhoneNumber: string; countryCode: string }): Promise<boolean> {
    const _ = this.db.command;
    const { purePhoneNumber, countryCode } = phone;
    const data: DbRecord = { phone: _.set({ purePhoneNumber, countryCode, boundAt: this.db.serverDate() }) };
    const { stats } = await this.doc(openid).update({ data });
    return stats.updated > 0;
  }

  /** The record whose pending avatar check has `traceId`, or null. */
  findByAvatarCheck(traceId: string): Promise<UserRecord | null> {
    return this.findWhere(pendingCheck(traceId));
  }

  /** The record whose avatar the check `traceId` removed (until login clears the mark), or null. */
  findByRemovedAvatar(traceId: string): Promise<UserRecord | null> {
    return this.findWhere({ 'avatarRemoved.traceId': traceId });
  }

  private async findWhere(condition: DbRecord): Promise<UserRecord | null> {
    try {
      const { data } = await this.db.collection(USERS_COLLECTION).where(condition).limit(1).get();
      return data[0] ? parseUserRecord(data[0]) : null;
    } catch (error) {
      if (isCollectionMissing(error)) return null;
      throw error;
    }
  }

  /**
   * Records the verdict of the pending check `traceId` of `openid`, only if it is still pending:
   * matched and updated in one operation, so a save that replaced the avatar meanwhile (and
   * with it the pending check) is never undone. On removal the profile's avatar goes back to
   * none; the file stays tracked until storage confirms it deleted. Answers whether it applied.
   */
  async settleAvatarCheck(openid: string, traceId: string, verdict: AvatarVerdict): Promise<boolean> {
    const _ = this.db.command;
    const data: DbRecord = { avatarCheck: _.remove() };
    if (verdict.removed) {
      data.profile = { avatarUrl: NO_AVATAR };
      data.avatarRemoved = _.set({ at: this.db.serverDate(), label: verdict.label, traceId, fileID: verdict.fileID });
    }
    const condition = { _id: openid, ...pendingCheck(traceId) };
    const { stats } = await this.db.collection(USERS_COLLECTION).where(condition).update({ data });
    return stats.updated > 0;
  }

  /** Removes the caller's phone number (one update). */
  async unbindPhone(openid: string): Promise<void> {
    await this.doc(openid).update({ data: { phone: this.db.command.remove() } });
  }

  /** Stops tracking avatar files that storage confirmed gone (also from the legacy list). */
  async forgetAvatarFiles(openid: string, gone: string[], fromLegacyList: boolean): Promise<void> {
    const _ = this.db.command;
    const data: DbRecord = { avatarFiles: _.pullAll([...gone]) };
    if (fromLegacyList) data.staleAvatarFiles = _.pullAll([...gone]);
    await this.doc(openid).update({ data });
  }

  /**
   * Marks the record as being deleted, before deleteAccount reads which files to delete: a
   * save that lands after the mark sees it and deletes its own file (see saveProfile).
   */
  async markDeleting(openid: string): Promise<void> {
    try {
      await this.doc(openid).update({ data: { deletingAt: this.db.serverDate() } });
    } catch (error) {
      if (!isCollectionMissing(error)) throw error;
    }
  }

  /** Removes the caller's record; answers whether there was one. */
  async remove(openid: string): Promise<boolean> {
    try {
      const { stats } = await this.doc(openid).remove();
      return stats.removed > 0;
    } catch (error) {
      if (isCollectionMissing(error)) return false;
      throw error;
    }
  }

  private async exists(openid: string): Promise<boolean> {
    return (await this.find(openid)) !== null;
  }
}

const pendingCheck = (traceId: string): DbRecord => ({ 'avatarCheck.traceId': traceId });

import type { Profile } from '../../miniprogram/shared/profile';
import type { Caller } from '../core/handler';
import { AppError } from '../core/app-error';
import { isCollectionMissing } from '../core/sdk-errors';
import type { Database, DbRecord } from '../platform/sdk-surface';
import { parseUserRecord } from './parse-user-record';
import { USERS_COLLECTION, type UserRecord } from './user-record';

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
   */
  async create(caller: Caller): Promise<boolean> {
    const data: DbRecord = {
      _id: caller.openid,
      _openid: caller.openid,
      appid: caller.appid,
      unionid: caller.unionid,
      createdAt: this.db.serverDate(),
      lastLoginAt: this.db.serverDate(),
      loginCount: 1,
      profile: null,
      staleAvatarFiles: [],
    };
    try {
      await this.addCreatingCollection(data);
      return true;
    } catch (error) {
      if (await this.exists(caller.openid)) return false;
      throw error;
    }
  }

  /** A returning user's login: one write. */
  async recordLogin(caller: Caller, existing: UserRecord): Promise<void> {
    const _ = this.db.command;
    const data: DbRecord = { lastLoginAt: this.db.serverDate(), loginCount: _.inc(1) };
    if (caller.unionid && existing.unionid !== caller.unionid) data.unionid = caller.unionid;
    await this.doc(caller.openid).update({ data });
  }

  /** Replaces the stored profile; NOT_FOUND when the caller has no record (no login yet). */
  async saveProfile(openid: string, profile: Profile): Promise<void> {
    const { stats } = await this.doc(openid).update({
      data: { profile: this.db.command.set({ ...profile }) },
    });
    if (stats.updated === 0 && !(await this.exists(openid))) {
      throw new AppError('NOT_FOUND', '用户不存在，请先登录');
    }
  }

  /** Records which replaced avatar files still wait for deletion. */
  async setStaleAvatarFiles(openid: string, files: string[]): Promise<void> {
    await this.doc(openid).update({ data: { staleAvatarFiles: this.db.command.set([...files]) } });
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

  private async addCreatingCollection(data: DbRecord): Promise<void> {
    try {
      await this.db.collection(USERS_COLLECTION).add({ data });
    } catch (error) {
      if (!isCollectionMissing(error)) throw error;
      // A new environment has no `users` collection (-502005): create it, then write again.
      await this.createCollectionIfMissing();
      await this.db.collection(USERS_COLLECTION).add({ data });
    }
  }

  private async createCollectionIfMissing(): Promise<void> {
    try {
      await this.db.createCollection(USERS_COLLECTION);
    } catch (error) {
      // Another call may have created it in the meantime; the retried add tells.
      if (isCollectionMissing(error)) throw error;
    }
  }
}

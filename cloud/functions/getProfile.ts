import type { GetProfileData } from '@shared/api';
import { AppError } from '../core/app-error';
import { defineFunction, type Call } from '../core/handler';
import { currentPlatform } from '../platform/sdk';
import { replacedAvatarFiles } from '../profile/avatar-files';
import { UsersStore } from '../users/users-store';

const millis = (value: unknown): number | null =>
  value instanceof Date ? value.getTime() : typeof value === 'number' ? value : null;

/** Everything stored about the caller, minus internal fields: the user's right to see their data. */
async function getProfile({ caller, platform }: Call<'getProfile'>): Promise<GetProfileData> {
  const record = await new UsersStore(platform.database()).find(caller.openid);
  if (!record) throw new AppError('NOT_FOUND', '用户不存在，请先登录');
  return {
    openid: caller.openid,
    appid: record.appid,
    unionid: record.unionid,
    createdAt: millis(record.createdAt),
    lastLoginAt: millis(record.lastLoginAt),
    loginCount: record.loginCount,
    profile: record.profile,
    phone: record.phone,
    // The tracked files other than the current avatar (which is in profile): waiting for deletion.
    staleAvatarFiles: replacedAvatarFiles(record, caller.openid),
  };
}

export const main = defineFunction('getProfile', getProfile, currentPlatform);

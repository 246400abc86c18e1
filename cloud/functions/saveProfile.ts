import type { SaveProfileData } from '../../miniprogram/shared/api';
import { parseAvatarFileID } from '../../miniprogram/shared/avatar-path';
import type { Profile } from '../../miniprogram/shared/profile';
import { AppError, invalidArgument } from '../core/app-error';
import { defineFunction, type Call } from '../core/handler';
import { logWarning } from '../core/log';
import { sdkErrorCode } from '../core/sdk-errors';
import type { CloudPlatform } from '../platform/sdk-surface';
import { profileFromFillIn } from '../profile/filled-profile';
import { profileFromOpenData } from '../profile/open-data-profile';
import { currentPlatform } from '../platform/sdk';
import { UsersStore } from '../users/users-store';

/**
 * Stores the caller's profile from a CloudID (path A) or the fill-in (path B). Only the
 * whitelisted Profile fields are written; nothing else in the event reaches the database.
 */
export async function saveProfile({ event, caller, context, platform }: Call): Promise<SaveProfileData> {
  const now = Date.now();
  const openData = event.profile !== undefined;
  const fillIn = event.nickName !== undefined || event.avatarFileID !== undefined;
  if (openData === fillIn) {
    throw invalidArgument('请传入 profile（CloudID），或 nickName 与 avatarFileID 之一种');
  }
  const profile = openData
    ? await profileFromOpenData(event.profile, event.via, context, platform, now)
    : profileFromFillIn(event.nickName, event.avatarFileID, caller, context.ENV, now);

  const users = new UsersStore(platform.database());
  const existing = await users.find(caller.openid);
  if (!existing) throw new AppError('NOT_FOUND', '用户不存在，请先登录');
  await users.saveProfile(caller.openid, profile);
  await deleteReplacedAvatar(existing.profile, profile, caller.openid, platform);
  return { profile };
}

/** Deletes the caller's previous uploaded avatar once the new profile is stored. */
async function deleteReplacedAvatar(
  previous: Profile | null,
  next: Profile,
  openid: string,
  platform: CloudPlatform,
): Promise<void> {
  const old = previous?.avatarUrl;
  if (!old || old === next.avatarUrl || parseAvatarFileID(old)?.openid !== openid) return;
  try {
    await platform.deleteFile([old]);
  } catch (error) {
    // The record is complete either way; a stale file is only storage, so the save succeeds.
    logWarning(platform.logger(), 'saveProfile', 'old-avatar-not-deleted', {
      errCode: sdkErrorCode(error) ?? 0,
    });
  }
}

export const main = defineFunction('saveProfile', saveProfile, currentPlatform);

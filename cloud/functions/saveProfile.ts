import type { SaveProfileData } from '../../miniprogram/shared/api';
import type { Profile } from '../../miniprogram/shared/profile';
import { AppError, invalidArgument } from '../core/app-error';
import { defineFunction, type Call } from '../core/handler';
import { logWarning } from '../core/log';
import { sdkErrorCode } from '../core/sdk-errors';
import type { CloudPlatform } from '../platform/sdk-surface';
import { deleteFiles, ownedAvatarFiles } from '../profile/avatar-files';
import { profileFromFillIn } from '../profile/filled-profile';
import { profileFromOpenData } from '../profile/open-data-profile';
import { currentPlatform } from '../platform/sdk';
import type { UserRecord } from '../users/user-record';
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
  await deleteReplacedAvatars(existing, profile, caller.openid, users, platform);
  return { profile };
}

/**
 * Deletes the caller's replaced avatar (and any earlier one whose deletion failed) once the
 * new profile is stored. The save has succeeded whatever happens here: files that cannot be
 * deleted are remembered in the record and retried on the next save and on account deletion.
 */
async function deleteReplacedAvatars(
  existing: UserRecord,
  next: Profile,
  openid: string,
  users: UsersStore,
  platform: CloudPlatform,
): Promise<void> {
  const replaced = ownedAvatarFiles(existing, openid).filter((f) => f !== next.avatarUrl);
  if (replaced.length === 0) return;
  let remaining = replaced;
  try {
    remaining = await deleteFiles(platform, replaced);
  } catch (error) {
    logWarning(platform.logger(), 'saveProfile', 'old-avatar-not-deleted', { errCode: sdkErrorCode(error) ?? 0 });
  }
  const unchanged =
    remaining.length === existing.staleAvatarFiles.length &&
    remaining.every((f) => existing.staleAvatarFiles.includes(f));
  if (unchanged) return;
  try {
    await users.setStaleAvatarFiles(openid, remaining);
  } catch (error) {
    logWarning(platform.logger(), 'saveProfile', 'stale-avatars-not-recorded', { errCode: sdkErrorCode(error) ?? 0 });
  }
}

export const main = defineFunction('saveProfile', saveProfile, currentPlatform);

import type { Profile } from '@shared/profile';
import { AppError, invalidArgument } from '../core/app-error';
import { logWarning } from '../core/log';
import { sdkErrorCode } from '../core/sdk-error-codes';
import type { CloudPlatform } from '../platform/sdk-surface';
import type { UserRecord } from '../users/user-record';
import type { UsersStore } from '../users/users-store';
import { deleteFiles, ownedAvatarFiles, replacedAvatarFiles } from './avatar-files';

/** What tidyAvatarFiles needs to know about the save that just wrote the profile. */
interface Saved {
  users: UsersStore;
  platform: CloudPlatform;
  openid: string;
  upload: string | null;
  /** The current avatar saved again: written only if still the avatar (see UsersStore.saveProfile). */
  keptAvatar: string | null;
  profile: Profile;
  updated: boolean;
}

/**
 * After the profile is written: reads the record again and deletes the files it tracks but no
 * longer points at (this save's replaced avatar, other concurrent saves' losers, earlier failed
 * deletions). If deleteAccount started meanwhile, it may have read the record before this
 * save's file was in it: the save deletes its own file then. Failures here leave the files
 * tracked, to be retried by the next save or by deleteAccount; the save has succeeded.
 */
export async function tidyAvatarFiles(saved: Saved): Promise<void> {
  const { users, platform, openid, upload, keptAvatar, profile, updated } = saved;
  let found: UserRecord | null;
  try {
    found = await users.find(openid);
  } catch (error) {
    if (!updated) throw error;
    logWarning(platform.logger(), 'saveProfile', 'avatar-files-not-tidied', { errCode: sdkErrorCode(error) ?? 0 });
    return;
  }
  const record = found;
  if (!record || record.deleting) {
    if (upload) await discardUpload(platform, upload);
    throw accountGone(record);
  }
  if (upload && !ownedAvatarFiles(record, openid).includes(upload)) await discardUpload(platform, upload);
  if (!updated && !isStored(record, profile)) {
    throw keptAvatar === null ? accountGone(null) : keptAvatarGone(record, keptAvatar);
  }

  const replaced = replacedAvatarFiles(record, openid);
  if (replaced.length === 0) return;
  let gone: string[];
  try {
    gone = await deleteFiles(platform, replaced);
  } catch (error) {
    logWarning(platform.logger(), 'saveProfile', 'old-avatar-not-deleted', { errCode: sdkErrorCode(error) ?? 0 });
    return;
  }
  if (gone.length < replaced.length) {
    logWarning(platform.logger(), 'saveProfile', 'old-avatar-not-deleted', { files: replaced.length - gone.length });
  }
  if (gone.length === 0) return;
  try {
    await users.forgetAvatarFiles(
      openid,
      gone,
      gone.some((f) => record.staleAvatarFiles.includes(f)),
    );
  } catch (error) {
    // The files are gone but still tracked: the next deletion finds them missing, which counts as done.
    logWarning(platform.logger(), 'saveProfile', 'deleted-avatars-not-forgotten', {
      errCode: sdkErrorCode(error) ?? 0,
    });
  }
}

/** Whether the record holds exactly `profile` (an update that changed nothing reports 0 updated). */
function isStored(record: UserRecord, profile: Profile): boolean {
  const stored = record.profile as Record<string, unknown> | null;
  return !!stored && Object.entries(profile).every(([key, value]) => stored[key] === value);
}

/** The avatar saved again stopped being the avatar before the save was written. */
function keptAvatarGone(record: UserRecord, keptAvatar: string): AppError {
  return record.avatarRemoved?.fileID === keptAvatar
    ? invalidArgument('头像未通过内容安全检查，已恢复为默认头像，请重新选择')
    : invalidArgument('该头像已被替换，请重新上传');
}

export function accountGone(record: UserRecord | null): AppError {
  return record?.deleting
    ? new AppError('NOT_FOUND', '账号正在注销，请重新注销后再登录')
    : new AppError('NOT_FOUND', '用户不存在，请先登录');
}

/** Deletes an upload no record points at. Best effort: the answer does not depend on it. */
export async function discardUpload(platform: CloudPlatform, fileID: string): Promise<void> {
  try {
    const gone = await deleteFiles(platform, [fileID]);
    if (gone.length === 0) logWarning(platform.logger(), 'saveProfile', 'refused-avatar-not-deleted');
  } catch (error) {
    logWarning(platform.logger(), 'saveProfile', 'refused-avatar-not-deleted', { errCode: sdkErrorCode(error) ?? 0 });
  }
}

import type { OnMediaCheckData } from '@shared/api';
import { defineFunction, type PushCall } from '../core/handler';
import { logWarning } from '../core/log';
import { sdkErrorCode } from '../core/sdk-error-codes';
import type { CloudPlatform } from '../platform/sdk-surface';
import { currentPlatform } from '../platform/sdk';
import { currentAvatarFile, deleteFiles, trackedAvatarFiles } from '../profile/avatar-files';
import type { UserRecord } from '../users/user-record';
import { UsersStore } from '../users/users-store';

/**
 * The verdict of an avatar's media check: the `wxa_media_check` event WeChat pushes to the
 * function configured in 云开发 → 设置 → 其他设置 → 消息推送 (MsgType event, Event
 * wxa_media_check). Pushed by the platform, so there is no caller: the record is the one whose
 * pending check has the event's trace id (trace ids are never answered to a client, so a
 * forged call cannot name another user's check). On `risky` the avatar goes back to none, the
 * file is deleted and the record marked for login to tell the user; `pass` and `review` only
 * clear the pending check. A verdict for an avatar replaced meanwhile changes nothing. The
 * same verdict delivered again finishes what a failed delivery left (the file's deletion).
 */
async function onMediaCheck({ request, platform }: PushCall<'onMediaCheck'>): Promise<OnMediaCheckData> {
  const traceId = request.trace_id;
  const users = new UsersStore(platform.database());
  const record = await users.findByAvatarCheck(traceId);
  if (!record?.avatarCheck) return { handled: await finishRemoval(users, platform, traceId) };
  const openid = record._id;
  const file = record.avatarCheck.fileID;
  // The check belongs to the current avatar (a save sets both in one update); anything else is stale.
  if (currentAvatarFile(record, openid) !== file) return { handled: false };

  const { suggest, label } = request.result;
  const verdict =
    suggest === 'risky' ? ({ removed: true, label, fileID: file } as const) : ({ removed: false } as const);
  if (!(await users.settleAvatarCheck(openid, traceId, verdict))) return { handled: false };
  if (verdict.removed) await deleteRemovedFile(users, platform, record, file);
  return { handled: true };
}

/** A repeated risky verdict: deletes the removed file if a failure left it tracked. */
async function finishRemoval(users: UsersStore, platform: CloudPlatform, traceId: string): Promise<boolean> {
  const record = await users.findByRemovedAvatar(traceId);
  const file = record?.avatarRemoved?.fileID;
  if (!record || !file) return false;
  const openid = record._id;
  if (currentAvatarFile(record, openid) === file || !trackedAvatarFiles(record, openid).includes(file)) return false;
  await deleteRemovedFile(users, platform, record, file);
  return true;
}

/**
 * The profile no longer points at the file, which stays tracked until storage confirms it gone:
 * a failure here is finished by a repeated delivery, the next saveProfile or deleteAccount.
 */
async function deleteRemovedFile(users: UsersStore, platform: CloudPlatform, record: UserRecord, file: string) {
  try {
    const gone = await deleteFiles(platform, [file]);
    if (gone.length === 0) {
      logWarning(platform.logger(), 'onMediaCheck', 'removed-avatar-not-deleted');
      return;
    }
    await users.forgetAvatarFiles(record._id, gone, record.staleAvatarFiles.includes(file));
  } catch (error) {
    logWarning(platform.logger(), 'onMediaCheck', 'removed-avatar-not-deleted', { errCode: sdkErrorCode(error) ?? 0 });
  }
}

export const main = defineFunction('onMediaCheck', onMediaCheck, currentPlatform, { invokedBy: 'platform-push' });

import type { DeleteAccountData } from '@shared/api';
import { AppError } from '../core/app-error';
import { defineFunction, type Call } from '../core/handler';
import { currentPlatform } from '../platform/sdk';
import { deleteFiles, ownedAvatarFiles } from '../profile/avatar-files';
import { UsersStore } from '../users/users-store';

/**
 * 注销账号: deletes the caller's uploaded avatar files, then their record. Files go first: a
 * record removed before its files would leave files nobody can find again. The record is
 * marked before its files are read, so a concurrent saveProfile whose file this call cannot
 * see deletes that file itself. Idempotent: a call that failed part-way is completed by
 * calling again (until then saveProfile refuses the marked account).
 */
async function deleteAccount({ caller, platform }: Call<'deleteAccount'>): Promise<DeleteAccountData> {
  const users = new UsersStore(platform.database());
  await users.markDeleting(caller.openid);
  const record = await users.find(caller.openid);
  if (!record) return { deleted: false, filesDeleted: 0 };
  const files = ownedAvatarFiles(record, caller.openid);
  const gone = await deleteFiles(platform, files);
  if (gone.length < files.length) throw new AppError('INTERNAL', '头像文件删除失败，账号未注销，请稍后重试');
  const deleted = await users.remove(caller.openid);
  return { deleted, filesDeleted: files.length };
}

export const main = defineFunction('deleteAccount', deleteAccount, currentPlatform);

import { parseAvatarFileID } from '../../miniprogram/shared/avatar-path';
import type { CloudPlatform } from '../platform/sdk-surface';
import type { UserRecord } from '../users/user-record';

/** The caller's uploaded avatar files a record refers to: the current avatar and stale ones. */
export function ownedAvatarFiles(record: UserRecord, openid: string): string[] {
  const files = new Set(record.staleAvatarFiles.filter((f) => parseAvatarFileID(f)?.openid === openid));
  const current = record.profile?.avatarUrl;
  if (current && parseAvatarFileID(current)?.openid === openid) files.add(current);
  return [...files];
}

// A file that is already gone counts as deleted (deletion is retried, so it must be idempotent).
const ALREADY_GONE = /not.?exist|NoSuchKey|404/i;

/** Deletes `files`; answers those that are still there. Rejects when storage cannot be reached. */
export async function deleteFiles(platform: CloudPlatform, files: string[]): Promise<string[]> {
  if (files.length === 0) return [];
  const { fileList } = await platform.deleteFile(files);
  const failed = new Set(
    fileList.filter((f) => f.status !== 0 && !ALREADY_GONE.test(f.errMsg ?? '')).map((f) => f.fileID),
  );
  const answered = new Set(fileList.map((f) => f.fileID));
  return files.filter((f) => failed.has(f) || !answered.has(f));
}

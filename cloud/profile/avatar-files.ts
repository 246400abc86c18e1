import { parseAvatarFileID } from '@shared/avatar-path';
import { AppError, invalidArgument } from '../core/app-error';
import { INVALID_PARAM, STORAGE_FILE_NOT_EXIST, STORAGE_PERMISSION_DENIED } from '../core/sdk-error-codes';
import type { CloudPlatform } from '../platform/sdk-surface';
import type { UserRecord } from '../users/user-record';

const own = (openid: string) => (file: string) => parseAvatarFileID(file)?.openid === openid;

/** The caller's uploaded files the record tracks (the legacy list included), each once. */
export function trackedAvatarFiles(record: UserRecord, openid: string): string[] {
  return [...new Set([...record.avatarFiles, ...record.staleAvatarFiles])].filter(own(openid));
}

/** The caller's uploaded avatar the profile points at, or null (none, or an https avatar). */
export function currentAvatarFile(record: UserRecord, openid: string): string | null {
  const current = record.profile?.avatarUrl;
  return current && own(openid)(current) ? current : null;
}

/** Every uploaded file of the caller the record refers to: tracked and current. */
export function ownedAvatarFiles(record: UserRecord, openid: string): string[] {
  const current = currentAvatarFile(record, openid);
  const tracked = trackedAvatarFiles(record, openid);
  return current && !tracked.includes(current) ? [...tracked, current] : tracked;
}

/** Tracked files the profile no longer points at: waiting for deletion. */
export function replacedAvatarFiles(record: UserRecord, openid: string): string[] {
  const current = currentAvatarFile(record, openid);
  return trackedAvatarFiles(record, openid).filter((f) => f !== current);
}

// Per-file answers that say the fileID names no file of this environment's storage.
const NOT_IN_OUR_STORAGE = [STORAGE_FILE_NOT_EXIST, STORAGE_PERMISSION_DENIED, INVALID_PARAM];

/**
 * Answers the temp URL of `fileID` when it is a file in this environment's own storage.
 * getTempFileURL answers per file: a file that was never uploaded, or one named in another
 * bucket, is not there.
 */
export async function confirmUploaded(platform: CloudPlatform, fileID: string): Promise<string> {
  const { fileList } = await platform.getTempFileURL([fileID]);
  const answer = fileList.find((f) => f.fileID === fileID);
  if (answer?.status === 0 && answer.tempFileURL !== '') return answer.tempFileURL;
  if (answer && NOT_IN_OUR_STORAGE.includes(answer.status)) {
    throw invalidArgument('头像文件不存在，请重新上传');
  }
  // No answer for the file, or a failure of storage itself: nothing is stored, the client may retry.
  throw new AppError('INTERNAL', '暂时无法确认头像文件，请稍后再试');
}

/**
 * Deletes `files`; answers those storage confirms gone: deleted now (status 0) or already
 * missing (-503003). Any other answer, whatever its message, leaves the file tracked for a
 * retry. Rejects when storage cannot be reached.
 */
export async function deleteFiles(platform: CloudPlatform, files: string[]): Promise<string[]> {
  if (files.length === 0) return [];
  const { fileList } = await platform.deleteFile(files);
  const gone = new Set(
    fileList.filter((f) => f.status === 0 || f.status === STORAGE_FILE_NOT_EXIST).map((f) => f.fileID),
  );
  return files.filter((f) => gone.has(f));
}

import type { SdkError } from '../platform/sdk-surface';

/** -502005: the collection does not exist (a new environment before its first write). */
const COLLECTION_NOT_EXIST = -502005;

/**
 * -503003: a storage file does not exist, the per-file `status` of deleteFile / getTempFileURL
 * (wx-server-sdk's mapping of storage's `STORAGE_FILE_NONEXIST`, message "storage file not exists").
 */
export const STORAGE_FILE_NOT_EXIST = -503003;
/** -503002: storage permission denied; -501007: invalid parameter (e.g. a fileID storage cannot place). */
export const STORAGE_PERMISSION_DENIED = -503002;
export const INVALID_PARAM = -501007;

/** The numeric SDK error code of a failure, read from errCode or the "<api>:fail <code>" text. */
export function sdkErrorCode(error: unknown): number | undefined {
  if (!error || typeof error !== 'object') {
    return typeof error === 'string' ? codeInText(error) : undefined;
  }
  const { errCode, errMsg, message } = error as SdkError;
  const numeric = typeof errCode === 'string' ? Number(errCode) : errCode;
  if (typeof numeric === 'number' && Number.isFinite(numeric) && numeric !== 0) return numeric;
  return codeInText(errMsg ?? message ?? '');
}

function codeInText(text: string): number | undefined {
  const match = /fail\s+(-\d{6})\b/.exec(text) ?? /\b(-50\d{4}|-60\d{4})\b/.exec(text);
  return match ? Number(match[1]) : undefined;
}

export const isCollectionMissing = (error: unknown): boolean =>
  sdkErrorCode(error) === COLLECTION_NOT_EXIST ||
  /collection.*not exist|DATABASE_COLLECTION_NOT_EXIST/i.test(errorText(error));

function errorText(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object') {
    const { errMsg, message } = error as SdkError;
    return `${errMsg ?? ''} ${message ?? ''}`;
  }
  return '';
}

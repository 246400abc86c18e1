/**
 * Stable error codes shared by the cloud functions and the mini program.
 * Codes are data: the client maps them to messages in one table.
 */
export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'CLOUD_ID_INVALID',
  'CLOUD_ID_EXPIRED',
  'CLOUD_ID_MISMATCH',
  'OPEN_DATA_UNVERIFIED',
  'ANONYMOUS_PROFILE',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  // bindPhone: the code from the getPhoneNumber button is invalid, expired or already used.
  'PHONE_CODE_INVALID',
  // bindPhone: the number WeChat answered was issued for another mini program (watermark appid).
  'PHONE_MISMATCH',
  // saveProfile: the nickname or another typed field failed WeChat's content check (risky); nothing stored.
  'CONTENT_REJECTED',
  // saveProfile: the content check itself failed or is over its quota; nothing stored, try again later.
  'CONTENT_CHECK_UNAVAILABLE',
  'INTERNAL',
  // Client-side only: the call never reached the function or its answer was unreadable.
  'NETWORK',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Errors shaped like wx-server-sdk's: `"<api>:fail <code> <text>"` with `errCode`. */
export class EmulatedSdkError extends Error {
  readonly errMsg: string;
  constructor(
    api: string,
    readonly errCode: number,
    text: string,
  ) {
    super(`${api}:fail ${errCode} ${text}`);
    this.errMsg = this.message;
    this.name = 'CloudSDKError';
  }
}

export const collectionMissing = (api: string, name: string): EmulatedSdkError =>
  new EmulatedSdkError(
    api,
    -502005,
    `database collection not exists. [ResourceNotFound] Db or Table not exist: ${name}`,
  );

export const duplicateKey = (api: string, id: string): EmulatedSdkError =>
  new EmulatedSdkError(
    api,
    -502001,
    `database request fail. [FailedOperation] E11000 duplicate key error, _id: ${id.length}`,
  );

/** What doc().get() rejects with when throwOnNotFound is on (the SDK's default). */
export function documentNotFound(id: string): Error & { errCode: number; errMsg: string } {
  const errMsg = `document.get:fail document with _id ${id} does not exist`;
  return Object.assign(new Error(errMsg), { name: 'CloudSDKError', errCode: -1, errMsg });
}

/**
 * A storage file that does not exist: wx-server-sdk maps the storage answer
 * `STORAGE_FILE_NONEXIST` to this per-file status and message (deleteFile, getTempFileURL).
 */
export const STORAGE_FILE_NOT_EXIST = -503003;
export const STORAGE_FILE_NOT_EXISTS = 'storage file not exists';

/**
 * The part of wx-server-sdk this project uses, typed. wx-server-sdk's own typings declare
 * `Promise<T> | void` results, `any` records and `DYNAMIC_CURRENT_ENV: symbol`; this surface is
 * what the rest of the code sees, implemented by the real SDK (sdk.ts), by the test double
 * (emulation/) and by the local cloud.
 */

export interface WxContext {
  OPENID?: string;
  APPID?: string;
  UNIONID?: string;
  ENV?: string;
  SOURCE?: string;
  /** JSON text `{"keys":["profile"]}`: the top-level fields the platform filled from a CloudID. */
  OPEN_DATA_INFO?: string;
}

/** An SDK failure: `"<api>:fail <code> <text>"` with `errCode` where the SDK knows it. */
export interface SdkError {
  errCode?: number | string;
  errMsg?: string;
  message?: string;
}

type DbValue = unknown;
export type DbRecord = Record<string, DbValue>;

interface DocumentRef {
  get(): Promise<{ data: DbRecord | null }>;
  set(options: { data: DbRecord }): Promise<{ stats: { updated: number; created: number } }>;
  update(options: { data: DbRecord }): Promise<{ stats: { updated: number } }>;
  remove(): Promise<{ stats: { removed: number } }>;
}

interface CollectionRef {
  doc(id: string): DocumentRef;
  add(options: { data: DbRecord }): Promise<{ _id: string }>;
}

interface DbCommand {
  inc(n: number): DbValue;
  /** Replaces a whole field value (a plain object in update() is merged field by field). */
  set(value: DbValue): DbValue;
  remove(): DbValue;
  /** Appends each value to an array field, creating it when missing (`$push` with `$each`). */
  push(values: DbValue[]): DbValue;
  /** Removes every element equal to `value` from an array field (`$pull`). */
  pull(value: DbValue): DbValue;
  /** Removes every element equal to one of `values` from an array field (`$pullAll`). */
  pullAll(values: DbValue[]): DbValue;
}

/**
 * No createCollection: a collection created from a function keeps the platform's default
 * security rule. Collections are created by deploy with the committed rule.
 */
export interface Database {
  collection(name: string): CollectionRef;
  readonly command: DbCommand;
  serverDate(): DbValue;
}

/**
 * One file's answer in deleteFile / getTempFileURL: `status` 0 on success, otherwise an SDK
 * code (-503003 the file does not exist); the call itself succeeds.
 */
export interface FileStatus {
  fileID: string;
  status: number;
  errMsg?: string;
}

interface DeleteFileResult {
  fileList: FileStatus[];
}

export interface TempFileURLResult {
  fileList: Array<FileStatus & { tempFileURL: string }>;
}

export interface OpenDataItem {
  cloudID?: string;
  data?: unknown;
  errCode?: number;
  errMsg?: string;
}

/** `phoneInfo` of cloud.openapi.phonenumber.getPhoneNumber, as the SDK answers it (camelCase). */
export interface PhoneInfo {
  phoneNumber: string;
  purePhoneNumber: string;
  countryCode: string;
  watermark: { appid: string; timestamp: number };
}

export interface Logger {
  info(record: Record<string, string | number | boolean>): void;
  warn(record: Record<string, string | number | boolean>): void;
  error(record: Record<string, string | number | boolean>): void;
}

/** Everything a function handler may touch of the platform. */
export interface CloudPlatform {
  getWXContext(): WxContext;
  database(): Database;
  deleteFile(fileList: string[]): Promise<DeleteFileResult>;
  getTempFileURL(fileList: string[]): Promise<TempFileURLResult>;
  getOpenData(cloudIDs: string[]): Promise<{ list: OpenDataItem[] }>;
  /**
   * Exchanges the code of the getPhoneNumber button (a cloud call: declare
   * `phonenumber.getPhoneNumber` in config.json). A WeChat error rejects with its `errcode` as
   * errCode (40029 invalid code); an answer without a complete phoneInfo rejects too.
   */
  getPhoneNumber(code: string): Promise<PhoneInfo>;
  logger(): Logger;
}

/** The module shape of wx-server-sdk as this project calls it (what a test double must provide). */
export interface WxServerSdkModule {
  DYNAMIC_CURRENT_ENV: symbol | string;
  init(config?: { env?: symbol | string; throwOnNotFound?: boolean }): void;
  getWXContext(): object;
  database(config?: { throwOnNotFound?: boolean }): unknown;
  deleteFile(param: { fileList: string[] }): Promise<unknown> | undefined;
  getTempFileURL(param: { fileList: string[] }): Promise<unknown> | undefined;
  getOpenData(param: { list: string[] }): unknown;
  openapi: { phonenumber: { getPhoneNumber(param: { code: string }): Promise<unknown> } };
  logger(): unknown;
}

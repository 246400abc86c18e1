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

/** The documents matching a condition (field paths like `a.b` to equal values). */
interface Query {
  limit(n: number): Query;
  get(): Promise<{ data: DbRecord[] }>;
  /** Updates every matching document; each document's update is atomic with the match. */
  update(options: { data: DbRecord }): Promise<{ stats: { updated: number } }>;
}

interface CollectionRef {
  doc(id: string): DocumentRef;
  where(condition: DbRecord): Query;
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

/** WeChat's verdict on content: `review` suggests a human look. */
export type ContentSuggest = 'pass' | 'review' | 'risky';

/** `result` of security.msgSecCheck version 2. */
export interface ContentVerdict {
  suggest: ContentSuggest;
  label: number;
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
  /**
   * security.msgSecCheck version 2, scene 1 (profile data), for text `openid` typed (a cloud call:
   * declare `security.msgSecCheck`). Any failure rejects (45009 over quota, -1 system busy,
   * -604101 undeclared), as does an answer without a verdict.
   */
  msgSecCheck(input: { openid: string; content: string; nickname?: string }): Promise<ContentVerdict>;
  /**
   * security.mediaCheckAsync version 2, scene 1, an image (declare `security.mediaCheckAsync`):
   * `mediaUrl` must be downloadable (a getTempFileURL URL). Answers the trace id the verdict
   * event will carry; any failure rejects.
   */
  mediaCheckAsync(input: { openid: string; mediaUrl: string }): Promise<{ traceId: string }>;
  /** An environment variable of the function (cloudbaserc.json `envVariables`), read at call time. */
  environment(name: string): string | undefined;
  logger(): Logger;
}

/** The parameters of cloud.openapi.security.msgSecCheck version 2 (camelCase, as cloud calls take them). */
export interface MsgSecCheckParams {
  version: 2;
  openid: string;
  scene: 1 | 2 | 3 | 4;
  content: string;
  nickname?: string;
}

/** The parameters of cloud.openapi.security.mediaCheckAsync version 2 (mediaType 2: an image). */
export interface MediaCheckAsyncParams {
  version: 2;
  openid: string;
  scene: 1 | 2 | 3 | 4;
  mediaUrl: string;
  mediaType: 1 | 2;
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
  openapi: {
    phonenumber: { getPhoneNumber(param: { code: string }): Promise<unknown> };
    security: {
      msgSecCheck(param: MsgSecCheckParams): Promise<unknown>;
      mediaCheckAsync(param: MediaCheckAsyncParams): Promise<unknown>;
    };
  };
  logger(): unknown;
}

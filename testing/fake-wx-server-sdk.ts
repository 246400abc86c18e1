/**
 * An in-memory double of the wx-server-sdk surface this project uses (see
 * cloud/platform/sdk-surface.ts): a context per call, collections with the real API's
 * semantics (get/set/update/remove/add, the not-found error, -502005 for a missing
 * collection, duplicate `_id` on add), storage, open data and a capturing logger.
 * Every operation is asynchronous and yields, so concurrent calls interleave as on the
 * platform. Tests inject failures per operation and count reads and writes.
 */
import type { WxContext, WxServerSdkModule } from '../cloud/platform/sdk-surface';
import { applyUpdate, command, resolveValues, serverDate, type Doc } from '../emulation/db-commands';
import { CLOUD_ID_TTL_MS, resolveOpenData, type OpenDataEntry } from '../emulation/cloud-id-resolution';
import {
  EmulatedSdkError,
  STORAGE_FILE_NOT_EXIST,
  STORAGE_FILE_NOT_EXISTS,
  collectionMissing,
  documentNotFound,
  duplicateKey,
} from '../emulation/emulated-sdk-errors';
import { PhoneCodes } from '../emulation/phone-codes';
import { BUCKET, ENV } from './fixtures';

type DbOperation = 'get' | 'add' | 'set' | 'update' | 'remove' | 'createCollection';
type StorageOperation = 'uploadFile' | 'deleteFile' | 'getTempFileURL' | 'getOpenData' | 'getPhoneNumber';
type Operation = DbOperation | StorageOperation;

/** One record the double's logger captured, with the level it was logged at. */
interface CapturedLog {
  level: 'info' | 'warn' | 'error' | 'log';
  record: Record<string, unknown>;
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const clone = <T>(value: T): T => resolveValues(value, new Date()) as T;

export class FakeWxServerSdk implements WxServerSdkModule {
  readonly DYNAMIC_CURRENT_ENV = Symbol.for('DYNAMIC_CURRENT_ENV');
  env = ENV;
  bucket = BUCKET;
  context: WxContext = {};
  readonly collections = new Map<string, Map<string, Doc>>();
  readonly files = new Map<string, Buffer>();
  readonly openData = new Map<string, OpenDataEntry>();
  readonly logs: CapturedLog[] = [];
  readonly counts: Record<Operation, number> = {
    get: 0,
    add: 0,
    set: 0,
    update: 0,
    remove: 0,
    createCollection: 0,
    uploadFile: 0,
    deleteFile: 0,
    getTempFileURL: 0,
    getOpenData: 0,
    getPhoneNumber: 0,
  };
  readonly phoneCodes = new PhoneCodes();
  /** The appid getPhoneNumber puts in its watermark; the caller's APPID unless a test sets it. */
  phoneWatermarkAppid: string | undefined;
  private failures: Array<{ op: Operation; nth: number; error: unknown }> = [];
  private fileFailures = new Map<string, { status: number; errMsg: string }>();
  private anyFailure: { at: number; error: unknown } | undefined;
  private throwOnNotFound = true;
  private yieldBefore: (op: Operation) => Promise<void> = tick;
  now = (): number => Date.now();

  // --- test controls -------------------------------------------------------------------

  /** Sets who the next calls come from (what getWXContext() answers). */
  callAs(caller: WxContext): this {
    this.context = { ENV: this.env, SOURCE: 'wx_client', ...caller };
    return this;
  }

  /**
   * Lets a test decide when each operation runs (e.g. fast-check's scheduler), to explore
   * interleavings of concurrent calls. Without it every operation waits one setImmediate.
   */
  scheduleWith(yieldBefore: (op: Operation) => Promise<void>): this {
    this.yieldBefore = yieldBefore;
    return this;
  }

  /** Creates an empty collection (a fresh double has none: -502005 until created). */
  withCollection(name: string): this {
    if (!this.collections.has(name)) this.collections.set(name, new Map());
    return this;
  }

  /** Makes the nth next call of `op` (1 = the next one) reject with `error`. */
  failOn(op: Operation, nth = 1, error: unknown = new EmulatedSdkError(op, -501001, 'resource system error')): this {
    this.failures.push({ op, nth: this.counts[op] + nth, error });
    return this;
  }

  /**
   * Makes the next deleteFile of `fileID` answer a per-file failure (the call itself succeeds,
   * the file stays): what storage answers when it could not delete one file of a batch.
   */
  failDeletionOf(fileID: string, status = -501001, errMsg = 'system error'): this {
    this.fileFailures.set(fileID, { status, errMsg });
    return this;
  }

  /** Makes the nth next operation of any kind (database or storage) reject with `error`. */
  failOnAnyOperation(
    nth: number,
    error: unknown = new EmulatedSdkError('operation', -501001, 'resource system error'),
  ): this {
    this.anyFailure = { at: this.totalOperations + nth, error };
    return this;
  }

  get totalOperations(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }

  resetCounts(): void {
    for (const key of Object.keys(this.counts) as Operation[]) this.counts[key] = 0;
  }

  get writes(): number {
    return this.counts.add + this.counts.set + this.counts.update + this.counts.remove;
  }

  get reads(): number {
    return this.counts.get;
  }

  /** Plays the WeChat client: a cloudID for `data` bound to `openid`, valid 5 minutes. */
  mintCloudID(openid: string, data: Doc, ttlMs = CLOUD_ID_TTL_MS): string {
    const cloudID = `cid_${this.openData.size + 1}_${Math.random().toString(36).slice(2, 10)}`;
    this.openData.set(cloudID, { openid, data, expiresAt: this.now() + ttlMs });
    return cloudID;
  }

  /** What the platform puts in place of a top-level CloudID field for the current caller. */
  resolveCloudID(cloudID: string): Doc {
    return resolveOpenData(cloudID, this.openData.get(cloudID), this.context, this.now());
  }

  /** Builds a call's event as the platform does: top-level CloudIDs resolved and listed. */
  eventWithCloudIDs(event: Doc, cloudIDFields: Record<string, string>): Doc {
    const resolved: Doc = { ...event };
    for (const [field, cloudID] of Object.entries(cloudIDFields)) resolved[field] = this.resolveCloudID(cloudID);
    this.context = { ...this.context, OPEN_DATA_INFO: JSON.stringify({ keys: Object.keys(cloudIDFields) }) };
    return resolved;
  }

  /** A stored document, deep-copied, or undefined. */
  stored(collection: string, id: string): Doc | undefined {
    const doc = this.collections.get(collection)?.get(id);
    return doc ? clone(doc) : undefined;
  }

  // --- wx-server-sdk surface -----------------------------------------------------------

  init(config?: { throwOnNotFound?: boolean }): void {
    if (config && 'throwOnNotFound' in config) this.throwOnNotFound = config.throwOnNotFound !== false;
  }

  getWXContext(): WxContext {
    return { ...this.context };
  }

  database(config?: { throwOnNotFound?: boolean }) {
    const throwOnNotFound =
      config && 'throwOnNotFound' in config ? config.throwOnNotFound !== false : this.throwOnNotFound;
    return {
      command,
      serverDate,
      collection: (name: string) => this.collection(name, throwOnNotFound),
      createCollection: async (name: string) => {
        await this.enter('createCollection');
        if (this.collections.has(name)) {
          throw new EmulatedSdkError('database.createCollection', -501001, 'Table exist');
        }
        this.collections.set(name, new Map());
        return { errMsg: 'createCollection:ok' };
      },
    };
  }

  async uploadFile({ cloudPath, fileContent }: { cloudPath: string; fileContent: Buffer }) {
    await this.enter('uploadFile');
    const fileID = `cloud://${this.env}.${this.bucket}/${cloudPath}`;
    this.files.set(fileID, Buffer.from(fileContent));
    return { fileID, statusCode: 200, errMsg: 'uploadFile:ok' };
  }

  async deleteFile({ fileList }: { fileList: string[] }) {
    await this.enter('deleteFile');
    return {
      fileList: fileList.map((fileID) => {
        const failure = this.fileFailures.get(fileID);
        if (failure) {
          this.fileFailures.delete(fileID);
          return { fileID, ...failure };
        }
        const existed = this.files.delete(fileID);
        return {
          fileID,
          status: existed ? 0 : STORAGE_FILE_NOT_EXIST,
          errMsg: existed ? 'ok' : STORAGE_FILE_NOT_EXISTS,
        };
      }),
    };
  }

  async getTempFileURL({ fileList }: { fileList: string[] }) {
    await this.enter('getTempFileURL');
    return {
      fileList: fileList.map((fileID) => ({
        fileID,
        tempFileURL: this.files.has(fileID)
          ? `https://${this.bucket}.tcb.qcloud.la/${fileID.split('/').slice(3).join('/')}`
          : '',
        status: this.files.has(fileID) ? 0 : STORAGE_FILE_NOT_EXIST,
        errMsg: this.files.has(fileID) ? 'ok' : STORAGE_FILE_NOT_EXISTS,
        maxAge: 7200,
      })),
    };
  }

  async getOpenData({ list }: { list: string[] }) {
    await this.enter('getOpenData');
    return { list: list.map((cloudID) => this.resolveCloudID(cloudID)), errMsg: 'getOpenData:ok', errCode: 0 };
  }

  /** What the getPhoneNumber button gives `openid`'s client for `purePhoneNumber` (single use, 5 minutes). */
  mintPhoneCode(openid: string, purePhoneNumber: string, countryCode = '86'): string {
    return this.phoneCodes.mint(openid, purePhoneNumber, this.now(), countryCode);
  }

  /** `cloud.openapi.*`: the cloud calls this project makes. WeChat's errcode rejects as errCode. */
  readonly openapi = {
    phonenumber: {
      getPhoneNumber: async ({ code }: { code: string }) => {
        await this.enter('getPhoneNumber');
        const appid = this.phoneWatermarkAppid ?? this.context.APPID ?? '';
        const answer = this.phoneCodes.redeem(code, { openid: this.context.OPENID, appid }, this.now());
        if (!('phone_info' in answer)) {
          throw new EmulatedSdkError('openapi.phonenumber.getPhoneNumber', answer.errcode, answer.errmsg);
        }
        return { errCode: 0, errMsg: 'openapi.phonenumber.getPhoneNumber:ok', phoneInfo: answer.phone_info };
      },
    },
  };

  logger() {
    const capture = (level: CapturedLog['level']) => (record: Record<string, unknown>) => {
      this.logs.push({ level, record: { ...record } });
    };
    return { log: capture('log'), info: capture('info'), warn: capture('warn'), error: capture('error') };
  }

  // --- internals -----------------------------------------------------------------------

  private async enter(op: Operation): Promise<void> {
    await this.yieldBefore(op);
    this.counts[op] += 1;
    if (this.anyFailure && this.anyFailure.at === this.totalOperations) {
      const { error } = this.anyFailure;
      this.anyFailure = undefined;
      throw error;
    }
    const index = this.failures.findIndex((f) => f.op === op && f.nth === this.counts[op]);
    if (index >= 0) {
      const [failure] = this.failures.splice(index, 1);
      throw failure.error;
    }
  }

  private table(api: string, name: string): Map<string, Doc> {
    const table = this.collections.get(name);
    if (!table) throw collectionMissing(api, name);
    return table;
  }

  private collection(name: string, throwOnNotFound: boolean) {
    return {
      add: async ({ data }: { data: Doc }) => {
        await this.enter('add');
        const table = this.table('collection.add', name);
        const id =
          typeof data._id === 'string' ? data._id : `auto_${table.size + 1}_${Math.random().toString(36).slice(2, 8)}`;
        if (table.has(id)) throw duplicateKey('collection.add', id);
        table.set(id, { ...(resolveValues(data, new Date(this.now())) as Doc), _id: id });
        return { _id: id, errMsg: 'collection.add:ok' };
      },
      doc: (id: string) => ({
        get: async () => {
          await this.enter('get');
          const doc = this.table('document.get', name).get(id);
          if (!doc) {
            if (throwOnNotFound) throw documentNotFound(id);
            return { data: null, errMsg: 'document.get:ok' };
          }
          return { data: clone(doc), errMsg: 'document.get:ok' };
        },
        set: async ({ data }: { data: Doc }) => {
          await this.enter('set');
          const table = this.table('document.set', name);
          const existed = table.has(id);
          table.set(id, { ...(resolveValues(data, new Date(this.now())) as Doc), _id: id });
          return { _id: id, stats: { updated: existed ? 1 : 0, created: existed ? 0 : 1 }, errMsg: 'document.set:ok' };
        },
        update: async ({ data }: { data: Doc }) => {
          await this.enter('update');
          const table = this.table('document.update', name);
          const doc = table.get(id);
          if (!doc) return { stats: { updated: 0 }, errMsg: 'document.update:ok' };
          table.set(id, applyUpdate(doc, data, new Date(this.now())));
          return { stats: { updated: 1 }, errMsg: 'document.update:ok' };
        },
        remove: async () => {
          await this.enter('remove');
          const removed = this.table('document.remove', name).delete(id);
          return { stats: { removed: removed ? 1 : 0 }, errMsg: 'document.remove:ok' };
        },
      }),
    };
  }
}

/**
 * An in-memory double of the wx-server-sdk surface this project uses (see
 * cloud/platform/sdk-surface.ts): a context per call, collections with the real API's
 * semantics (get/set/update/remove/add, the not-found error, -502005 for a missing
 * collection, duplicate `_id` on add), storage, open data and a capturing logger.
 * Every operation is asynchronous and yields, so concurrent calls interleave as on the
 * platform. Tests inject failures per operation and count reads and writes.
 */
import type {
  MediaCheckAsyncParams,
  MsgSecCheckParams,
  WxContext,
  WxServerSdkModule,
} from '../cloud/platform/sdk-surface';
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
type StorageOperation = 'uploadFile' | 'deleteFile' | 'getTempFileURL' | 'getOpenData';
/** The cloud calls (`cloud.openapi.*`), by their operation name here. */
type CloudCallOperation = 'getPhoneNumber' | 'msgSecCheck' | 'mediaCheckAsync';
type Operation = DbOperation | StorageOperation | CloudCallOperation;

/** The config.json name of each cloud call (what `permissions.openapi` must list). */
const CLOUD_CALL_APIS: Record<CloudCallOperation, string> = {
  getPhoneNumber: 'phonenumber.getPhoneNumber',
  msgSecCheck: 'security.msgSecCheck',
  mediaCheckAsync: 'security.mediaCheckAsync',
};

/** A media check submitted with mediaCheckAsync, waiting for the test to deliver its verdict. */
export interface PendingMediaCheck {
  traceId: string;
  openid: string;
  mediaUrl: string;
  /** The stored file behind the URL, when it is one of the double's temp URLs. */
  fileID: string | null;
}

type Suggest = 'pass' | 'review' | 'risky';
/** Labels of msgSecCheck's answers: 100 normal, 20012 vulgar, 21000 other. */
const LABELS: Record<Suggest, number> = { pass: 100, review: 21000, risky: 20012 };

/** One record the double's logger captured, with the level it was logged at. */
interface CapturedLog {
  level: 'info' | 'warn' | 'error' | 'log';
  record: Record<string, unknown>;
}

/** The value at a field path (`a.b`) of a document; only plain values compare equal in a query. */
function fieldAt(doc: Doc, path: string): unknown {
  let value: unknown = doc;
  for (const key of path.split('.')) {
    if (!value || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = (value as Doc)[key];
  }
  return value;
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
    msgSecCheck: 0,
    mediaCheckAsync: 0,
  };
  /** Every cloud call made (`cloud.openapi.*`), by its config.json name, in order. */
  readonly cloudCalls: string[] = [];
  /**
   * What msgSecCheck answers: `risky` for text containing a risky word, `review` for a review
   * word, `pass` otherwise. Tests replace the lists.
   */
  contentSafety: { riskyWords: string[]; reviewWords: string[] } = { riskyWords: ['违禁词'], reviewWords: ['待审词'] };
  /** Every msgSecCheck's parameters, in order. */
  readonly textChecks: MsgSecCheckParams[] = [];
  /** Media checks submitted and not yet delivered, by trace id. */
  readonly mediaChecks = new Map<string, PendingMediaCheck>();
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

  /**
   * Makes the nth next call of a content check reject as WeChat does: 45009 over quota, -1
   * system busy, -604101 not declared in config.json.
   */
  failContentCheck(api: 'msgSecCheck' | 'mediaCheckAsync', errCode: number, nth = 1): this {
    return this.failOn(api, nth, new EmulatedSdkError(`openapi.security.${api}`, errCode, `errcode ${errCode}`));
  }

  /** The `wxa_media_check` event WeChat pushes with the verdict of a media check. */
  mediaCheckEvent(traceId: string, suggest: Suggest, label = LABELS[suggest]): Doc {
    const check = this.mediaChecks.get(traceId);
    return {
      ToUserName: 'gh_0000000000ab',
      FromUserName: check?.openid ?? '',
      CreateTime: Math.floor(this.now() / 1000),
      MsgType: 'event',
      Event: 'wxa_media_check',
      appid: this.context.APPID ?? '',
      trace_id: traceId,
      version: 2,
      detail: [{ strategy: 'content_model', errcode: 0, suggest, label, prob: 90 }],
      errcode: 0,
      errmsg: 'ok',
      result: { suggest, label },
    };
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
        tempFileURL: this.files.has(fileID) ? this.tempFileURL(fileID) : '',
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
    security: {
      msgSecCheck: async (param: MsgSecCheckParams) => {
        await this.enter('msgSecCheck');
        this.textChecks.push({ ...param });
        const text = `${param.content}\n${param.nickname ?? ''}`;
        const hit = (words: string[]) => words.some((w) => w !== '' && text.includes(w));
        const suggest: Suggest = hit(this.contentSafety.riskyWords)
          ? 'risky'
          : hit(this.contentSafety.reviewWords)
            ? 'review'
            : 'pass';
        return {
          errCode: 0,
          errMsg: 'openapi.security.msgSecCheck:ok',
          result: { suggest, label: LABELS[suggest] },
          detail: [{ strategy: 'content_model', errcode: 0, suggest, label: LABELS[suggest], prob: 90 }],
          traceId: this.newTraceId(),
        };
      },
      mediaCheckAsync: async (param: MediaCheckAsyncParams) => {
        await this.enter('mediaCheckAsync');
        const traceId = this.newTraceId();
        const { openid, mediaUrl } = param;
        const fileID = [...this.files.keys()].find((f) => this.tempFileURL(f) === mediaUrl) ?? null;
        this.mediaChecks.set(traceId, { traceId, openid, mediaUrl, fileID });
        return { errCode: 0, errMsg: 'openapi.security.mediaCheckAsync:ok', traceId };
      },
    },
  };

  /** WeChat's trace ids are long random tokens: a client cannot guess another user's. */
  private newTraceId(): string {
    return `${Math.random().toString(16).slice(2, 10)}-${Math.random().toString(16).slice(2, 10)}-${Date.now().toString(16)}`;
  }

  private tempFileURL(fileID: string): string {
    return `https://${this.bucket}.tcb.qcloud.la/${fileID.split('/').slice(3).join('/')}`;
  }

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
    if (op in CLOUD_CALL_APIS) this.cloudCalls.push(CLOUD_CALL_APIS[op as CloudCallOperation]);
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
    const matching = (condition: Doc, limit = Infinity): Array<[string, Doc]> =>
      [...this.table('collection.where', name).entries()]
        .filter(([, doc]) => Object.entries(condition).every(([path, value]) => fieldAt(doc, path) === value))
        .slice(0, limit);
    const query = (condition: Doc, limit = Infinity) => ({
      limit: (n: number) => query(condition, n),
      get: async () => {
        await this.enter('get');
        return { data: matching(condition, limit).map(([, doc]) => clone(doc)), errMsg: 'collection.get:ok' };
      },
      update: async ({ data }: { data: Doc }) => {
        await this.enter('update');
        const table = this.table('collection.update', name);
        const found = matching(condition, limit);
        for (const [id, doc] of found) table.set(id, applyUpdate(doc, data, new Date(this.now())));
        return { stats: { updated: found.length }, errMsg: 'collection.update:ok' };
      },
    });
    return {
      where: (condition: Doc) => query(condition),
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

/**
 * A developer's own plain-JavaScript function (fixtures/sdk-tour, a DevTools-style folder with its
 * own package.json and wx-server-sdk, listed in cloudbaserc.json) run by the emulator on the real,
 * unmodified SDK: every database, storage and open-data feature answers as CloudBase documents.
 */
import { startTestCloud, type Caller, type TestCloud } from './harness';

const ALICE = { openid: 'oAlice0000000000000000000001', unionid: 'uAlice' };
const BOB = { openid: 'oBob00000000000000000000000002' };

let cloud: TestCloud;
beforeAll(async () => {
  cloud = await startTestCloud();
});
afterAll(() => cloud.close());

/** The tour's answer (the call must succeed). */
async function tour<T = Record<string, unknown>>(
  name: string,
  extra: Record<string, unknown> = {},
  caller: Caller = ALICE,
): Promise<T> {
  const { status, body } = await cloud.call('sdk-tour', { tour: name, ...extra }, caller);
  if (status !== 200) throw new Error(`tour ${name}: HTTP ${status} ${JSON.stringify(body)}`);
  return body as T;
}

const failed = (errCode: number, errMsg: RegExp | string, code?: string) => ({
  ok: false,
  errCode,
  errMsg: typeof errMsg === 'string' ? errMsg : expect.stringMatching(errMsg),
  ...(code === undefined ? {} : { code }),
});

it('is served from its folder, with the caller of each call in getWXContext()', async () => {
  expect(await tour('context')).toEqual({
    OPENID: ALICE.openid,
    UNIONID: ALICE.unionid,
    APPID: 'wxlocal0000000000',
    ENV: 'local-env',
    SOURCE: 'wx_client',
    CLIENTIP: expect.any(String),
  });
  const bob = await tour('context', {}, BOB);
  expect(bob).toMatchObject({ OPENID: BOB.openid });
  expect(bob).not.toHaveProperty('UNIONID');
});

describe('database', () => {
  it('creates collections, and answers the platform errors for an existing or missing one', async () => {
    const missing = /fail -502005 database collection not exists\. \[ResourceNotFound\] Db or Table not exist/;
    expect(await tour('collections')).toEqual({
      created: { ok: true, value: { errMsg: 'createCollection:ok', requestId: expect.any(String) } },
      again: failed(-1, 'createCollection:fail [ResourceInUse] Table exist.', 'DATABASE_COLLECTION_ALREADY_EXIST'),
      missingGet: failed(-502005, missing),
      missingWhere: failed(-502005, missing),
      missingAdd: failed(-502005, missing),
      missingAggregate: failed(-1, /^collection\.aggregate:fail \[ResourceNotFound\]/, 'DATABASE_COLLECTION_NOT_EXIST'),
    });
  });

  it('adds, gets, sets, updates and removes documents, with not-found and duplicate-key answers', async () => {
    const result = await tour('documents');
    expect(result).toEqual({
      added: 'a',
      duplicate: failed(-502001, /^collection\.add:fail -502001 database request fail\. .*duplicate key/),
      generatedId: expect.stringMatching(/^[0-9a-f]{32}$/),
      got: { _id: 'a', n: 1, tags: ['x'] },
      missing: failed(-1, 'document.get:fail document with _id zz does not exist'),
      missingNoThrow: null,
      // set() replaces the whole document; update() merges field by field.
      replaced: { updated: 1, created: 0 },
      afterSet: { _id: 'a', m: 2 },
      created: { updated: 0, created: 1 },
      updated: { updated: 1 },
      afterUpdate: { _id: 'a', m: 2, x: 1, nested: { y: 2 } },
      updatedMissing: { updated: 0 },
      removed: { removed: 1 },
      removedMissing: { removed: 0 },
      left: [result.generatedId, 'b'].sort(),
    });
  });

  it('selects with every query command, nested fields and regular expressions', async () => {
    // p1 alice 30, p2 Bob 20, p3 carol 40, p4 dave (no age); neq/nin/not also select the field's absence.
    expect(await tour('queryCommands')).toEqual({
      eq: ['p1'],
      neq: ['p2', 'p3', 'p4'],
      gt: ['p3'],
      gte: ['p1', 'p3'],
      lt: ['p2'],
      lte: ['p1', 'p2'],
      in: ['p1', 'p4'],
      nin: ['p2', 'p3'],
      and: ['p1'],
      andOf: ['p1'],
      or: ['p1', 'p2'],
      not: ['p2', 'p4'],
      exists: ['p4'],
      size: ['p1'],
      elemMatch: ['p1', 'p2'],
      nested: ['p1', 'p3'],
      dotPath: ['p2'],
      regexp: ['p2'],
      regexpLiteral: ['p1', 'p3'],
    });
  });

  it('applies every update command', async () => {
    expect(await tour('updateCommands')).toEqual({
      stats: { updated: 1 },
      doc: {
        _id: 'u',
        n: 7,
        m: 12,
        low: 3,
        high: 9,
        renamed: 'renamed me',
        list: [0, 1, 2, 3, 4, 5],
        queue: [2],
        pulled: [1, 3],
        pulledAll: [2, 3],
        set: ['x', 'y'],
        obj: { c: 3 },
        added: 'plain value',
      },
    });
  });

  it('orders by several fields, skips, limits, projects and counts', async () => {
    // n = i % 4 for i in 0..11; n >= 1 by n desc then i asc is 3 7 11 2 6 10 1 5 9.
    expect(await tour('queryOptions')).toEqual({
      page: [
        { _id: 'd11', i: 11, n: 3 },
        { _id: 'd02', i: 2, n: 2 },
        { _id: 'd06', i: 6, n: 2 },
      ],
      count: 3,
      total: 12,
      defaultLimit: 12,
    });
  });

  it('updates and removes every document a where() selects', async () => {
    expect(await tour('whereWrites')).toEqual({
      updated: { updated: 2 },
      removed: { removed: 1 },
      left: [
        { _id: 'a', kind: 'x', n: 11 },
        { _id: 'c', kind: 'y', n: 3 },
      ],
    });
  });

  it('stores serverDate() as the server clock, with its offset, and compares with it in queries', async () => {
    const result = await tour<{ isDate: boolean; at: number; later: number; before: number; after: number }>(
      'serverDate',
    );
    expect(result).toMatchObject({ isDate: true, past: ['d'], future: [] });
    expect(result.later - result.at).toBe(60_000);
    // The function and the emulator read the same machine clock.
    expect(result.at).toBeGreaterThanOrEqual(result.before);
    expect(result.at).toBeLessThanOrEqual(result.after);
  });

  it('runs transactions: runTransaction commits or rolls back, startTransaction commits and rolls back', async () => {
    expect(await tour('transactions')).toEqual({
      moved: 100,
      aborted: { ok: false, errMsg: 'changed my mind' },
      balances: [
        ['alice', 70],
        ['bob', 35],
      ],
    });
  });

  it('aggregates with match, group (sum, avg, min, max), sort, skip, limit, lookup, unwind, project and count', async () => {
    expect(await tour('aggregate')).toEqual({
      grouped: [
        { user: 'u1', name: 'alice', total: 40, average: 20, smallest: 10, largest: 30, orders: 2 },
        { user: 'u2', name: 'bob', total: 5, average: 5, smallest: 5, largest: 5, orders: 1 },
      ],
      unwound: [{ items: 4 }],
    });
  });
});

describe('storage', () => {
  it('uploads, lists temp URLs, downloads and deletes, with per-file statuses for a missing file', async () => {
    const result = await tour<{ fileID: string; tempFileURL: string }>('storage', {
      name: 'hello.txt',
      content: '你好, storage',
    });
    expect(result).toEqual({
      fileID: 'cloud://local-env.6c6f-local-env-1300000000/tour/hello.txt',
      urls: [
        { status: 0, hasUrl: true },
        { status: -503003, hasUrl: false },
      ],
      tempFileURL: expect.stringMatching(new RegExp(`^${cloud.url}/`)),
      downloaded: '你好, storage',
      deleted: [0, -503003],
      afterDelete: failed(-1, /^downloadFile:fail /, 'STORAGE_FILE_NONEXIST'),
    });
    expect((await fetch(result.tempFileURL)).status).toBe(404);
  });
});

describe('open data and cloud calls', () => {
  it('resolves cloudIDs through getOpenData for the caller only', async () => {
    const cloudID = await cloud.mintCloudID(ALICE, { nickName: '小红' });
    const { list } = await tour<{ list: unknown[] }>('openData', { cloudIDs: [cloudID, 'never-minted'] });
    expect(list).toEqual([
      {
        cloudID,
        data: expect.objectContaining({
          nickName: '小红',
          watermark: { appid: 'wxlocal0000000000', timestamp: expect.any(Number) },
        }),
      },
      { cloudID: 'never-minted', errCode: -601005, errMsg: 'cloudID invalid' },
    ]);
    const forBob = await tour<{ list: unknown[] }>('openData', { cloudIDs: [cloudID] }, BOB);
    expect(forBob.list).toEqual([expect.objectContaining({ cloudID, errCode: -601007 })]);
  });

  it('refuses a cloud call its config.json does not declare with -604101', async () => {
    expect(await tour('openapi')).toEqual({
      ok: false,
      errCode: -604101,
      errMsg: 'system error: error code: -604101',
    });
  });

  it("calls another function, which runs for the caller's user", async () => {
    const answer = await tour('callFunction', { name: 'login' });
    expect(answer).toEqual({
      ok: true,
      value: {
        result: {
          ok: true,
          data: {
            openid: ALICE.openid,
            appid: 'wxlocal0000000000',
            unionid: ALICE.unionid,
            isNewUser: true,
            profile: null,
          },
        },
        errMsg: 'callFunction:ok',
        requestID: expect.any(String),
      },
    });
  });

  it("answers the platform's error for a function that crashes or does not exist", async () => {
    expect(await tour('callFunction', { name: 'crash' })).toEqual(
      failed(
        -1,
        /^callFunction:fail errCode: -504002 functions execute fail \| errMsg: Error: crashed outside the call/,
        'FUNCTIONS_EXECUTE_FAIL',
      ),
    );
    expect(await tour('callFunction', { name: 'nope' })).toEqual(
      failed(-1, /^callFunction:fail \[ResourceNotFound\.FunctionName\]/, 'FUNCTIONS_EXECUTE_FAIL'),
    );
  });
});

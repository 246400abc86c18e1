/** The nedb-backed database against the cloud database's semantics. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import fc from 'fast-check';
import * as os from 'os';
import * as path from 'path';
import type { Doc } from '../emulation/db-commands';
import { FaultyJournalFs } from './journal-faults';
import { NedbDatabase, type LocalDatabaseApi } from './nedb-database';
import { USERS_COLLECTION } from '../cloud/users/user-record';

let dir: string;
let database: NedbDatabase;
let db: LocalDatabaseApi;
const NOW = Date.UTC(2024, 0, 1);

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'nedb-db-'));
  database = await openDatabase();
  db = database.api(false);
});
afterEach(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

const openDatabase = (fs?: FaultyJournalFs): Promise<NedbDatabase> =>
  NedbDatabase.open(dir, { compactionIntervalMs: 0, clock: () => NOW, journal: { fs } });

const errCodeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return (error as { errCode: number }).errCode;
  }
};

describe('NedbDatabase', () => {
  it('fails every operation on a missing collection with -502005 until it is created', async () => {
    const users = db.collection(USERS_COLLECTION);
    expect(await errCodeOf(users.doc('a').get())).toBe(-502005);
    expect(await errCodeOf(users.add({ data: { _id: 'a' } }))).toBe(-502005);
    expect(await errCodeOf(users.doc('a').update({ data: { x: 1 } }))).toBe(-502005);
    expect(await errCodeOf(users.where({}).count())).toBe(-502005);
    await db.createCollection(USERS_COLLECTION);
    expect(await errCodeOf(db.createCollection(USERS_COLLECTION))).toBe(-501001);
    expect(await users.doc('a').get()).toEqual({ data: null, errMsg: 'document.get:ok' });
  });

  it('throws document-not-found when throwOnNotFound is on', async () => {
    await db.createCollection(USERS_COLLECTION);
    await expect(database.api(true).collection(USERS_COLLECTION).doc('nobody').get()).rejects.toThrow(
      'document.get:fail document with _id nobody does not exist',
    );
  });

  it('adds, refuses a duplicate _id, and generates ids', async () => {
    await db.createCollection(USERS_COLLECTION);
    const users = db.collection(USERS_COLLECTION);
    expect(await users.add({ data: { _id: 'a', n: 1, at: db.serverDate() } })).toEqual({
      _id: 'a',
      errMsg: 'collection.add:ok',
    });
    expect(await errCodeOf(users.add({ data: { _id: 'a' } }))).toBe(-502001);
    const { _id } = await users.add({ data: { n: 2 } });
    expect(_id).toMatch(/^[0-9a-f]{32}$/);
    expect((await users.doc('a').get()).data).toEqual({ _id: 'a', n: 1, at: new Date(NOW) });
  });

  it('sets (upsert), updates with commands, and removes', async () => {
    await db.createCollection(USERS_COLLECTION);
    const doc = db.collection(USERS_COLLECTION).doc('a');
    expect((await doc.set({ data: { n: 1, keep: { x: 1, y: 2 }, gone: true } })).stats).toEqual({
      updated: 0,
      created: 1,
    });
    expect((await doc.set({ data: { n: 1, keep: { x: 1, y: 2 }, gone: true } })).stats).toEqual({
      updated: 1,
      created: 0,
    });
    const _ = db.command;
    await doc.update({
      data: { n: _.inc(2), keep: { y: 3 }, gone: _.remove(), obj: _.set({ z: 1 }), at: db.serverDate() },
    });
    expect((await doc.get()).data).toEqual({ _id: 'a', n: 3, keep: { x: 1, y: 3 }, obj: { z: 1 }, at: new Date(NOW) });
    expect(
      (
        await db
          .collection(USERS_COLLECTION)
          .doc('nobody')
          .update({ data: { n: 1 } })
      ).stats,
    ).toEqual({ updated: 0 });
    expect((await doc.remove()).stats).toEqual({ removed: 1 });
    expect((await doc.remove()).stats).toEqual({ removed: 0 });
  });

  it('loses no increment under concurrent updates of one document', async () => {
    await db.createCollection(USERS_COLLECTION);
    const doc = db.collection(USERS_COLLECTION).doc('a');
    await doc.set({ data: { n: 0 } });
    await Promise.all(Array.from({ length: 100 }, () => doc.update({ data: { n: db.command.inc(1) } })));
    expect((await doc.get()).data).toMatchObject({ n: 100 });
  });

  it('queries with where (nested fields), limit, skip, orderBy, count, update and remove', async () => {
    await db.createCollection(USERS_COLLECTION);
    const users = db.collection(USERS_COLLECTION);
    for (let i = 0; i < 5; i += 1)
      await users.add({ data: { _id: `u${i}`, i, profile: { source: i % 2 ? 'odd' : 'even' } } });
    expect((await users.where({ profile: { source: 'even' } }).count()).total).toBe(3);
    const page = await users
      .where({ profile: { source: 'even' } })
      .orderBy('i', 'desc')
      .skip(1)
      .limit(1)
      .get();
    expect(page.data.map((d) => d._id)).toEqual(['u2']);
    expect((await users.where({ profile: { source: 'odd' } }).update({ data: { flagged: true } })).stats).toEqual({
      updated: 2,
    });
    expect((await users.where({ flagged: true }).remove()).stats).toEqual({ removed: 2 });
    expect((await users.count()).total).toBe(3);
    expect(await errCodeOf(users.where({ i: db.command.inc(1) }).get())).toBe(-501007);
  });

  it('persists one compacted line per document and reloads it', async () => {
    await db.createCollection(USERS_COLLECTION);
    const doc = db.collection(USERS_COLLECTION).doc('a');
    await doc.set({ data: { n: 1, at: db.serverDate() } });
    await doc.update({ data: { n: db.command.inc(1) } });
    await database.close();
    expect(readFileSync(path.join(dir, 'users.db'), 'utf8').trim().split('\n')).toHaveLength(1);
    database = await openDatabase();
    expect((await database.api(false).collection(USERS_COLLECTION).doc('a').get()).data).toEqual({
      _id: 'a',
      n: 2,
      at: new Date(NOW),
    });
  });

  it('reports invalid field names as SDK errors', async () => {
    await db.createCollection(USERS_COLLECTION);
    expect(await errCodeOf(db.collection(USERS_COLLECTION).add({ data: { $bad: 1 } }))).toBe(-501007);
    expect(await errCodeOf(db.createCollection('../etc'))).toBe(-501007);
  });
});

describe('NedbDatabase when the disk fails', () => {
  const A = { _id: 'a', n: 1, group: 'g' };
  const B = { _id: 'b', n: 1, group: 'g' };
  const everything = async (api: LocalDatabaseApi): Promise<Doc[]> =>
    (await api.collection(USERS_COLLECTION).orderBy('_id', 'asc').get()).data;

  type Write = (api: LocalDatabaseApi) => Promise<unknown>;
  const writes: Array<[string, string, Write]> = [
    ['add', 'collection.add', (api) => api.collection(USERS_COLLECTION).add({ data: { _id: 'c', n: 1 } })],
    [
      'set (create)',
      'document.set',
      (api) =>
        api
          .collection(USERS_COLLECTION)
          .doc('c')
          .set({ data: { n: 1 } }),
    ],
    [
      'set (replace)',
      'document.set',
      (api) =>
        api
          .collection(USERS_COLLECTION)
          .doc('a')
          .set({ data: { n: 9 } }),
    ],
    [
      'doc().update',
      'document.update',
      (api) =>
        api
          .collection(USERS_COLLECTION)
          .doc('a')
          .update({ data: { n: api.command.inc(1) } }),
    ],
    ['doc().remove', 'document.remove', (api) => api.collection(USERS_COLLECTION).doc('a').remove()],
    [
      'where().update',
      'collection.update',
      (api) =>
        api
          .collection(USERS_COLLECTION)
          .where({ group: 'g' })
          .update({ data: { n: 5 } }),
    ],
    ['where().remove', 'collection.remove', (api) => api.collection(USERS_COLLECTION).where({ group: 'g' }).remove()],
  ];

  it.each(writes)(
    'a failed %s answers a system error and changes nothing, now or after a restart',
    async (_, api, write) => {
      await db.createCollection(USERS_COLLECTION);
      await db.collection(USERS_COLLECTION).add({ data: A });
      await db.collection(USERS_COLLECTION).add({ data: B });
      await database.close();
      const fs = new FaultyJournalFs();
      database = await openDatabase(fs);
      fs.failNext('write', { fileSuffix: '.db' });

      const error = await write(database.api(false)).then(
        () => null,
        (e: { errCode: number; errMsg: string }) => e,
      );
      expect(error).toMatchObject({ errCode: -501001, errMsg: `${api}:fail -501001 resource system error. ENOSPC` });
      expect(fs.pending).toBe(0);
      expect(await everything(database.api(false))).toEqual([A, B]);
      expect((await database.api(false).collection(USERS_COLLECTION).doc('c').get()).data).toBeNull();

      await database.close();
      database = await openDatabase();
      expect(await everything(database.api(false))).toEqual([A, B]);
      // And the same write works once the disk does.
      await write(database.api(false));
    },
  );

  it('refuses a duplicate _id among concurrent adds, and keeps the one it answered', async () => {
    await db.createCollection(USERS_COLLECTION);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        errCodeOf(db.collection(USERS_COLLECTION).add({ data: { _id: 'same', n } })),
      ),
    );
    expect(results.filter((r) => r === 'resolved')).toHaveLength(1);
    expect(results.filter((r) => r === -502001)).toHaveLength(19);
    const winner = results.indexOf('resolved');
    expect((await db.collection(USERS_COLLECTION).doc('same').get()).data).toEqual({ _id: 'same', n: winner });
    await database.close();
    database = await openDatabase();
    expect((await database.api(false).collection(USERS_COLLECTION).doc('same').get()).data).toEqual({
      _id: 'same',
      n: winner,
    });
  });

  it('starts on a one-record file whose last line a crash cut short, and keeps writing', async () => {
    await database.close();
    writeFileSync(path.join(dir, 'users.db'), '{"_id":"a","n":1}\n{"_id":"b","n');
    database = await openDatabase();
    const users = database.api(false).collection(USERS_COLLECTION);
    expect((await users.get()).data).toEqual([{ _id: 'a', n: 1 }]);
    await users.add({ data: { _id: 'c', n: 3 } });
    await database.close();
    database = await openDatabase();
    expect((await database.api(false).collection(USERS_COLLECTION).orderBy('_id', 'asc').get()).data).toEqual([
      { _id: 'a', n: 1 },
      { _id: 'c', n: 3 },
    ]);
  });

  it('refuses to start on a damaged file, naming it and the line', async () => {
    await database.close();
    const file = path.join(dir, 'users.db');
    writeFileSync(file, '{"_id":"a"}\n{"_id":"b",,}\n{"_id":"c"}\n');
    await expect(openDatabase()).rejects.toThrow(`${file}, line 2: not a readable record`);
    expect(readFileSync(file, 'utf8')).toBe('{"_id":"a"}\n{"_id":"b",,}\n{"_id":"c"}\n');
    rmSync(file);
    database = await openDatabase();
  });

  it('starts and serves when the compaction at start fails', async () => {
    await db.createCollection(USERS_COLLECTION);
    await db.collection(USERS_COLLECTION).add({ data: A });
    await database.close();
    const fs = new FaultyJournalFs().failNext('rename');
    database = await openDatabase(fs);
    expect(fs.pending).toBe(0);
    await database.api(false).collection(USERS_COLLECTION).add({ data: B });
    expect(await everything(database.api(false))).toEqual([A, B]);
    await database.close();
    database = await openDatabase();
    expect(await everything(database.api(false))).toEqual([A, B]);
  });

  it('answers a system error when the collection file cannot be created, and the name stays free', async () => {
    await database.close();
    const fs = new FaultyJournalFs().failNext('open', { code: 'EACCES' });
    database = await openDatabase(fs);
    expect(await errCodeOf(database.api(false).createCollection(USERS_COLLECTION))).toBe(-501001);
    expect(await errCodeOf(database.api(false).collection(USERS_COLLECTION).get())).toBe(-502005);
    await database.api(false).createCollection(USERS_COLLECTION);
  });
});

describe('NedbDatabase.createMissingCollections', () => {
  it('creates the missing collections, keeps existing ones, and they survive a restart unwritten', async () => {
    await db.createCollection(USERS_COLLECTION);
    await db.collection(USERS_COLLECTION).add({ data: { _id: 'a' } });
    await database.createMissingCollections([USERS_COLLECTION, 'logs']);
    expect((await db.collection(USERS_COLLECTION).get()).data).toEqual([{ _id: 'a' }]);
    expect((await db.collection('logs').count()).total).toBe(0);
    await database.close();
    database = await openDatabase();
    expect((await database.api(false).collection('logs').count()).total).toBe(0);
    expect((await database.api(false).collection(USERS_COLLECTION).get()).data).toEqual([{ _id: 'a' }]);
  });

  it('creates a collection once when asked twice at the same time', async () => {
    const results = await Promise.all([errCodeOf(db.createCollection('x')), errCodeOf(db.createCollection('x'))]);
    expect(results.sort()).toEqual([-501001, 'resolved'].sort());
  });
});

describe('NedbDatabase under concurrent writes, compactions and failures', () => {
  it('counts exactly the answered increments, in memory and after a restart, in any interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('inc', 'inc', 'inc', 'fail', 'compact', 'read'), { minLength: 1, maxLength: 30 }),
        fc.scheduler(),
        async (steps, scheduler) => {
          await database.close();
          rmSync(dir, { recursive: true, force: true });
          const fs = new FaultyJournalFs();
          database = await openDatabase(fs);
          const api = database.api(false);
          await api.createCollection(USERS_COLLECTION);
          const counter = api.collection(USERS_COLLECTION).doc('counter');
          await counter.set({ data: { n: 0 } });
          let answered = 0;
          let started = 0;
          const runs = steps.map(async (step) => {
            await scheduler.schedule(Promise.resolve(), step);
            if (step === 'fail') fs.failNext('write', { fileSuffix: '.db' });
            else if (step === 'compact') await database.table('test', USERS_COLLECTION).compact();
            else if (step === 'read') {
              // Never more than what was answered or is on its way.
              const n = (await counter.get()).data?.n as number;
              expect(n).toBeLessThanOrEqual(started);
              expect(n).toBeGreaterThanOrEqual(answered);
            } else {
              started += 1;
              const result = await errCodeOf(counter.update({ data: { n: api.command.inc(1) } }));
              expect([-501001, 'resolved']).toContain(result);
              if (result === 'resolved') answered += 1;
            }
          });
          await scheduler.waitFor(Promise.all(runs));
          expect((await counter.get()).data).toEqual({ _id: 'counter', n: answered });
          await database.close();
          database = await openDatabase();
          expect((await database.api(false).collection(USERS_COLLECTION).doc('counter').get()).data).toEqual({
            _id: 'counter',
            n: answered,
          });
        },
      ),
      { numRuns: 40 },
    );
  });
});

/** The nedb-backed database against the cloud database's semantics. */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NedbDatabase, type LocalDatabaseApi } from './nedb-database';

let dir: string;
let database: NedbDatabase;
let db: LocalDatabaseApi;
const NOW = Date.UTC(2024, 0, 1);

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'nedb-db-'));
  database = await NedbDatabase.open(dir, 0, () => NOW);
  db = database.api(false);
});
afterEach(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

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
    const users = db.collection('users');
    expect(await errCodeOf(users.doc('a').get())).toBe(-502005);
    expect(await errCodeOf(users.add({ data: { _id: 'a' } }))).toBe(-502005);
    expect(await errCodeOf(users.doc('a').update({ data: { x: 1 } }))).toBe(-502005);
    expect(await errCodeOf(users.where({}).count())).toBe(-502005);
    await db.createCollection('users');
    expect(await errCodeOf(db.createCollection('users'))).toBe(-501001);
    expect(await users.doc('a').get()).toEqual({ data: null, errMsg: 'document.get:ok' });
  });

  it('throws document-not-found when throwOnNotFound is on', async () => {
    await db.createCollection('users');
    await expect(database.api(true).collection('users').doc('nobody').get()).rejects.toThrow(
      'document.get:fail document with _id nobody does not exist',
    );
  });

  it('adds, refuses a duplicate _id, and generates ids', async () => {
    await db.createCollection('users');
    const users = db.collection('users');
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
    await db.createCollection('users');
    const doc = db.collection('users').doc('a');
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
          .collection('users')
          .doc('nobody')
          .update({ data: { n: 1 } })
      ).stats,
    ).toEqual({ updated: 0 });
    expect((await doc.remove()).stats).toEqual({ removed: 1 });
    expect((await doc.remove()).stats).toEqual({ removed: 0 });
  });

  it('loses no increment under concurrent updates of one document', async () => {
    await db.createCollection('users');
    const doc = db.collection('users').doc('a');
    await doc.set({ data: { n: 0 } });
    await Promise.all(Array.from({ length: 100 }, () => doc.update({ data: { n: db.command.inc(1) } })));
    expect((await doc.get()).data).toMatchObject({ n: 100 });
  });

  it('queries with where (nested fields), limit, skip, orderBy, count, update and remove', async () => {
    await db.createCollection('users');
    const users = db.collection('users');
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
    await db.createCollection('users');
    const doc = db.collection('users').doc('a');
    await doc.set({ data: { n: 1, at: db.serverDate() } });
    await doc.update({ data: { n: db.command.inc(1) } });
    await database.close();
    expect(readFileSync(path.join(dir, 'users.db'), 'utf8').trim().split('\n')).toHaveLength(1);
    database = await NedbDatabase.open(dir, 0, () => NOW);
    expect((await database.api(false).collection('users').doc('a').get()).data).toEqual({
      _id: 'a',
      n: 2,
      at: new Date(NOW),
    });
  });

  it('reports invalid field names as SDK errors', async () => {
    await db.createCollection('users');
    expect(await errCodeOf(db.collection('users').add({ data: { $bad: 1 } }))).toBe(-501007);
    expect(await errCodeOf(db.createCollection('../etc'))).toBe(-501007);
  });
});

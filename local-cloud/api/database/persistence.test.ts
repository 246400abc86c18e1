/**
 * What the database holds survives closing and opening its folder again: collections,
 * documents with their types, counts; and opening does not depend on how much is stored.
 */
import { openTestDatabase, type TestDatabase } from './testing/test-database';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
});
afterAll(() => t.close());

it('keeps collections, documents and counts across a reopen, and keeps writing after it', async () => {
  await t.sdk.ok(`await db.createCollection('keep'); await db.createCollection('empty');
    await db.collection('keep').add({ data: [{ _id: 'a', at: new Date(1234), re: /x/i, n: 1 }, { _id: 'b', n: 2 }] });
    await db.collection('keep').doc('a').update({ data: { n: _.inc(10), list: _.push(['z']) } });
    await db.collection('keep').doc('b').remove()`);
  await t.reopen();
  expect(t.db.store.listCollections().map((c) => c.name)).toEqual(['empty', 'keep']);
  expect(t.db.store.count('keep')).toBe(1);
  expect(await t.sdk.ok(`return (await db.collection('keep').doc('a').get()).data`)).toEqual({
    _id: 'a',
    at: { $date: '1970-01-01T00:00:01.234Z' },
    re: { pattern: 'x', options: 'i' },
    n: 11,
    list: ['z'],
  });
  expect((await t.sdk.fails(`return db.createCollection('keep')`)).code).toBe('DATABASE_COLLECTION_ALREADY_EXIST');
  await t.sdk.ok(`return db.collection('keep').add({ data: { _id: 'c' } })`);
  await t.reopen();
  expect(await t.sdk.ok(`return (await db.collection('keep').count()).total`)).toBe(2);
});

it('refuses to open a folder that is already open instead of corrupting it', async () => {
  const { Database } = await import('../../engine/database');
  await expect(Database.open(`${t.dir}/db`)).rejects.toThrow();
});

/**
 * Collections and single documents through the real wx-server-sdk: createCollection, add (one,
 * many, with and without _id, duplicates), doc().get/set/update/remove, serverDate, value types,
 * field(), and the platform's errors (-502005 missing collection, not-found, duplicate _id).
 */
import { openTestDatabase, type TestDatabase } from './testing/test-database';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
  await t.sdk.ok(`await db.createCollection('users'); await db.createCollection('other')`);
});
afterAll(() => t.close());

const MISSING_COLLECTION = -502005;

describe('createCollection', () => {
  it('creates a collection once; a second time fails with the code kept (errCode -1)', async () => {
    expect(await t.sdk.ok(`return db.createCollection('fresh')`)).toMatchObject({ errMsg: 'createCollection:ok' });
    const error = await t.sdk.fails(`return db.createCollection('fresh')`);
    expect(error).toMatchObject({ errCode: -1, code: 'DATABASE_COLLECTION_ALREADY_EXIST' });
    expect(error.errMsg).toMatch(/^createCollection:fail /);
  });

  it('refuses a name the store cannot hold, without creating anything', async () => {
    const error = await t.sdk.fails(`return db.createCollection('a!b')`);
    expect(error).toMatchObject({ code: 'INVALID_PARAM' });
    expect(t.db.store.hasCollection('a!b')).toBe(false);
  });
});

describe('a missing collection', () => {
  it.each([
    ['doc().get()', `return db.collection('nope').doc('x').get()`],
    ['where().get()', `return db.collection('nope').where({ a: 1 }).get()`],
    ['add()', `return db.collection('nope').add({ data: { a: 1 } })`],
    ['doc().set()', `return db.collection('nope').doc('x').set({ data: { a: 1 } })`],
    ['doc().update()', `return db.collection('nope').doc('x').update({ data: { a: 1 } })`],
    ['doc().remove()', `return db.collection('nope').doc('x').remove()`],
    ['where().update()', `return db.collection('nope').where({ a: 1 }).update({ data: { a: 2 } })`],
    ['where().remove()', `return db.collection('nope').where({ a: 1 }).remove()`],
    ['count()', `return db.collection('nope').count()`],
  ])('%s fails with -502005 and creates nothing', async (_name, body) => {
    const error = await t.sdk.fails(body);
    expect(error.errCode).toBe(MISSING_COLLECTION);
    expect(error.errMsg).toContain('database collection not exists');
    expect(t.db.store.hasCollection('nope')).toBe(false);
  });

  it('aggregate() fails with the code kept (errCode -1)', async () => {
    const error = await t.sdk.fails(`return db.collection('nope').aggregate().match({}).end()`);
    expect(error).toMatchObject({ errCode: -1, code: 'DATABASE_COLLECTION_NOT_EXIST' });
  });
});

describe('add()', () => {
  it('answers a generated id (32 hex characters, in insertion order) and stores the document', async () => {
    const first = await t.sdk.ok<{ _id: string }>(`return db.collection('other').add({ data: { n: 1 } })`);
    const second = await t.sdk.ok<{ _id: string }>(`return db.collection('other').add({ data: { n: 2 } })`);
    expect(first._id).toMatch(/^[0-9a-f]{32}$/);
    expect(second._id > first._id).toBe(true);
    const got = await t.sdk.ok<{ data: unknown }>(`return db.collection('other').doc('${first._id}').get()`);
    expect(got.data).toEqual({ _id: first._id, n: 1 });
  });

  it('keeps a given _id, string or number, as distinct ids', async () => {
    await t.sdk.ok(`return db.collection('users').add({ data: { _id: '7', kind: 'string' } })`);
    await t.sdk.ok(`return db.collection('users').add({ data: { _id: 7, kind: 'number' } })`);
    expect(await t.sdk.ok(`return (await db.collection('users').doc('7').get()).data`)).toEqual({
      _id: '7',
      kind: 'string',
    });
    expect(await t.sdk.ok(`return (await db.collection('users').doc(7).get()).data`)).toEqual({
      _id: 7,
      kind: 'number',
    });
  });

  it('adds an array of documents, answering their ids in order', async () => {
    const res = await t.sdk.ok<{ _ids: string[] }>(
      `return db.collection('users').add({ data: [{ name: 'e1' }, { _id: 'e2', name: 'e2' }] })`,
    );
    expect(res._ids).toHaveLength(2);
    expect(res._ids[1]).toBe('e2');
    expect(await t.sdk.ok(`return (await db.collection('users').doc('${res._ids[0]}').get()).data.name`)).toBe('e1');
  });

  it('fails on an existing _id with -502001 and leaves the stored document as it was', async () => {
    await t.sdk.ok(`return db.collection('users').add({ data: { _id: 'dup', v: 1 } })`);
    const error = await t.sdk.fails(`return db.collection('users').add({ data: { _id: 'dup', v: 2 } })`);
    expect(error.errCode).toBe(-502001);
    expect(error.errMsg).toContain('duplicate key');
    expect(await t.sdk.ok(`return (await db.collection('users').doc('dup').get()).data`)).toEqual({ _id: 'dup', v: 1 });
  });

  it('adds none of an array when one _id is taken (or repeated)', async () => {
    const before = t.db.store.count('users');
    const taken = await t.sdk.fails(
      `return db.collection('users').add({ data: [{ _id: 'fresh-1' }, { _id: 'dup' }] })`,
    );
    expect(taken.errCode).toBe(-502001);
    const repeated = await t.sdk.fails(
      `return db.collection('users').add({ data: [{ _id: 'fresh-2' }, { _id: 'fresh-2' }] })`,
    );
    expect(repeated.errCode).toBe(-502001);
    expect(await t.sdk.ok(`return (await dbNoThrow.collection('users').doc('fresh-1').get()).data`)).toBeNull();
    expect(await t.sdk.ok(`return (await dbNoThrow.collection('users').doc('fresh-2').get()).data`)).toBeNull();
    expect(t.db.store.count('users')).toBe(before);
  });

  it('refuses field names MongoDB cannot query (a $ prefix, a dot), writing nothing', async () => {
    const error = await t.sdk.fails(
      `return db.collection('users').add({ data: { _id: 'bad', nested: { 'a.b': 1 } } })`,
    );
    expect(error.errCode).toBe(-501007);
    expect(await t.sdk.ok(`return (await dbNoThrow.collection('users').doc('bad').get()).data`)).toBeNull();
  });
});

describe('values', () => {
  it('round-trips dates, regexps, nested objects, arrays, null, geo points and large numbers', async () => {
    await t.sdk.ok(`return db.collection('users').doc('types').set({ data: {
      at: new Date('2024-05-06T07:08:09.010Z'), old: new Date(-86400000),
      re: db.RegExp({ regexp: 'ab+c', options: 'i' }), nested: { x: 1, y: 2.5, d: new Date(0) },
      arr: [1, '2', null, { z: true }], nul: null, geo: new db.Geo.Point(113.3, 23.1), big: 1099511627776, neg: -0.5 } })`);
    const data = await t.sdk.ok(`const d = (await db.collection('users').doc('types').get()).data;
      return { ...d, geo: { lng: d.geo.longitude, lat: d.geo.latitude, json: d.geo.toJSON() } }`);
    expect(data).toEqual({
      _id: 'types',
      at: { $date: '2024-05-06T07:08:09.010Z' },
      old: { $date: '1969-12-31T00:00:00.000Z' },
      re: { pattern: 'ab+c', options: 'i' },
      nested: { x: 1, y: 2.5, d: { $date: '1970-01-01T00:00:00.000Z' } },
      arr: [1, '2', null, { z: true }],
      nul: null,
      geo: { lng: 113.3, lat: 23.1, json: { type: 'Point', coordinates: [113.3, 23.1] } },
      big: 1099511627776,
      neg: -0.5,
    });
  });

  it('resolves db.serverDate() with its offset to the server time', async () => {
    const before = Date.now();
    await t.sdk.ok(
      `return db.collection('users').add({ data: { _id: 'sd', now: db.serverDate(), later: db.serverDate({ offset: 60000 }) } })`,
    );
    const data = await t.sdk.ok<{ now: { $date: string }; later: { $date: string } }>(
      `return (await db.collection('users').doc('sd').get()).data`,
    );
    const now = Date.parse(data.now.$date);
    expect(now).toBeGreaterThanOrEqual(before - 5);
    expect(now).toBeLessThanOrEqual(Date.now() + 5);
    expect(Date.parse(data.later.$date) - now).toBe(60000);
  });
});

describe('doc().get()', () => {
  it('throws "does not exist" for a missing document, or answers null with throwOnNotFound: false', async () => {
    const error = await t.sdk.fails(`return db.collection('users').doc('ghost').get()`);
    expect(error).toMatchObject({ errCode: -1, errMsg: 'document.get:fail document with _id ghost does not exist' });
    expect(await t.sdk.ok(`return dbNoThrow.collection('users').doc('ghost').get()`)).toEqual({
      data: null,
      errMsg: 'document.get:ok',
    });
  });

  it('returns only the fields asked for with field()', async () => {
    await t.sdk.ok(
      `return db.collection('users').doc('f1').set({ data: { name: 'a', secret: 's', profile: { nick: 'n', age: 3 } } })`,
    );
    expect(
      await t.sdk.ok(
        `return (await db.collection('users').doc('f1').field({ name: true, 'profile.nick': true }).get()).data`,
      ),
    ).toEqual({
      _id: 'f1',
      name: 'a',
      profile: { nick: 'n' },
    });
    expect(
      await t.sdk.ok(`return (await db.collection('users').doc('f1').field({ secret: false }).get()).data`),
    ).toEqual({
      _id: 'f1',
      name: 'a',
      profile: { nick: 'n', age: 3 },
    });
  });
});

describe('doc().set()', () => {
  it('creates a missing document (stats.created 1), then replaces it whole (stats.updated 1)', async () => {
    const created = await t.sdk.ok(`return db.collection('users').doc('s1').set({ data: { a: 1, b: { c: 2 } } })`);
    expect(created).toMatchObject({ _id: 's1', stats: { updated: 0, created: 1 } });
    const replaced = await t.sdk.ok(`return db.collection('users').doc('s1').set({ data: { b: { d: 3 } } })`);
    expect(replaced).toMatchObject({ _id: 's1', stats: { updated: 1, created: 0 } });
    expect(await t.sdk.ok(`return (await db.collection('users').doc('s1').get()).data`)).toEqual({
      _id: 's1',
      b: { d: 3 },
    });
  });

  it('reports updated 0 when the new content is the same', async () => {
    await t.sdk.ok(`return db.collection('users').doc('s2').set({ data: { a: 1 } })`);
    expect(await t.sdk.ok(`return db.collection('users').doc('s2').set({ data: { a: 1 } })`)).toMatchObject({
      stats: { updated: 0, created: 0 },
    });
  });
});

describe('doc().update()', () => {
  it('merges nested objects field by field and reports stats.updated', async () => {
    await t.sdk.ok(
      `return db.collection('users').doc('m1').set({ data: { profile: { nick: 'a', age: 1 }, keep: true } })`,
    );
    const res = await t.sdk.ok(
      `return db.collection('users').doc('m1').update({ data: { profile: { nick: 'b' }, added: [1, 2] } })`,
    );
    expect(res).toMatchObject({ stats: { updated: 1 }, errMsg: 'document.update:ok' });
    expect(await t.sdk.ok(`return (await db.collection('users').doc('m1').get()).data`)).toEqual({
      _id: 'm1',
      profile: { nick: 'b', age: 1 },
      keep: true,
      added: [1, 2],
    });
  });

  it('updates nothing (no error) when the document does not exist, and does not create it', async () => {
    expect(await t.sdk.ok(`return db.collection('users').doc('absent').update({ data: { a: 1 } })`)).toMatchObject({
      stats: { updated: 0 },
    });
    expect(await t.sdk.ok(`return (await dbNoThrow.collection('users').doc('absent').get()).data`)).toBeNull();
  });

  it('reports updated 0 when nothing changes', async () => {
    await t.sdk.ok(`return db.collection('users').doc('m2').set({ data: { a: 1 } })`);
    expect(await t.sdk.ok(`return db.collection('users').doc('m2').update({ data: { a: 1 } })`)).toMatchObject({
      stats: { updated: 0 },
    });
  });
});

describe('doc().remove()', () => {
  it('removes a document (stats.removed 1); removing it again removes 0 without error', async () => {
    await t.sdk.ok(`return db.collection('users').doc('r1').set({ data: { a: 1 } })`);
    const count = t.db.store.count('users');
    expect(await t.sdk.ok(`return db.collection('users').doc('r1').remove()`)).toMatchObject({ stats: { removed: 1 } });
    expect(await t.sdk.ok(`return db.collection('users').doc('r1').remove()`)).toMatchObject({ stats: { removed: 0 } });
    expect(await t.sdk.ok(`return (await dbNoThrow.collection('users').doc('r1').get()).data`)).toBeNull();
    expect(t.db.store.count('users')).toBe(count - 1);
  });
});

describe('collection-wide writes', () => {
  it('where().remove() removes every match; collection.remove() without where() is refused', async () => {
    await t.sdk.ok(`await db.createCollection('wipe');
      await db.collection('wipe').add({ data: [{ k: 1 }, { k: 1 }, { k: 2 }] })`);
    expect(await t.sdk.ok(`return db.collection('wipe').where({ k: 1 }).remove()`)).toMatchObject({
      stats: { removed: 2 },
    });
    const error = await t.sdk.fails(`return db.collection('wipe').remove()`);
    expect(error.errCode).toBe(-501007);
    expect(await t.sdk.ok(`return (await db.collection('wipe').count()).total`)).toBe(1);
    expect(await t.sdk.ok(`return db.collection('wipe').where({}).remove()`)).toMatchObject({ stats: { removed: 1 } });
  });
});

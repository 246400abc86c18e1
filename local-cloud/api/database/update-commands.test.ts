/**
 * Update commands through the real wx-server-sdk (which turns them into MongoDB update
 * operators), against CloudBase's documented semantics, and MongoDB's errors where an update
 * cannot apply (the platform fails the update; nothing is written).
 */
import { openTestDatabase, type TestDatabase } from './testing/test-database';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
  await t.sdk.ok(`await db.createCollection('u'); await db.createCollection('w')`);
});
afterAll(() => t.close());

const BASE = `{ n: 5, m: 3, lo: 10, hi: 10, d: new Date(2000), tags: ['a', 'b'], nums: [3, 1, 2], obj: { a: 1, b: 2 },
  gone: 1, old: 'x', list: [1, 2, 3, 4, 5, 6], stack: [1, 2, 3], objs: [{ k: 1, v: 'a' }, { k: 2, v: 'b' }] }`;

/** Sets a fresh document, applies the update, answers the document. */
async function afterUpdate(id: string, data: string): Promise<Record<string, unknown>> {
  return t.sdk.ok(`await db.collection('u').doc('${id}').set({ data: ${BASE} });
    const res = await db.collection('u').doc('${id}').update({ data: ${data} });
    if (res.stats.updated !== 1) throw new Error('updated ' + res.stats.updated);
    const { _id, ...doc } = (await db.collection('u').doc('${id}').get()).data;
    return doc`);
}

describe('field commands', () => {
  it('inc, mul, min, max, remove and rename', async () => {
    const doc = await afterUpdate(
      'f1',
      `{ n: _.inc(2), m: _.mul(2), newInc: _.inc(4), newMul: _.mul(3), lo: _.min(3), hi: _.max(3), d: _.max(new Date(3000)), gone: _.remove(), old: _.rename('renamed') }`,
    );
    expect(doc).toMatchObject({
      n: 7,
      m: 6,
      newInc: 4,
      newMul: 0,
      lo: 3,
      hi: 10,
      d: { $date: '1970-01-01T00:00:03.000Z' },
      renamed: 'x',
    });
    expect(doc).not.toHaveProperty('gone');
    expect(doc).not.toHaveProperty('old');
  });

  it('_.set(object) replaces the field; a plain object is merged field by field', async () => {
    expect((await afterUpdate('f2', `{ obj: _.set({ c: 3 }) }`)).obj).toEqual({ c: 3 });
    expect((await afterUpdate('f3', `{ obj: { c: 3 } }`)).obj).toEqual({ a: 1, b: 2, c: 3 });
    expect((await afterUpdate('f4', `{ 'obj.a': 9 }`)).obj).toEqual({ a: 9, b: 2 });
  });

  it('an array value replaces the array', async () => {
    expect((await afterUpdate('f5', `{ tags: ['x'] }`)).tags).toEqual(['x']);
  });

  it('serverDate in an update', async () => {
    const before = Date.now();
    const doc = await afterUpdate('f6', `{ at: db.serverDate({ offset: -1000 }) }`);
    const at = Date.parse((doc.at as { $date: string }).$date);
    expect(at).toBeGreaterThanOrEqual(before - 1005);
    expect(at).toBeLessThanOrEqual(Date.now() - 995);
  });
});

describe('array commands', () => {
  it.each([
    ['push one', `{ tags: _.push('c') }`, 'tags', ['a', 'b', 'c']],
    ['push several', `{ tags: _.push(['c', 'd']) }`, 'tags', ['a', 'b', 'c', 'd']],
    ['push with position', `{ tags: _.push({ each: ['x'], position: 1 }) }`, 'tags', ['a', 'x', 'b']],
    [
      'push with each, position, sort and slice',
      `{ nums: _.push({ each: [5, 0], position: 1, slice: 4, sort: 1 }) }`,
      'nums',
      [0, 1, 2, 3],
    ],
    ['push with a negative slice', `{ nums: _.push({ each: [9], slice: -2 }) }`, 'nums', [2, 9]],
    ['push creates the array', `{ fresh: _.push(1) }`, 'fresh', [1]],
    ['unshift', `{ list: _.unshift([0, -1]) }`, 'list', [0, -1, 1, 2, 3, 4, 5, 6]],
    ['pop', `{ stack: _.pop() }`, 'stack', [1, 2]],
    ['shift', `{ stack: _.shift() }`, 'stack', [2, 3]],
    ['pull a value', `{ list: _.pull(3) }`, 'list', [1, 2, 4, 5, 6]],
    ['pull by condition', `{ list: _.pull(_.gt(4)) }`, 'list', [1, 2, 3, 4]],
    ['pull objects by a query on them', `{ objs: _.pull({ k: 1 }) }`, 'objs', [{ k: 2, v: 'b' }]],
    ['pullAll', `{ list: _.pullAll([1, 2, 9]) }`, 'list', [3, 4, 5, 6]],
    ['addToSet a new value', `{ tags: _.addToSet('z') }`, 'tags', ['a', 'b', 'z']],
    [
      'addToSet with each (the SDK sends it without $)',
      `{ tags: _.addToSet({ each: ['a', 'y', 'y'] }) }`,
      'tags',
      ['a', 'b', 'y'],
    ],
  ])('%s', async (name, data, field, expected) => {
    expect((await afterUpdate(`a-${name.replace(/\W+/g, '-')}`, data))[field]).toEqual(expected);
  });

  it('addToSet of a present value changes nothing (stats.updated 0)', async () => {
    const res = await t.sdk.ok(`await db.collection('u').doc('a0').set({ data: ${BASE} });
      return db.collection('u').doc('a0').update({ data: { tags: _.addToSet('a') } })`);
    expect(res).toMatchObject({ stats: { updated: 0 } });
  });
});

describe('updates that cannot apply fail with -502001 and write nothing', () => {
  it.each([
    ['inc on a string', { s: 'text' }, `{ s: _.inc(1) }`, /non-numeric/],
    ['mul on null', { s: null }, `{ s: _.mul(2) }`, /non-numeric/],
    ['push onto a number', { s: 1 }, `{ s: _.push(2) }`, /must be an array/],
    ['addToSet onto a string', { s: 'x' }, `{ s: _.addToSet('y') }`, /must be an array/],
    ['pull from a string', { s: 'x' }, `{ s: _.pull('x') }`, /non-array/],
    ['a field inside a number', { s: 1 }, `{ 's.t': 2 }`, /Cannot create field/],
  ])('%s', async (_name, initial, update, message) => {
    await t.sdk.ok(`return db.collection('u').doc('bad').set({ data: { ...${JSON.stringify(initial)}, other: 1 } })`);
    const error = await t.sdk.fails(
      `return db.collection('u').doc('bad').update({ data: { ...${update}, other: _.inc(1) } })`,
    );
    expect(error.errCode).toBe(-502001);
    expect(error.errMsg).toMatch(message);
    expect(
      await t.sdk.ok(`const { _id, ...doc } = (await db.collection('u').doc('bad').get()).data; return doc`),
    ).toEqual({ ...initial, other: 1 });
  });

  it('changing _id (refused by the server when the SDK lets it through)', async () => {
    await t.sdk.ok(`return db.collection('u').doc('keep-id').set({ data: { a: 1 } })`);
    const answer = await t.db.inSpace(undefined, async (space) => {
      const { modifyDocuments } = await import('../../engine/writes');
      return modifyDocuments(space, {
        collection: 'u',
        query: { _id: 'keep-id' },
        update: { kind: 'operators', modifier: { $set: { _id: 'other' } } },
        multi: false,
        upsert: false,
        now: Date.now(),
      }).catch((error: { code?: string; message?: string }) => error);
    });
    expect(answer).toMatchObject({ code: 'DATABASE_REQUEST_FAILED' });
    expect(await t.sdk.ok(`return (await db.collection('u').doc('keep-id').get()).data`)).toEqual({
      _id: 'keep-id',
      a: 1,
    });
  });
});

describe('where().update()', () => {
  beforeAll(async () => {
    await t.sdk.ok(
      `await db.collection('w').add({ data: Array.from({ length: 10 }, (_x, i) => ({ _id: 'w' + i, g: i % 2, v: i })) })`,
    );
  });

  it('updates every match and counts the documents that changed', async () => {
    expect(
      await t.sdk.ok(`return db.collection('w').where({ g: 0 }).update({ data: { v: _.inc(100) } })`),
    ).toMatchObject({
      stats: { updated: 5 },
      errMsg: 'collection.update:ok',
    });
    const values = await t.sdk.ok<number[]>(
      `return (await db.collection('w').orderBy('_id', 'asc').get()).data.map((d) => d.v)`,
    );
    expect(values).toEqual([100, 1, 102, 3, 104, 5, 106, 7, 108, 9]);
  });

  it('does not count matches whose content stays the same', async () => {
    expect(await t.sdk.ok(`return db.collection('w').where({ g: 1 }).update({ data: { g: 1 } })`)).toMatchObject({
      stats: { updated: 0 },
    });
  });

  it('updates across many chunks of a large collection', async () => {
    await t.sdk.ok(`await db.createCollection('big');
      for (let i = 0; i < 700; i += 100) await db.collection('big').add({ data: Array.from({ length: 100 }, (_x, j) => ({ n: i + j })) })`);
    expect(
      await t.sdk.ok(`return db.collection('big').where({ n: _.gte(50) }).update({ data: { touched: true } })`),
    ).toMatchObject({
      stats: { updated: 650 },
    });
    expect(await t.sdk.ok(`return (await db.collection('big').where({ touched: true }).count()).total`)).toBe(650);
  });
});

/**
 * where() conditions, orderBy, skip, limit, field and count through the real wx-server-sdk,
 * against CloudBase's documented semantics (MongoDB's: `neq`/`nin`/`not` also select documents
 * without the field; a nested plain object matches field by field while `_.eq(object)` matches
 * the whole object; an array field matches when one element does).
 */
import { openTestDatabase, type TestDatabase } from './testing/test-database';
import { findDocuments } from '../../engine/find';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
  await t.sdk.ok(`await db.createCollection('people');
    await db.collection('people').add({ data: [
      { _id: 'p1', name: 'alice', age: 30, tags: ['a', 'b'], score: 90, profile: { city: 'sh', level: 2 }, items: [{ k: 1, v: 'x' }, { k: 5, v: 'y' }], at: new Date('2024-01-01') },
      { _id: 'p2', name: 'Bob', age: 20, tags: ['b'], score: 60, profile: { city: 'bj', level: 1 }, items: [{ k: 2 }], at: new Date('2024-02-01') },
      { _id: 'p3', name: 'carol', age: 40, tags: [], profile: { city: 'sh' }, at: new Date('2024-03-01') },
      { _id: 'p4', name: 'dave', age: null, tags: ['a', 'b', 'c'], score: 75, nick: 'x.y' },
      { _id: 'p5', name: 'Eve', age: 25, score: 60, profile: null },
    ] })`);
});
afterAll(() => t.close());

/** The sorted ids where(<condition>) selects. */
async function ids(condition: string): Promise<string[]> {
  return t.sdk.ok<string[]>(
    `return (await db.collection('people').where(${condition}).get()).data.map((d) => d._id).sort()`,
  );
}

describe('comparison commands', () => {
  it.each([
    ['plain equality', `{ age: 30 }`, ['p1']],
    ['eq', `{ age: _.eq(30) }`, ['p1']],
    ['neq also selects documents without the field', `{ score: _.neq(60) }`, ['p1', 'p3', 'p4']],
    ['gt (null is not greater)', `{ age: _.gt(25) }`, ['p1', 'p3']],
    ['gte', `{ age: _.gte(25) }`, ['p1', 'p3', 'p5']],
    ['lt', `{ age: _.lt(30) }`, ['p2', 'p5']],
    ['lte', `{ age: _.lte(20) }`, ['p2']],
    ['dates', `{ at: _.gte(new Date('2024-02-01')) }`, ['p2', 'p3']],
    ['serverDate in a query', `{ at: _.lt(db.serverDate({ offset: -1000 })) }`, ['p1', 'p2', 'p3']],
    ['in', `{ name: _.in(['alice', 'Bob', 'nobody']) }`, ['p1', 'p2']],
    ['in on an array field', `{ tags: _.in(['c']) }`, ['p4']],
    ['in with regexps', `{ name: _.in([/^a/, /^d/]) }`, ['p1', 'p4']],
    ['nin also selects documents without the field', `{ tags: _.nin(['a']) }`, ['p2', 'p3', 'p5']],
    ['null matches null and missing', `{ nick: null }`, ['p1', 'p2', 'p3', 'p5']],
    ['_id in', `{ _id: _.in(['p1', 'p4', 'zz']) }`, ['p1', 'p4']],
  ])('%s', async (_name, condition, expected) => {
    expect(await ids(condition)).toEqual(expected);
  });
});

describe('logical commands', () => {
  it.each([
    ['field and', `{ age: _.gt(20).and(_.lt(40)) }`, ['p1', 'p5']],
    ['and of conditions', `_.and([{ age: _.gt(20) }, { score: 60 }])`, ['p5']],
    ['field or', `{ age: _.lt(21).or(_.gt(35)) }`, ['p2', 'p3']],
    ['or across fields', `_.or([{ name: 'alice' }, { score: _.lt(70) }])`, ['p1', 'p2', 'p5']],
    ['not (selects the missing too)', `{ score: _.not(_.gt(70)) }`, ['p2', 'p3', 'p5']],
    ['nor', `_.nor([{ score: 60 }, { age: _.gt(35) }])`, ['p1', 'p4']],
  ])('%s', async (_name, condition, expected) => {
    expect(await ids(condition)).toEqual(expected);
  });
});

describe('element, array and evaluation commands', () => {
  it.each([
    ['exists(false)', `{ score: _.exists(false) }`, ['p3']],
    ['exists(true)', `{ nick: _.exists(true) }`, ['p4']],
    ['size', `{ tags: _.size(2) }`, ['p1']],
    ['elemMatch on one element', `{ items: _.elemMatch({ k: _.gte(2), v: 'y' }) }`, ['p1']],
    ['elemMatch', `{ items: _.elemMatch({ k: _.gte(2) }) }`, ['p1', 'p2']],
    ['all', `{ tags: _.all(['a', 'b']) }`, ['p1', 'p4']],
    ['mod', `{ age: _.mod(10, 0) }`, ['p1', 'p2', 'p3']],
    ['an element of an array field', `{ tags: 'a' }`, ['p1', 'p4']],
    ['a whole array', `{ tags: ['b'] }`, ['p2']],
  ])('%s', async (_name, condition, expected) => {
    expect(await ids(condition)).toEqual(expected);
  });
});

describe('nested fields', () => {
  it.each([
    ['a nested plain object matches field by field', `{ profile: { city: 'sh' } }`, ['p1', 'p3']],
    ['_.eq(object) matches the whole object', `{ profile: _.eq({ city: 'sh' }) }`, ['p3']],
    ['a dot path with a command', `{ 'profile.level': _.gte(2) }`, ['p1']],
    ['a nested command', `{ profile: { level: _.lt(2) } }`, ['p2']],
    ['a path into an array of objects', `{ 'items.k': 2 }`, ['p2']],
  ])('%s', async (_name, condition, expected) => {
    expect(await ids(condition)).toEqual(expected);
  });
});

describe('regular expressions', () => {
  it('db.RegExp with options', async () => {
    expect(await ids(`{ name: db.RegExp({ regexp: '^b', options: 'i' }) }`)).toEqual(['p2']);
  });

  it('a JS regexp literal', async () => {
    expect(await ids(`{ name: /^[a-c]/ }`)).toEqual(['p1', 'p3']);
  });

  it("the SDK's non-standard g flag is ignored: the same query answers the same every time", async () => {
    for (let i = 0; i < 3; i += 1) expect(await ids(`{ name: /e/g }`)).toEqual(['p1', 'p4', 'p5']);
  });

  it('an unknown flag is refused as an invalid parameter', async () => {
    const error = await t.sdk.fails(`return db.collection('people').where({ name: /a/y }).get()`);
    expect(error.errCode).toBe(-501007);
  });
});

describe('orderBy, skip, limit, field', () => {
  const ordered = (chain: string) =>
    t.sdk.ok<string[]>(`return (await db.collection('people').where({})${chain}.get()).data.map((d) => d._id)`);

  it('sorts descending with null below numbers', async () => {
    expect(await ordered(`.orderBy('age', 'desc')`)).toEqual(['p3', 'p1', 'p5', 'p2', 'p4']);
  });

  it('sorts by several keys in call order, a missing field first', async () => {
    expect(await ordered(`.orderBy('score', 'asc').orderBy('name', 'asc')`)).toEqual(['p3', 'p2', 'p5', 'p4', 'p1']);
  });

  it('sorts strings by code point (upper case first)', async () => {
    expect(await ordered(`.orderBy('name', 'asc')`)).toEqual(['p2', 'p5', 'p1', 'p3', 'p4']);
  });

  it('skips and limits after sorting', async () => {
    expect(await ordered(`.orderBy('age', 'asc').skip(1).limit(2)`)).toEqual(['p2', 'p5']);
    expect(await ordered(`.orderBy('age', 'asc').skip(10)`)).toEqual([]);
  });

  it('returns only the fields asked for', async () => {
    const data = await t.sdk.ok(
      `return (await db.collection('people').where({ _id: 'p1' }).field({ name: true, 'profile.city': true }).get()).data`,
    );
    expect(data).toEqual([{ _id: 'p1', name: 'alice', profile: { city: 'sh' } }]);
  });

  it('count() counts what where() selects', async () => {
    expect(await t.sdk.ok(`return db.collection('people').where({ score: 60 }).count()`)).toMatchObject({
      total: 2,
      errMsg: 'collection.count:ok',
    });
    expect(await t.sdk.ok(`return (await db.collection('people').count()).total`)).toBe(5);
  });
});

describe('pages of a larger collection', () => {
  beforeAll(async () => {
    await t.sdk.ok(`await db.createCollection('many');
      for (let i = 0; i < 1200; i += 100) {
        await db.collection('many').add({ data: Array.from({ length: 100 }, (_x, j) => ({ n: i + j, odd: (i + j) % 2 === 1 })) });
      }`);
  });

  it('answers 100 documents by default and at most 1000', async () => {
    expect(await t.sdk.ok(`return (await db.collection('many').get()).data.length`)).toBe(100);
    expect(await t.sdk.ok(`return (await db.collection('many').limit(1000).get()).data.length`)).toBe(1000);
    expect(await t.sdk.ok(`return (await db.collection('many').limit(5000).get()).data.length`)).toBe(1000);
  });

  it('caps a request asking the server for more than 1000', async () => {
    const texts = await t.db.inSpace(undefined, (space) =>
      findDocuments(space, { collection: 'many', query: {}, projection: null, order: null, offset: 0, limit: 1000 }),
    );
    expect(texts).toHaveLength(1000);
    const answer = await import('./read-actions').then(({ readActions }) =>
      readActions(t.db)['database.getDocument'](
        { collectionName: 'many', limit: 5000 },
        { requestId: 'r', source: '' },
      ),
    );
    expect((answer.data as { list: string[] }).list).toHaveLength(1000);
  });

  it('sorts, skips and limits across the whole collection', async () => {
    const got = await t.sdk.ok<number[]>(
      `return (await db.collection('many').where({ n: _.mod(7, 0) }).orderBy('n', 'desc').skip(5).limit(10).get()).data.map((d) => d.n)`,
    );
    const expected = Array.from({ length: 1200 }, (_x, n) => n)
      .filter((n) => n % 7 === 0)
      .sort((a, b) => b - a)
      .slice(5, 15);
    expect(got).toEqual(expected);
  });

  it('counts across chunks', async () => {
    expect(await t.sdk.ok(`return (await db.collection('many').where({ odd: true }).count()).total`)).toBe(600);
  });
});

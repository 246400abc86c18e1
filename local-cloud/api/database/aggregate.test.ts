/**
 * aggregate() stages and accumulators through the real wx-server-sdk, against CloudBase's
 * documented semantics (MongoDB's), including inputs larger than one chunk so that streamed
 * stages (`group` merging partial groups, `sort` + `limit`, `lookup`) are exercised.
 */
import { aggregateDocuments } from '../../engine/aggregate';
import { openTestDatabase, type TestDatabase } from './testing/test-database';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
  await t.sdk
    .ok(`await db.createCollection('orders'); await db.createCollection('users'); await db.createCollection('many');
    await db.collection('orders').add({ data: [
      { _id: 'o1', user: 'u1', amount: 10, status: 'paid', items: ['a', 'b'], at: new Date(1000) },
      { _id: 'o2', user: 'u1', amount: 30, status: 'paid', items: ['c'], at: new Date(2000) },
      { _id: 'o3', user: 'u2', amount: 5, status: 'open', items: [], at: new Date(3000) },
      { _id: 'o4', user: 'u2', amount: 25, status: 'paid', items: ['a'], at: new Date(4000) },
      { _id: 'o5', user: 'u3', amount: 50, status: 'paid', at: new Date(5000) },
    ] });
    await db.collection('users').add({ data: [{ _id: 'u1', name: 'A' }, { _id: 'u2', name: 'B' }, { _id: 'u3', name: 'C' }] });
    for (let i = 0; i < 3000; i += 500) {
      await db.collection('many').add({ data: Array.from({ length: 500 }, (_x, j) => ({ n: i + j })) });
    }`);
});
afterAll(() => t.close());

const run = <T = Record<string, unknown>[]>(chain: string, collection = 'orders') =>
  t.sdk.ok<T>(`const res = await db.collection('${collection}').aggregate()${chain}.end();
    if (res.errMsg !== 'collection.aggregate:ok') throw new Error(res.errMsg);
    return res.list`);

it('match, group with sum avg min max and a count, sort', async () => {
  expect(
    await run(`.match({ status: 'paid' })
      .group({ _id: '$user', total: $.sum('$amount'), avg: $.avg('$amount'), min: $.min('$amount'), max: $.max('$amount'), n: $.sum(1) })
      .sort({ total: -1 })`),
  ).toEqual([
    { _id: 'u3', total: 50, avg: 50, min: 50, max: 50, n: 1 },
    { _id: 'u1', total: 40, avg: 20, min: 10, max: 30, n: 2 },
    { _id: 'u2', total: 25, avg: 25, min: 25, max: 25, n: 1 },
  ]);
});

it('project with expressions and addFields with a date', async () => {
  expect(
    await run(
      `.match({ _id: 'o1' }).project({ _id: 0, user: 1, double: $.multiply(['$amount', 2]) }).addFields({ when: new Date(7000) })`,
    ),
  ).toEqual([{ user: 'u1', double: 20, when: { $date: '1970-01-01T00:00:07.000Z' } }]);
});

it('sort, skip, limit', async () => {
  const rows = await run(`.sort({ amount: 1 }).skip(1).limit(2).project({ amount: 1 })`);
  expect(rows).toEqual([
    { _id: 'o1', amount: 10 },
    { _id: 'o4', amount: 25 },
  ]);
});

it('count, and nothing at all when nothing matches', async () => {
  expect(await run(`.match({ amount: _.gt(9) }).count('n')`)).toEqual([{ n: 4 }]);
  expect(await run(`.match({ amount: _.gt(1000) }).count('n')`)).toEqual([]);
});

it('unwind, with and without preserveNullAndEmptyArrays', async () => {
  expect((await run(`.unwind('$items').project({ items: 1 })`)).map((d) => `${d._id}:${d.items}`)).toEqual([
    'o1:a',
    'o1:b',
    'o2:c',
    'o4:a',
  ]);
  expect(await run(`.unwind({ path: '$items', preserveNullAndEmptyArrays: true }).count('n')`)).toEqual([{ n: 6 }]);
});

it('lookup by fields', async () => {
  const rows = await run(
    `.match({ status: 'open' }).lookup({ from: 'users', localField: 'user', foreignField: '_id', as: 'buyer' }).project({ buyer: 1 })`,
  );
  expect(rows).toEqual([{ _id: 'o3', buyer: [{ _id: 'u2', name: 'B' }] }]);
});

it('lookup by a non-_id field, many input documents, none or several matches', async () => {
  const rows = await run<{ _id: string; orders: { _id: string }[] }[]>(
    `.lookup({ from: 'orders', localField: '_id', foreignField: 'user', as: 'orders' }).sort({ _id: 1 })`,
    'users',
  );
  expect(rows.map((u) => [u._id, u.orders.map((o) => o._id).sort()])).toEqual([
    ['u1', ['o1', 'o2']],
    ['u2', ['o3', 'o4']],
    ['u3', ['o5']],
  ]);
});

it('lookup with let and a pipeline', async () => {
  const rows = await run(
    `.lookup({ from: 'orders', let: { uid: '$_id' },
        pipeline: $.pipeline().match(_.expr($.and([$.eq(['$user', '$$uid']), $.gte(['$amount', 10])]))).project({ _id: 0, amount: 1 }).done(),
        as: 'big' }).sort({ _id: 1 })`,
    'users',
  );
  expect(rows).toEqual([
    { _id: 'u1', name: 'A', big: [{ amount: 10 }, { amount: 30 }] },
    { _id: 'u2', name: 'B', big: [{ amount: 25 }] },
    { _id: 'u3', name: 'C', big: [{ amount: 50 }] },
  ]);
});

it('lookup from a collection that does not exist joins nothing', async () => {
  expect(
    await run(
      `.match({ _id: 'o1' }).lookup({ from: 'ghosts', localField: 'user', foreignField: '_id', as: 'g' }).project({ g: 1 })`,
    ),
  ).toEqual([{ _id: 'o1', g: [] }]);
});

it('group over thousands of documents into many groups (partial groups merged)', async () => {
  const rows = await run<{ _id: number; total: number; n: number; first: number; last: number }[]>(
    `.group({ _id: $.mod(['$n', 1500]), total: $.sum('$n'), n: $.sum(1), first: $.first('$n'), last: $.last('$n') }).sort({ _id: 1 })`,
    'many',
  );
  expect(rows).toHaveLength(1500);
  rows.forEach((row, k) => expect(row).toEqual({ _id: k, total: k + (k + 1500), n: 2, first: k, last: k + 1500 }));
});

it('group into one group: avg min max push addToSet over thousands of documents', async () => {
  const [row] = await run<{ avg: number; min: number; max: number; all: number[]; digits: number[] }[]>(
    `.group({ _id: null, avg: $.avg('$n'), min: $.min('$n'), max: $.max('$n'), all: $.push('$n'), digits: $.addToSet($.mod(['$n', 10])) })`,
    'many',
  );
  expect(row.avg).toBe(1499.5);
  expect([row.min, row.max]).toEqual([0, 2999]);
  expect(row.all).toEqual(Array.from({ length: 3000 }, (_x, i) => i));
  expect([...row.digits].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

it('sort then limit keeps the best across the whole collection', async () => {
  expect(
    (await run<{ n: number }[]>(`.sort({ n: -1 }).limit(3).project({ _id: 0, n: 1 })`, 'many')).map((d) => d.n),
  ).toEqual([2999, 2998, 2997]);
});

it('stages mingo runs on the whole input: sortByCount, bucket', async () => {
  expect(await run(`.unwind('$items').sortByCount('$items')`)).toEqual([
    { _id: 'a', count: 2 },
    { _id: expect.any(String), count: 1 },
    { _id: expect.any(String), count: 1 },
  ]);
  expect(
    await run(`.bucket({ groupBy: '$amount', boundaries: [0, 20, 100], default: 'other', output: { n: $.sum(1) } })`),
  ).toEqual([
    { _id: 0, n: 2 },
    { _id: 20, n: 3 },
  ]);
});

it('sample answers the number asked for', async () => {
  const rows = await run<{ n: number }[]>(`.sample({ size: 5 })`, 'many');
  expect(rows).toHaveLength(5);
  expect(new Set(rows.map((r) => r.n)).size).toBe(5);
});

it('a malformed or unknown stage fails with the code kept (errCode -1)', async () => {
  const error = await t.sdk.fails(
    `return db.collection('orders').aggregate().group({ total: $.sum('$amount') }).end()`,
  );
  expect(error).toMatchObject({ errCode: -1, code: 'DATABASE_REQUEST_FAILED' });
  expect(
    (
      await t.sdk.fails(
        `return db.collection('orders').aggregate().geoNear({ near: new db.Geo.Point(1, 1), distanceField: 'd' }).end()`,
      )
    ).errCode,
  ).toBe(-1);
});

it('a stage holding more than its memory limit fails instead of exhausting memory', async () => {
  const attempt = t.db.inSpace(undefined, (space) =>
    aggregateDocuments({ space, memoryLimit: 64 * 1024 }, 'many', [{ $sort: { n: -1 } }]),
  );
  await expect(attempt).rejects.toMatchObject({
    code: 'DATABASE_REQUEST_FAILED',
    message: expect.stringContaining('Exceeded memory limit for $sort'),
  });
  const grouped = await t.db.inSpace(undefined, (space) =>
    aggregateDocuments({ space, memoryLimit: 64 * 1024 }, 'many', [{ $group: { _id: null, total: { $sum: '$n' } } }]),
  );
  expect(grouped).toEqual([{ _id: null, total: (2999 * 3000) / 2 }]);
});

/**
 * Transactions through the real wx-server-sdk: runTransaction and startTransaction commit all
 * or nothing, are isolated until commit, re-run on a conflict with a write from outside, run
 * one at a time, and an abandoned one cannot block the others past its lifetime.
 */
import { createDatabaseActions } from '.';
import { openTestDatabase, type TestDatabase } from './testing/test-database';

describe('transactions', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase();
    await t.sdk.ok(`await db.createCollection('acc'); await db.createCollection('logs')`);
  });
  afterAll(() => t.close());
  beforeEach(() =>
    t.sdk.ok(
      `await db.collection('acc').doc('a').set({ data: { bal: 100 } }); await db.collection('acc').doc('b').set({ data: { bal: 0 } })`,
    ),
  );

  const balances = () =>
    t.sdk.ok(
      `const all = (await db.collection('acc').orderBy('_id', 'asc').get()).data; return all.map((d) => d._id + ':' + d.bal)`,
    );

  it('runTransaction commits reads and writes together and resolves with the callback value', async () => {
    const value = await t.sdk.ok(`return db.runTransaction(async (tx) => {
      const a = (await tx.collection('acc').doc('a').get()).data;
      await tx.collection('acc').doc('a').update({ data: { bal: _.inc(-30) } });
      await tx.collection('acc').doc('b').set({ data: { bal: 30 } });
      await tx.collection('logs').add({ data: { _id: 'log1', what: 'transfer', before: a.bal } });
      await tx.collection('acc').doc('c').set({ data: { bal: 1 } });
      await tx.collection('acc').doc('c').remove();
      return 'done';
    })`);
    expect(value).toBe('done');
    expect(await balances()).toEqual(['a:70', 'b:30']);
    expect(await t.sdk.ok(`return (await db.collection('logs').doc('log1').get()).data`)).toEqual({
      _id: 'log1',
      what: 'transfer',
      before: 100,
    });
    expect(t.db.store.count('acc')).toBe(2);
  });

  it('writes nothing when the callback throws, and rethrows its error', async () => {
    const error = await t.sdk.fails(`return db.runTransaction(async (tx) => {
      await tx.collection('acc').doc('a').update({ data: { bal: _.inc(-30) } });
      throw new Error('boom');
    })`);
    expect(error.message).toBe('boom');
    expect(await balances()).toEqual(['a:100', 'b:0']);
  });

  it('rollback(reason) writes nothing and rejects with the reason', async () => {
    const outcome = await t.sdk.run(`return db.runTransaction(async (tx) => {
      await tx.collection('acc').doc('a').update({ data: { bal: _.inc(-500) } });
      await tx.rollback('insufficient');
    })`);
    expect(outcome.error).toEqual({ thrown: 'insufficient' });
    expect(await balances()).toEqual(['a:100', 'b:0']);
  });

  it('a missing document inside a transaction throws and aborts it', async () => {
    const error = await t.sdk.fails(`return db.runTransaction(async (tx) => {
      await tx.collection('acc').doc('a').update({ data: { bal: 1 } });
      await tx.collection('acc').doc('ghost').get();
    })`);
    expect(error.errMsg).toBe('document.get:fail document with _id ghost does not exist');
    expect(await balances()).toEqual(['a:100', 'b:0']);
  });

  it('is isolated until commit (startTransaction)', async () => {
    await t.sdk.ok(`globalThis.tx = await db.startTransaction();
      await tx.collection('acc').doc('a').update({ data: { bal: _.inc(-1) } });
      const inside = (await tx.collection('acc').doc('a').get()).data.bal;
      if (inside !== 99) throw new Error('inside ' + inside)`);
    expect(await balances()).toEqual(['a:100', 'b:0']);
    await t.sdk.ok(`return tx.commit()`);
    expect(await balances()).toEqual(['a:99', 'b:0']);
  });

  it('re-runs the callback when a write from outside changed what it read', async () => {
    const attempts = await t.sdk.ok(`let attempts = 0;
      await db.runTransaction(async (tx) => {
        attempts += 1;
        const a = (await tx.collection('acc').doc('a').get()).data;
        if (attempts === 1) await db.collection('acc').doc('a').update({ data: { bal: _.inc(5) } });
        await tx.collection('acc').doc('a').update({ data: { bal: a.bal - 10 } });
      });
      return attempts`);
    expect(attempts).toBe(2);
    expect(await balances()).toEqual(['a:95', 'b:0']);
  });

  it('concurrent read-modify-write transactions lose no update', async () => {
    const results = await t.sdk.ok<string[]>(`await db.collection('acc').doc('counter').set({ data: { n: 0 } });
      return Promise.all(Array.from({ length: 12 }, () => db.runTransaction(async (tx) => {
        const { n } = (await tx.collection('acc').doc('counter').get()).data;
        await tx.collection('acc').doc('counter').set({ data: { n: n + 1 } });
        return 'ok';
      })))`);
    expect(results).toEqual(Array(12).fill('ok'));
    expect(await t.sdk.ok(`return (await db.collection('acc').doc('counter').get()).data.n`)).toBe(12);
    await t.sdk.ok(`return db.collection('acc').doc('counter').remove()`);
  });

  it('where().get() inside a transaction sees its own writes', async () => {
    const seen = await t.sdk.ok(`return db.runTransaction(async (tx) => {
      await tx.collection('acc').doc('a').update({ data: { bal: 1 } });
      await tx.collection('acc').add({ data: { _id: 'z', bal: 2 } });
      await tx.collection('acc').doc('b').remove();
      return (await tx.collection('acc').where({}).get()).data.map((d) => d._id + ':' + d.bal);
    })`);
    expect(seen).toEqual(['a:1', 'z:2']);
    await t.sdk.ok(`return db.collection('acc').doc('z').remove()`);
  });

  it('the older transaction actions (getInTransaction, updateDocInTransaction, deleteDocInTransaction)', async () => {
    const actions = createDatabaseActions(t.db);
    const call = (action: string, request: Record<string, unknown>) =>
      actions[action]({ action, ...request }, { requestId: 'r', source: '' });
    const { top } = await call('database.startTransaction', {});
    const transactionId = top!.transactionId;
    expect((await call('database.getInTransaction', { collectionName: 'acc', transactionId, _id: 'a' })).data).toBe(
      '{"_id":"a","bal":100}',
    );
    expect((await call('database.getInTransaction', { collectionName: 'acc', transactionId, _id: 'nope' })).data).toBe(
      'null',
    );
    const updated = await call('database.updateDocInTransaction', {
      collectionName: 'acc',
      transactionId,
      _id: 'a',
      data: '{"$set":{"bal":{"$numberInt":"7"}}}',
    });
    expect(updated.top).toEqual({ updated: 1, upserted: null });
    const created = await call('database.updateDocInTransaction', {
      collectionName: 'acc',
      transactionId,
      _id: 'n',
      data: '{"bal":{"$numberInt":"1"}}',
      upsert: true,
    });
    expect(created.top).toEqual({ updated: 0, upserted: '[{"_id":"n"}]' });
    expect(
      (await call('database.deleteDocInTransaction', { collectionName: 'acc', transactionId, _id: 'b' })).top,
    ).toEqual({ deleted: 1 });
    await call('database.commitTransaction', { transactionId });
    expect(await balances()).toEqual(['a:7', 'n:1']);
    await t.sdk.ok(`return db.collection('acc').doc('n').remove()`);
  });

  it('a missing collection inside a transaction is -502005', async () => {
    const error = await t.sdk.fails(
      `return db.runTransaction(async (tx) => { await tx.collection('nope').doc('x').get(); })`,
    );
    expect(error.errCode).toBe(-502005);
  });
});

describe('an abandoned transaction', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase({ transactionLifetimeMs: 400, transactionStartWaitMs: 3000 });
    await t.sdk.ok(`await db.createCollection('acc'); await db.collection('acc').doc('a').set({ data: { bal: 1 } })`);
  });
  afterAll(() => t.close());

  it('blocks the next one only until its lifetime ends; it cannot commit afterwards', async () => {
    const started = Date.now();
    await t.sdk.ok(`globalThis.abandoned = await db.startTransaction();
      await abandoned.collection('acc').doc('a').update({ data: { bal: 2 } })`);
    await t.sdk.ok(
      `return db.runTransaction(async (tx) => { await tx.collection('acc').doc('a').update({ data: { bal: _.inc(10) } }); })`,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(await t.sdk.ok(`return (await db.collection('acc').doc('a').get()).data.bal`)).toBe(11);
    const error = await t.sdk.fails(`return abandoned.commit()`);
    expect(error).toMatchObject({ code: 'DATABASE_TRANSACTION_FAIL' });
    expect(error.message).toContain('TransactionNotExist');
    expect(await t.sdk.ok(`return (await db.collection('acc').doc('a').get()).data.bal`)).toBe(11);
  });
});

describe('waiting for a transaction', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase({ transactionLifetimeMs: 5000, transactionStartWaitMs: 200 });
  });
  afterAll(() => t.close());

  it('startTransaction gives up after its wait with the conflict code', async () => {
    await t.sdk.ok(`globalThis.first = await db.startTransaction()`);
    const error = await t.sdk.fails(`return db.startTransaction()`);
    expect(error.code).toBe('DATABASE_TRANSACTION_CONFLICT');
    await t.sdk.ok(`return first.rollback()`);
    expect(await t.sdk.ok(`const tx = await db.startTransaction(); await tx.commit(); return 'ok'`)).toBe('ok');
  });
});

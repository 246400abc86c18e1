/**
 * Concurrent writers never lose an update: point updates, a multi-document update, inserts and
 * removes, and transactions (retried on conflict, as runTransaction does) run together in
 * orders chosen by fast-check's scheduler, which also decides when each read and write of the
 * point and multi-document operations is delivered. Increments commute, so whatever the order
 * the final values are known.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { decodeDocument } from './codec';
import { Database } from './database';
import type { DocumentSpace } from './space';
import { insertDocuments, modifyDocuments, removeDocuments } from './writes';

const DOCS = ['d0', 'd1', 'd2'];

type Op =
  | { kind: 'inc'; doc: string; by: number }
  | { kind: 'multi' }
  | { kind: 'txnSet'; doc: string; by: number }
  | { kind: 'txnPair'; from: string; to: string }
  | { kind: 'churn'; id: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('inc' as const), doc: fc.constantFrom(...DOCS), by: fc.integer({ min: 1, max: 9 }) }),
  fc.constant({ kind: 'multi' as const }),
  fc.record({
    kind: fc.constant('txnSet' as const),
    doc: fc.constantFrom(...DOCS),
    by: fc.integer({ min: 1, max: 9 }),
  }),
  fc.record({ kind: fc.constant('txnPair' as const), from: fc.constantFrom(...DOCS), to: fc.constantFrom(...DOCS) }),
  fc.record({ kind: fc.constant('churn' as const), id: fc.integer({ min: 0, max: 3 }) }),
);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'emu-db-conc-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const inc = (by: number) => ({ kind: 'operators' as const, modifier: { $inc: { v: by } } });

async function inTransaction(db: Database, work: (space: DocumentSpace) => Promise<void>): Promise<void> {
  for (;;) {
    const id = await db.transactions.start();
    try {
      await db.transactions.run(id, work);
      await db.transactions.commit(id);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'DATABASE_TRANSACTION_CONFLICT') {
        await db.transactions.abort(id).catch(() => undefined);
        throw error;
      }
    }
  }
}

async function readV(space: DocumentSpace, id: string): Promise<number> {
  const [text] = await space.read([space.store.docKey('c', id)]);
  return decodeDocument(text!).v as number;
}

it('loses no update whatever the interleaving', async () => {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 4, maxLength: 16 }), fc.scheduler(), async (ops, s) => {
      run += 1;
      const db = await Database.open(path.join(dir, `run-${run}`), { sync: false });
      try {
        await db.ensureCollections(['c']);
        // Transfers may take a value below 0: start high enough for the multi update's v >= 0.
        await db.inSpace(undefined, (space) =>
          insertDocuments(
            space,
            'c',
            DOCS.map((_id) => ({ _id, v: 1000 })),
            Date.now(),
          ),
        );
        // The database's own direct space (its locks), with each read and write delivered when the scheduler says.
        const own = await db.inSpace(undefined, async (space) => space);
        const direct: DocumentSpace = {
          ...own,
          read: (keys) => s.schedule(own.read(keys), 'read'),
          write: (writes) => s.schedule(own.write(writes), 'write'),
        };
        const expected = new Map(DOCS.map((id) => [id, 0]));
        const perform = async (op: Op): Promise<void> => {
          if (op.kind === 'inc') {
            await modifyDocuments(direct, {
              collection: 'c',
              query: { _id: op.doc },
              update: inc(op.by),
              multi: false,
              upsert: false,
              now: 0,
            });
          } else if (op.kind === 'multi') {
            await modifyDocuments(direct, {
              collection: 'c',
              query: { v: { $gte: 0 } },
              update: inc(1),
              multi: true,
              upsert: false,
              now: 0,
            });
          } else if (op.kind === 'txnSet') {
            await inTransaction(db, async (space) => {
              const v = await readV(space, op.doc);
              await modifyDocuments(space, {
                collection: 'c',
                query: { _id: op.doc },
                update: { kind: 'replace', doc: { v: v + op.by } },
                multi: false,
                upsert: false,
                now: 0,
              });
            });
          } else if (op.kind === 'txnPair') {
            await inTransaction(db, async (space) => {
              await modifyDocuments(space, {
                collection: 'c',
                query: { _id: op.from },
                update: inc(-1),
                multi: false,
                upsert: false,
                now: 0,
              });
              await modifyDocuments(space, {
                collection: 'c',
                query: { _id: op.to },
                update: inc(1),
                multi: false,
                upsert: false,
                now: 0,
              });
            });
          } else {
            const id = `x${op.id}`;
            await insertDocuments(direct, 'c', [{ _id: id, v: -100 }], 0).catch(() => undefined);
            await removeDocuments(direct, { collection: 'c', query: { _id: id }, multi: false });
          }
        };
        for (const op of ops) {
          if (op.kind === 'inc' || op.kind === 'txnSet') expected.set(op.doc, expected.get(op.doc)! + op.by);
          if (op.kind === 'multi') for (const id of DOCS) expected.set(id, expected.get(id)! + 1);
          if (op.kind === 'txnPair') {
            expected.set(op.from, expected.get(op.from)! - 1);
            expected.set(op.to, expected.get(op.to)! + 1);
          }
        }
        const done = Promise.all(ops.map((op) => s.schedule(Promise.resolve(op), 'start').then(perform)));
        await s.waitFor(done);
        for (const id of DOCS)
          expect(await db.inSpace(undefined, (space) => readV(space, id))).toBe(1000 + expected.get(id)!);
        let stored = 0;
        for await (const entries of db.store.scan('c')) stored += entries.length;
        expect(db.store.count('c')).toBe(stored);
        expect(stored).toBe(DOCS.length);
      } finally {
        await db.close();
      }
    }),
    { numRuns: 60 },
  );
}, 120_000);

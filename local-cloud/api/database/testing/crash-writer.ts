/**
 * For crash.test.ts: writes through the database actions under load until killed, printing
 * each write once it is answered: `added <id>` (v: 1), `updated <id>` (v: 2), and
 * `counter <writer> <n>` after a transaction set that writer's counter to n.
 *   node <this, bundled> <dir> <run>
 */
import { EJSON } from 'bson';
import { createDatabaseActions } from '..';
import { Database } from '../../../engine/database';

const WRITERS = 12;

async function main(): Promise<void> {
  const [dir, run] = process.argv.slice(2);
  const db = await Database.open(dir);
  await db.ensureCollections(['items', 'counters']);
  const actions = createDatabaseActions(db);
  const call = async (action: string, request: Record<string, unknown>) => {
    const result = await actions[action]({ action, ...request }, { requestId: 'crash', source: '' });
    return result;
  };
  const ejson = (value: Record<string, unknown>) => EJSON.stringify(value, { relaxed: false });
  const writer = async (w: number): Promise<void> => {
    const counterId = `r${run}-w${w}`;
    await call('database.insertDocument', { collectionName: 'counters', data: [ejson({ _id: counterId, n: 0 })] });
    for (let i = 1; ; i += 1) {
      const id = `r${run}-w${w}-${i}`;
      await call('database.insertDocument', {
        collectionName: 'items',
        data: [ejson({ _id: id, v: 1, pad: 'x'.repeat(200) })],
      });
      process.stdout.write(`added ${id}\n`);
      await call('database.modifyDocument', {
        collectionName: 'items',
        query: ejson({ _id: id }),
        queryType: 'DOC',
        data: ejson({ $inc: { v: 1 } }),
        multi: false,
        merge: true,
        upsert: false,
      });
      process.stdout.write(`updated ${id}\n`);
      if (i % 5 === 0) {
        const { top } = await call('database.startTransaction', {});
        const transactionId = top!.transactionId;
        await call('database.modifyDocument', {
          collectionName: 'counters',
          transactionId,
          query: ejson({ _id: counterId }),
          queryType: 'DOC',
          data: ejson({ $set: { n: i } }),
          multi: false,
          merge: true,
          upsert: false,
        });
        await call('database.commitTransaction', { transactionId });
        process.stdout.write(`counter ${counterId} ${i}\n`);
      }
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, (_x, w) => writer(w)));
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});

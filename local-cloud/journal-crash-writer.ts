/**
 * For journal-crash.test.ts: writes to `<dir>` under load until killed, printing each write
 * once it is answered: `added <id>` (v: 1), then `updated <id>` (v: 2).
 *   node <this, bundled> <dir> <run>
 */
import { NedbDatabase } from './nedb-database';

const WRITERS = 16;

async function main(): Promise<void> {
  const [dir, run] = process.argv.slice(2);
  const db = await NedbDatabase.open(dir, { compactionIntervalMs: 5, clock: Date.now });
  await db.createMissingCollections(['items']);
  const api = db.api(false);
  const items = api.collection('items');
  const writer = async (w: number): Promise<void> => {
    for (let i = 0; ; i += 1) {
      const id = `r${run}-w${w}-${i}`;
      await items.add({ data: { _id: id, v: 1, pad: 'x'.repeat(200) } });
      process.stdout.write(`added ${id}\n`);
      await items.doc(id).update({ data: { v: api.command.inc(1) } });
      process.stdout.write(`updated ${id}\n`);
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});

import Datastore from '@seald-io/nedb';
import fc from 'fast-check';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Doc } from '../emulation/db-commands';
import { CorruptCollectionFileError, Journal, deserialize, serialize, type JournalOptions } from './journal';
import { FaultyJournalFs } from './journal-faults';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'journal-'));
  file = path.join(dir, 'c.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const noop = async (): Promise<void> => undefined;
const line = (doc: Doc): string => `${serialize(doc)}\n`;
const fileText = (): string => readFileSync(file, 'utf8');
/** What a restart would load (the journal object is dropped, as in a crash). */
const reopen = async (options: JournalOptions = {}): Promise<Doc[]> => {
  const { journal, docs } = await Journal.open(file, options);
  await journal.close();
  return docs;
};
/** What a restart would load from the file as it is now, leaving the file alone. */
const loadCopy = async (): Promise<Doc[]> => {
  const copy = path.join(dir, 'copy.db');
  copyFileSync(file, copy);
  const { journal, docs } = await Journal.open(copy);
  await journal.close();
  rmSync(copy);
  return docs;
};
const settle = async (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'ok',
    (error: { code?: string }) => error.code ?? 'error',
  );

describe('Journal', () => {
  it('round-trips dates, nested objects and nulls in nedb’s line format', () => {
    const doc = { _id: 'a', at: new Date(5), nested: { when: new Date(6), list: [1, 'x'] }, none: null };
    expect(serialize(doc)).toBe(
      '{"_id":"a","at":{"$$date":5},"nested":{"when":{"$$date":6},"list":[1,"x"]},"none":null}',
    );
    expect(deserialize(serialize(doc))).toEqual(doc);
  });

  it('keeps concurrent writes in order, and nedb can read the file', async () => {
    const { journal } = await Journal.open(file);
    await Promise.all(
      Array.from({ length: 100 }, (_, i) => journal.write({ _id: `u${i % 10}`, n: i, at: new Date(i) }, noop)),
    );
    await journal.remove('u0', noop);
    expect(fileText().trim().split('\n')).toHaveLength(101);
    const docs = await reopen();
    expect(docs).toHaveLength(9);
    expect(docs.find((d) => d._id === 'u9')).toEqual({ _id: 'u9', n: 99, at: new Date(99) });

    const nedb = new Datastore({ filename: file });
    await nedb.loadDatabaseAsync();
    expect(await nedb.findOneAsync({ _id: 'u9' })).toEqual({ _id: 'u9', n: 99, at: new Date(99) });
    expect(await nedb.countAsync({})).toBe(9);
    await journal.close();
  });

  it('compacts to one line per document', async () => {
    const { journal } = await Journal.open(file);
    await journal.write({ _id: 'a', n: 1 }, noop);
    await journal.write({ _id: 'a', n: 2 }, noop);
    await journal.compact(() => [{ _id: 'a', n: 2 }]);
    await journal.write({ _id: 'b', n: 1 }, noop);
    await journal.close();
    expect(fileText()).toBe('{"_id":"a","n":2}\n{"_id":"b","n":1}\n');
  });

  it('creates a missing file, and a closed journal refuses writes', async () => {
    const { journal, docs } = await Journal.open(file);
    expect(docs).toEqual([]);
    expect(readdirSync(dir)).toEqual(['c.db']);
    await journal.close();
    await expect(journal.write({ _id: 'a' }, noop)).rejects.toThrow(/closed/);
  });
});

describe('Journal after a crash', () => {
  it('drops a last line cut short, even in a one-record file, and writes the next on its own line', async () => {
    writeFileSync(file, `${line({ _id: 'a', n: 1 })}{"_id":"b","n`);
    const { journal, docs } = await Journal.open(file);
    expect(docs).toEqual([{ _id: 'a', n: 1 }]);
    expect(fileText()).toBe(line({ _id: 'a', n: 1 }));
    await journal.write({ _id: 'c', n: 3 }, noop);
    await journal.close();
    expect(await reopen()).toEqual([
      { _id: 'a', n: 1 },
      { _id: 'c', n: 3 },
    ]);
  });

  it('drops a last line of only garbage (zeros after a power cut)', async () => {
    writeFileSync(file, Buffer.concat([Buffer.from(line({ _id: 'a' })), Buffer.alloc(300)]));
    expect(await reopen()).toEqual([{ _id: 'a' }]);
    expect(fileText()).toBe(line({ _id: 'a' }));
  });

  it('refuses a bad line before the last one, naming the file and the line, and changes nothing', async () => {
    const text = `${line({ _id: 'a' })}not json\n${line({ _id: 'b' })}`;
    writeFileSync(file, text);
    const opening = Journal.open(file);
    await expect(opening).rejects.toThrow(CorruptCollectionFileError);
    await expect(opening).rejects.toThrow(`${file}, line 2`);
    expect(fileText()).toBe(text);
  });

  it('skips nedb’s index lines and applies removals', async () => {
    appendFileSync(file, `{"$$indexCreated":{"fieldName":"x"}}\n${line({ _id: 'a' })}${line({ _id: 'b' })}`);
    appendFileSync(file, line({ $$deleted: true, _id: 'a' }));
    expect(await reopen()).toEqual([{ _id: 'b' }]);
  });
});

describe('Journal on a failing disk', () => {
  const open = async (fs: FaultyJournalFs) => (await Journal.open(file, { fs })).journal;

  it('cuts a write stopped by a full disk back to the last record; the next write is intact', async () => {
    const fs = new FaultyJournalFs();
    const journal = await open(fs);
    const applied: string[] = [];
    const apply = (id: string) => async () => void applied.push(id);
    await journal.write({ _id: 'a', n: 1 }, apply('a'));
    fs.failNext('write', { fileSuffix: '.db', writtenFraction: 0.6 });
    await expect(journal.write({ _id: 'b', n: 2 }, apply('b'))).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(fileText()).toBe(line({ _id: 'a', n: 1 }));
    await journal.write({ _id: 'c', n: 3 }, apply('c'));
    expect(applied).toEqual(['a', 'c']);
    expect(fileText()).toBe(line({ _id: 'a', n: 1 }) + line({ _id: 'c', n: 3 }));
    await journal.close();
    expect(await reopen()).toEqual([
      { _id: 'a', n: 1 },
      { _id: 'c', n: 3 },
    ]);
  });

  it('fails every write of a batch that did not reach the disk, and none is applied', async () => {
    const fs = new FaultyJournalFs();
    const journal = await open(fs);
    await journal.write({ _id: 'a' }, noop);
    fs.failNext('write', { fileSuffix: '.db', writtenFraction: 0.7 });
    const applied: string[] = [];
    const batch = ['b', 'c', 'd'].map((id) => settle(journal.write({ _id: id }, async () => void applied.push(id))));
    expect(await Promise.all(batch)).toEqual(['ENOSPC', 'ENOSPC', 'ENOSPC']);
    expect(applied).toEqual([]);
    await journal.close();
    expect(await reopen()).toEqual([{ _id: 'a' }]);
  });

  it('when cutting back fails too, cuts before the next write (and a crash in between drops the torn line)', async () => {
    const fs = new FaultyJournalFs();
    const journal = await open(fs);
    await journal.write({ _id: 'a' }, noop);
    fs.failNext('write', { fileSuffix: '.db' }).failNext('truncate', { code: 'EIO' });
    expect(await settle(journal.write({ _id: 'b', pad: 'x'.repeat(50) }, noop))).toBe('ENOSPC');
    expect(fileText().startsWith(`${line({ _id: 'a' })}{"_id":"b"`)).toBe(true);
    expect(await loadCopy()).toEqual([{ _id: 'a' }]);

    fs.failNext('truncate', { code: 'EIO' });
    // The cut fails again: this write fails without writing anything.
    expect(await settle(journal.write({ _id: 'c' }, noop))).toBe('EIO');
    expect(await loadCopy()).toEqual([{ _id: 'a' }]);
    await journal.write({ _id: 'd' }, noop);
    expect(fileText()).toBe(line({ _id: 'a' }) + line({ _id: 'd' }));
    await journal.close();
  });

  it('fails a write whose fdatasync fails, and cuts it back', async () => {
    const fs = new FaultyJournalFs();
    const journal = await open(fs);
    fs.failNext('datasync', { code: 'EIO', fileSuffix: '.db' });
    expect(await settle(journal.write({ _id: 'a' }, noop))).toBe('EIO');
    await journal.write({ _id: 'b' }, noop);
    await journal.close();
    expect(fileText()).toBe(line({ _id: 'b' }));
  });

  it.each([
    ['the temporary file fills the disk', 'write', '.db~'],
    ['the temporary file cannot be synced', 'datasync', '.db~'],
    ['the rename fails', 'rename', '.db'],
  ] as const)('keeps the old file, complete and in use, when %s during a compaction', async (_, operation, suffix) => {
    const fs = new FaultyJournalFs();
    const journal = await open(fs);
    await journal.write({ _id: 'a', n: 1 }, noop);
    await journal.write({ _id: 'a', n: 2 }, noop);
    const before = fileText();
    fs.failNext(operation, { fileSuffix: suffix });
    await expect(journal.compact(() => [{ _id: 'a', n: 2 }])).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(fs.pending).toBe(0);
    expect(readdirSync(dir)).toEqual(['c.db']);
    expect(fileText()).toBe(before);
    await journal.write({ _id: 'b', n: 1 }, noop);
    expect(fileText()).toBe(before + line({ _id: 'b', n: 1 }));
    await journal.compact(() => [
      { _id: 'a', n: 2 },
      { _id: 'b', n: 1 },
    ]);
    await journal.write({ _id: 'c' }, noop);
    expect(fileText()).toBe(line({ _id: 'a', n: 2 }) + line({ _id: 'b', n: 1 }) + line({ _id: 'c' }));
    await journal.close();
  });
});

describe('Journal compaction racing writes', () => {
  it('loses no acknowledged write, whatever the order of writes, removals and compactions', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ kind: fc.constant('write' as const), id: fc.constantFrom('a', 'b', 'c', 'd'), n: fc.nat(99) }),
            fc.record({ kind: fc.constant('remove' as const), id: fc.constantFrom('a', 'b', 'c', 'd') }),
            fc.record({ kind: fc.constant('compact' as const) }),
          ),
          { minLength: 1, maxLength: 25 },
        ),
        fc.scheduler(),
        async (operations, scheduler) => {
          rmSync(file, { force: true });
          const { journal } = await Journal.open(file);
          // The in-memory copy the journal's applies maintain, and the compaction's snapshot of it.
          const memory = new Map<string, Doc>();
          const acknowledged = new Map<string, Doc | null>();
          const runs = operations.map(async (operation) => {
            await scheduler.schedule(Promise.resolve(), operation.kind);
            if (operation.kind === 'compact') return journal.compact(() => [...memory.values()]);
            if (operation.kind === 'write') {
              const doc = { _id: operation.id, n: operation.n };
              await journal.write(doc, async () => void memory.set(operation.id, doc));
              acknowledged.set(operation.id, doc);
            } else {
              await journal.remove(operation.id, async () => void memory.delete(operation.id));
              acknowledged.set(operation.id, null);
            }
          });
          await scheduler.waitFor(Promise.all(runs));
          const loaded = new Map((await reopen()).map((doc) => [doc._id as string, doc]));
          await journal.close();
          // Writes to one id are answered in file order, so the last answered is the file's.
          for (const [id, doc] of acknowledged) expect(loaded.get(id) ?? null).toEqual(doc);
          expect(loaded).toEqual(memory);
        },
      ),
      { numRuns: 40 },
    );
  });
});

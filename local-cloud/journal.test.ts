import Datastore from '@seald-io/nedb';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Journal, deserialize, readCollectionFile, serialize } from './journal';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'journal-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('Journal', () => {
  it('round-trips dates, nested objects and nulls in nedb’s line format', () => {
    const doc = { _id: 'a', at: new Date(5), nested: { when: new Date(6), list: [1, 'x'] }, none: null };
    expect(serialize(doc)).toBe(
      '{"_id":"a","at":{"$$date":5},"nested":{"when":{"$$date":6},"list":[1,"x"]},"none":null}',
    );
    expect(deserialize(serialize(doc))).toEqual(doc);
  });

  it('keeps concurrent writes in order, and nedb can read the file', async () => {
    const file = path.join(dir, 'users.db');
    const journal = new Journal(file);
    await Promise.all(
      Array.from({ length: 100 }, (_, i) => journal.write({ _id: `u${i % 10}`, n: i, at: new Date(i) })),
    );
    await journal.remove('u0');
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(101);
    const docs = await readCollectionFile(file);
    expect(docs).toHaveLength(9);
    expect(docs.find((d) => d._id === 'u9')).toEqual({ _id: 'u9', n: 99, at: new Date(99) });

    const nedb = new Datastore({ filename: file });
    await nedb.loadDatabaseAsync();
    expect(await nedb.findOneAsync({ _id: 'u9' })).toEqual({ _id: 'u9', n: 99, at: new Date(99) });
    expect(await nedb.countAsync({})).toBe(9);
    await journal.close(() => docs);
  });

  it('compacts to one line per document', async () => {
    const file = path.join(dir, 'c.db');
    const journal = new Journal(file);
    await journal.write({ _id: 'a', n: 1 });
    await journal.write({ _id: 'a', n: 2 });
    await journal.close(() => [{ _id: 'a', n: 2 }]);
    expect(readFileSync(file, 'utf8')).toBe('{"_id":"a","n":2}\n');
  });

  it('skips a line cut short by a crash, but refuses a mostly unreadable file', async () => {
    const file = path.join(dir, 'c.db');
    const lines = Array.from({ length: 20 }, (_, i) => serialize({ _id: `u${i}` })).join('\n');
    appendFileSync(file, `${lines}\n{"_id":"u20","n`);
    expect(await readCollectionFile(file)).toHaveLength(20);
    appendFileSync(file, '\nbad\nbad\nbad\n');
    await expect(readCollectionFile(file)).rejects.toThrow(/unreadable/);
  });

  it('reads a missing file as empty', async () => {
    expect(await readCollectionFile(path.join(dir, 'none.db'))).toEqual([]);
  });
});

/**
 * The emulator's own tools: collections with counts, a page of documents, JSON Lines export
 * and import in the CloudBase console's format, and collections created from the project's
 * database/security-rules.json.
 */
import { mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PassThrough, Readable } from 'stream';
import {
  browseCollection,
  collectionsOfSecurityRules,
  exportJsonLines,
  importJsonLines,
  listCollections,
} from './admin';
import { Database } from './database';
import { openEmulatorDatabase } from '.';
import { insertDocuments } from './writes';

let dir: string;
let db: Database;
beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'emu-db-admin-'));
  db = await Database.open(path.join(dir, 'db'));
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const add = (collection: string, docs: Record<string, unknown>[]) =>
  db.inSpace(undefined, (space) => insertDocuments(space, collection, docs, Date.now()));

it('creates the collections the security rules list, once', async () => {
  const names = collectionsOfSecurityRules(path.resolve(__dirname, '../../database/security-rules.json'));
  expect(names).toContain('users');
  expect(await db.ensureCollections(names)).toEqual(names);
  expect(await db.ensureCollections(names)).toEqual([]);
});

it('opens the emulator database with the collections of the security rules', async () => {
  const rules = path.resolve(__dirname, '../../database/security-rules.json');
  const opened = await openEmulatorDatabase({ dir: path.join(dir, 'emu'), securityRulesFile: rules });
  expect(opened.store.hasCollection('users')).toBe(true);
  await opened.close();
});

it('lists collections with their counts, and browses a page', async () => {
  await db.ensureCollections(['b', 'a']);
  await add('a', [
    { _id: 'x', n: 2 },
    { _id: 'y', n: 1 },
    { _id: 'z', n: 3 },
  ]);
  expect(listCollections(db).map(({ name, count }) => ({ name, count }))).toEqual([
    { name: 'a', count: 3 },
    { name: 'b', count: 0 },
  ]);
  const page = await browseCollection(db, 'a', { query: { n: { $gte: 2 } }, order: { n: -1 }, limit: 1 });
  expect(page.total).toBe(2);
  expect(page.documents.map((text) => JSON.parse(text))).toEqual([{ _id: 'z', n: 3 }]);
});

it('exports JSON Lines and imports them back, keeping types', async () => {
  await db.ensureCollections(['src', 'dst']);
  await add('src', [
    { _id: 'a', at: new Date('2018-08-31T17:30:00.882Z'), tags: ['x'] },
    { _id: 'b', nested: { re: /q/i } },
  ]);
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  expect(await exportJsonLines(db, 'src', out)).toBe(2);
  const text = chunks.join('');
  expect(text.split('\n')[0]).toBe('{"_id":"a","at":{"$date":"2018-08-31T17:30:00.882Z"},"tags":["x"]}');
  expect(await importJsonLines(db, 'dst', Readable.from([text]))).toEqual({ inserted: 2, replaced: 0 });
  const page = await browseCollection(db, 'dst');
  expect(page.documents.join('\n')).toBe(text.trim());
});

it('imports in insert mode all or nothing per batch, naming the bad line; upsert replaces', async () => {
  await db.ensureCollections(['t']);
  await add('t', [{ _id: 'taken', v: 0 }]);
  const lines = '{"_id":"n1","v":1}\n{"_id":"taken","v":1}\n';
  await expect(importJsonLines(db, 't', Readable.from([lines]))).rejects.toThrow(/lines 1-2.*duplicate key/);
  expect(db.store.count('t')).toBe(1);
  await expect(importJsonLines(db, 't', Readable.from(['{"_id":"n2"}\nnot json\n']))).rejects.toThrow(/line 2/);
  expect(await importJsonLines(db, 't', Readable.from([lines]), { mode: 'upsert' })).toEqual({
    inserted: 1,
    replaced: 1,
  });
  expect(db.store.count('t')).toBe(2);
  expect(await importJsonLines(db, 'fresh', Readable.from(['{"a":1}\n']), { create: true })).toEqual({
    inserted: 1,
    replaced: 0,
  });
});

/**
 * The emulator's own view of its database (for a console, scripts and tests): collections with
 * their counts, a page of documents, and a collection as JSON Lines — one relaxed-EJSON
 * document per line, the format of the CloudBase console's import and export
 * (`{"_id":"x","due":{"$date":"2018-08-31T17:30:00.882Z"}}`). Export and import stream: a
 * collection of any size goes through a bounded amount of memory.
 */
import { readFileSync } from 'fs';
import { createInterface } from 'readline';
import type { Readable, Writable } from 'stream';
import { invalidParam } from '../api/errors';
import { decodeDocument, encodeDocument, isPlainObject, type Doc } from './codec';
import type { Database } from './database';
import { countDocuments, findDocuments } from './find';
import { insertDocuments } from './writes';
import type { DocWrite } from './store';

export interface CollectionSummary {
  name: string;
  count: number;
  createdAt: Date;
}

export function listCollections(db: Database): CollectionSummary[] {
  return db.store
    .listCollections()
    .map((info) => ({ name: info.name, count: db.store.count(info.name), createdAt: new Date(info.createdAt) }));
}

export interface BrowseOptions {
  query?: Doc;
  order?: Doc;
  offset?: number;
  limit?: number;
}

/** A page of a collection (relaxed EJSON texts) and how many documents match in all. */
export async function browseCollection(
  db: Database,
  collection: string,
  options: BrowseOptions = {},
): Promise<{ total: number; documents: string[] }> {
  db.requireCollection(collection);
  const query = options.query ?? {};
  return db.inSpace(undefined, async (space) => ({
    total: await countDocuments(space, collection, query),
    documents: await findDocuments(space, {
      collection,
      query,
      projection: null,
      order: options.order ?? null,
      offset: options.offset ?? 0,
      limit: options.limit ?? 20,
    }),
  }));
}

/** Writes every document of a collection, one per line; answers how many. */
export async function exportJsonLines(db: Database, collection: string, out: Writable): Promise<number> {
  db.requireCollection(collection);
  let written = 0;
  for await (const entries of db.store.scan(collection)) {
    const text = `${entries.map(([, doc]) => doc).join('\n')}\n`;
    written += entries.length;
    if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', resolve));
  }
  return written;
}

export interface ImportOptions {
  /** `insert` (default) fails on an existing `_id`; `upsert` replaces it. */
  mode?: 'insert' | 'upsert';
  /** Create the collection when it does not exist (default false: it must exist). */
  create?: boolean;
}

export interface ImportResult {
  inserted: number;
  replaced: number;
}

const IMPORT_BATCH = 500;

/**
 * Reads JSON Lines into a collection, a batch of 500 at a time, each batch atomic. An invalid
 * line stops the import with its line number; the batches before it stay written.
 */
export async function importJsonLines(
  db: Database,
  collection: string,
  input: Readable,
  options: ImportOptions = {},
): Promise<ImportResult> {
  if (options.create && !db.store.hasCollection(collection)) await db.ensureCollections([collection]);
  db.requireCollection(collection);
  const result: ImportResult = { inserted: 0, replaced: 0 };
  let batch: Doc[] = [];
  let lineNumber = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const docs = batch;
    batch = [];
    if (options.mode === 'upsert') {
      const counts = await upsert(db, collection, docs);
      result.replaced += counts.replaced;
      result.inserted += counts.inserted;
    } else {
      try {
        await db.inSpace(undefined, (space) => insertDocuments(space, collection, docs, db.now()));
      } catch (error) {
        throw lineError(lineNumber - docs.length + 1, lineNumber, error);
      }
      result.inserted += docs.length;
    }
  };
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    let doc: Doc;
    try {
      doc = decodeDocument(line);
    } catch (error) {
      throw lineError(lineNumber, lineNumber, error);
    }
    batch.push(doc);
    if (batch.length >= IMPORT_BATCH) await flush();
  }
  await flush();
  return result;
}

function lineError(first: number, last: number, error: unknown): Error {
  const where = first === last ? `line ${first}` : `lines ${first}-${last}`;
  return invalidParam(`import failed at ${where}: ${error instanceof Error ? error.message : String(error)}`);
}

async function upsert(db: Database, collection: string, docs: Doc[]): Promise<ImportResult> {
  return db.inSpace(undefined, async (space) => {
    const byKey = new Map<string, string>();
    for (const doc of docs) {
      if (!('_id' in doc)) throw invalidParam('upsert import needs an _id on every line');
      byKey.set(space.store.docKey(collection, doc._id), encodeDocument(doc));
    }
    const keys = [...byKey.keys()];
    const release = await space.lock(keys);
    try {
      const existing = await space.read(keys);
      const writes: DocWrite[] = keys.map((key, i) => ({
        collection,
        key,
        text: byKey.get(key)!,
        delta: existing[i] === undefined ? 1 : 0,
      }));
      await space.write(writes);
      const replaced = existing.filter((text) => text !== undefined).length;
      return { inserted: keys.length - replaced, replaced };
    } finally {
      release();
    }
  });
}

/** The collections `database/security-rules.json` lists (its top-level keys). */
export function collectionsOfSecurityRules(file: string): string[] {
  const rules = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (!isPlainObject(rules)) throw new Error(`${file} must hold an object keyed by collection name`);
  return Object.keys(rules);
}

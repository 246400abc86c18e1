/**
 * Data of the local cloud before the emulator: `<dataDir>/db/<collection>.db`, nedb's file format
 * (one JSON document per line, dates as `{"$$date":ms}`, removals as `{"$$deleted":true,"_id":…}`,
 * the last line of an _id wins). When such a folder exists and the new database holds no
 * document, it is imported once, then renamed `db.imported` (kept, never read again).
 *
 * An import interrupted by a crash is finished on the next start: a marker file is written before
 * it and removed after the rename, and the import replaces documents by _id, so running it again
 * gives the same result.
 */
import { existsSync, promises as fsp } from 'fs';
import * as path from 'path';
import { Readable } from 'stream';
import { listCollections, importJsonLines } from './engine/admin';
import { encodeDocument, type Doc } from './engine/codec';
import type { Database } from './engine/database';

export const LEGACY_DIR = 'db';
export const IMPORTED_DIR = 'db.imported';
const MARKER = 'nedb-import.pending';
const COLLECTION_FILE = /^([A-Za-z_][A-Za-z0-9_-]{0,63})\.db$/;

export interface LegacyImport {
  /** The folder the files were moved to. */
  keptIn: string;
  /** Documents imported, per collection. */
  collections: Record<string, number>;
}

/** Imports the old nedb folder of `dataDir` into `db` when it should be (see above); null when not. */
export async function importLegacyData(dataDir: string, db: Database): Promise<LegacyImport | null> {
  const legacy = path.join(dataDir, LEGACY_DIR);
  const marker = path.join(dataDir, MARKER);
  if (!existsSync(legacy)) return null;
  const empty = listCollections(db).every((collection) => collection.count === 0);
  if (!empty && !existsSync(marker)) return null;
  await fsp.writeFile(marker, 'importing db/ (nedb) into database/\n');
  const collections: Record<string, number> = {};
  for (const file of (await fsp.readdir(legacy)).sort()) {
    const name = COLLECTION_FILE.exec(file)?.[1];
    if (name === undefined) continue;
    const docs = await readNedbFile(path.join(legacy, file));
    await importJsonLines(db, name, Readable.from(docs.map((doc) => `${encodeDocument(doc)}\n`)), {
      mode: 'upsert',
      create: true,
    });
    collections[name] = docs.length;
  }
  const keptIn = path.join(dataDir, IMPORTED_DIR);
  await fsp.rm(keptIn, { recursive: true, force: true });
  await fsp.rename(legacy, keptIn);
  await fsp.rm(marker, { force: true });
  return { keptIn, collections };
}

/**
 * The documents a collection file holds, as nedb reads it. A last line cut short (a crash while
 * appending) is dropped; any other line that is not JSON stops the import, naming it.
 */
export async function readNedbFile(file: string): Promise<Doc[]> {
  const lines = (await fsp.readFile(file, 'utf8')).split('\n');
  const byId = new Map<string, Doc>();
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let doc: Doc;
    try {
      doc = parseNedbLine(line);
    } catch (error) {
      if (index === lines.length - 1) return;
      throw new Error(`${file}, line ${index + 1}: not a nedb document (${(error as Error).message})`, {
        cause: error,
      });
    }
    // Index definitions, not documents.
    if ('$$indexCreated' in doc || '$$indexRemoved' in doc) return;
    const key = JSON.stringify(doc._id);
    if (doc.$$deleted === true) byId.delete(key);
    else byId.set(key, doc);
  });
  return [...byId.values()];
}

function parseNedbLine(line: string): Doc {
  const value = JSON.parse(line, (_key, item: unknown) => {
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      const { $$date } = item as { $$date?: unknown };
      if (typeof $$date === 'number' && Object.keys(item).length === 1) return new Date($$date);
    }
    return item;
  }) as unknown;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
  return value as Doc;
}

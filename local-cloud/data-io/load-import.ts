/**
 * Fills a fresh data folder from an export (manifest.ts), or from a folder of CloudBase console
 * export files (`<collection>.json`, JSON Lines, no manifest). Documents stream in 500 at a time,
 * files are copied as streams. Everything is written to a temp folder beside the data folder and
 * renamed into place at the end: a failed import leaves no data folder behind.
 */
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import { promises as fsp } from 'fs';
import * as path from 'path';
import { Transform } from 'stream';
import { importJsonLines } from '../engine/admin';
import { Database } from '../engine/database';
import { checkCollectionName } from '../engine/store';
import { databaseDir, storageDir } from '../runtime';
import { checkCloudPath } from '../storage';
import { STORAGE_FOLDER, ExportFormatError, readManifest, type ExportManifest } from './manifest';
import { copyTree } from './write-export';

export interface ImportSummary {
  /** Null for a folder of console export files. */
  manifest: ExportManifest | null;
  collections: Record<string, number>;
  files: number;
}

interface CollectionFile {
  name: string;
  file: string;
  count?: number;
  sha256?: string;
}

/** Imports `source` into `dataDir`, which must be missing or empty. */
export async function loadImport(source: string, dataDir: string): Promise<ImportSummary> {
  const from = path.resolve(source);
  const stat = await fsp.stat(from).catch(() => null);
  if (!stat?.isDirectory()) throw new ExportFormatError(`import folder ${from} does not exist`);
  const manifest = await readManifest(from);
  const files = manifest ? manifestFiles(manifest, from) : await consoleFiles(from);
  await requireEmpty(dataDir);
  const temp = `${path.resolve(dataDir)}.import-${randomBytes(6).toString('hex')}`;
  try {
    const collections = await importCollections(files, temp);
    const storage = manifest
      ? await copyTree(path.join(from, STORAGE_FOLDER), storageDir({ dataDir: temp }), safeSegment)
      : { files: 0 };
    await fsp.rm(dataDir, { recursive: true, force: true });
    await fsp.rename(temp, dataDir);
    return { manifest, collections, files: storage.files };
  } catch (error) {
    await fsp.rm(temp, { recursive: true, force: true });
    throw error;
  }
}

function manifestFiles(manifest: ExportManifest, from: string): CollectionFile[] {
  return manifest.collections.map((entry) => {
    const file = path.resolve(from, ...entry.file.split('/'));
    if (!file.startsWith(from + path.sep)) throw new ExportFormatError(`${entry.file}: outside the export folder`);
    return { name: collectionName(entry.name, entry.file), file, count: entry.count, sha256: entry.sha256 };
  });
}

/** A CloudBase console export: each `<collection>.json` file one collection. */
async function consoleFiles(from: string): Promise<CollectionFile[]> {
  const names = (await fsp.readdir(from)).filter((name) => name.endsWith('.json')).sort();
  if (names.length === 0) {
    throw new ExportFormatError(
      `${from} holds neither manifest.json (an emulator export) nor <collection>.json files (CloudBase console exports)`,
    );
  }
  return names.map((name) => ({
    name: collectionName(name.slice(0, -'.json'.length), name),
    file: path.join(from, name),
  }));
}

function collectionName(name: string, file: string): string {
  try {
    return checkCollectionName(name);
  } catch (error) {
    throw new ExportFormatError(`${file}: "${name}" is not a collection name: ${(error as Error).message}`);
  }
}

async function requireEmpty(dataDir: string): Promise<void> {
  const entries = await fsp.readdir(dataDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  if (entries.length > 0) {
    throw new ExportFormatError(
      `the data folder ${dataDir} is not empty: add --reset to replace its data by the import, or choose another --data-dir`,
    );
  }
}

async function importCollections(files: CollectionFile[], dataDir: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const db = await Database.open(databaseDir({ dataDir }));
  try {
    for (const entry of files) {
      const hash = createHash('sha256');
      const hashing = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          hash.update(chunk);
          callback(null, chunk);
        },
      });
      const input = fs.createReadStream(entry.file).on('error', (error) => hashing.destroy(error));
      let inserted: number;
      try {
        ({ inserted } = await importJsonLines(db, entry.name, input.pipe(hashing), { create: true }));
      } catch (error) {
        throw new ExportFormatError(`${entry.file}: ${(error as Error).message}`);
      }
      if (entry.count !== undefined && inserted !== entry.count) {
        throw new ExportFormatError(`${entry.file}: ${inserted} documents, the manifest says ${entry.count}`);
      }
      if (entry.sha256 !== undefined && hash.digest('hex') !== entry.sha256) {
        throw new ExportFormatError(
          `${entry.file}: its checksum differs from the manifest's (file changed or cut short)`,
        );
      }
      counts[entry.name] = inserted;
    }
  } finally {
    await db.close();
  }
  return counts;
}

/** Stored files keep the names uploads may have (storage.ts); anything else is refused. */
function safeSegment(name: string): boolean {
  if (checkCloudPath(name) === null)
    throw new ExportFormatError(`storage: "${name}" is not a valid cloud path segment`);
  return true;
}

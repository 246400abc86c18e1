/**
 * Writes an export (manifest.ts) of a database and a storage folder. The database is read from
 * one LevelDB snapshot (every collection as of the same moment) a batch at a time, files are
 * copied as streams: memory stays bounded whatever the data size. The export is written to a
 * temp folder beside the target and renamed into place once complete, so the target is either
 * the previous content or the whole new export, never half of one.
 */
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import { promises as fsp } from 'fs';
import * as path from 'path';
import { pipeline } from 'stream/promises';
import { Transform } from 'stream';
import { ROOT } from '../config';
import { Database } from '../engine/database';
import { databaseDir, storageDir } from '../runtime';
import {
  DATABASE_FOLDER,
  EXPORT_FORMAT,
  EXPORT_VERSION,
  ExportFormatError,
  MANIFEST_FILE,
  STORAGE_FOLDER,
  readManifest,
  type ExportManifest,
  type ExportedCollection,
} from './manifest';

export interface ExportSource {
  db: Database;
  /** The emulator's storage folder (`<dataDir>/storage`). */
  storageDir: string;
  envId: string;
  appid: string;
  now?: () => number;
}

/** Writes the export to `target` (replacing an earlier export there); answers its manifest. */
export async function writeExport(source: ExportSource, target: string): Promise<ExportManifest> {
  const dir = path.resolve(target);
  await checkTarget(dir);
  await fsp.mkdir(path.dirname(dir), { recursive: true });
  const temp = `${dir}.export-${randomBytes(6).toString('hex')}`;
  try {
    await fsp.mkdir(path.join(temp, DATABASE_FOLDER), { recursive: true });
    const collections = await exportDatabase(source.db, temp);
    const storage = await copyTree(source.storageDir, path.join(temp, STORAGE_FOLDER), (name) => name !== '.uploads');
    const manifest: ExportManifest = {
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      project: projectInfo(),
      envId: source.envId,
      appid: source.appid,
      exportedAt: new Date((source.now ?? Date.now)()).toISOString(),
      collections,
      storage: { folder: STORAGE_FOLDER, ...storage },
    };
    await fsp.writeFile(path.join(temp, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    await swapInto(temp, dir);
    return manifest;
  } catch (error) {
    await fsp.rm(temp, { recursive: true, force: true });
    throw error;
  }
}

/** A target may be missing, empty or an earlier export; anything else is the user's and is kept. */
async function checkTarget(dir: string): Promise<void> {
  const stat = await fsp.stat(dir).catch(() => null);
  if (!stat) return;
  if (!stat.isDirectory()) throw new ExportFormatError(`${dir} is a file, not a folder`);
  if ((await fsp.readdir(dir)).length === 0) return;
  const manifest = await readManifest(dir).catch(() => null);
  if (!manifest) {
    throw new ExportFormatError(`${dir} is not empty and holds no emulator export: choose an empty or new folder`);
  }
}

async function swapInto(temp: string, dir: string): Promise<void> {
  const old = `${dir}.old-${randomBytes(6).toString('hex')}`;
  const existed = await fsp
    .rename(dir, old)
    .then(() => true)
    .catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    });
  try {
    await fsp.rename(temp, dir);
  } catch (error) {
    if (existed) await fsp.rename(old, dir);
    throw error;
  }
  if (existed) await fsp.rm(old, { recursive: true, force: true });
}

async function exportDatabase(db: Database, root: string): Promise<ExportedCollection[]> {
  const snapshot = db.store.snapshot();
  const taken = new Set<string>();
  const collections: ExportedCollection[] = [];
  try {
    for (const { name } of db.store.listCollections()) {
      const file = `${DATABASE_FOLDER}/${fileNameFor(name, taken)}`;
      const hash = createHash('sha256');
      let count = 0;
      const out = fs.createWriteStream(path.join(root, file));
      const done = new Promise<void>((resolve, reject) => {
        out.once('finish', resolve);
        out.once('error', reject);
      });
      for await (const entries of db.store.scan(name, { snapshot })) {
        const text = `${entries.map(([, doc]) => doc).join('\n')}\n`;
        hash.update(text);
        count += entries.length;
        if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', resolve));
      }
      out.end();
      await done;
      collections.push({ name, file, count, sha256: hash.digest('hex') });
    }
  } finally {
    await snapshot.close();
  }
  return collections;
}

/** `<name>.json`; two names equal but for case (one file on Windows and macOS) get `~2`, `~3`... */
function fileNameFor(name: string, taken: Set<string>): string {
  let file = `${name}.json`;
  for (let i = 2; taken.has(file.toLowerCase()); i += 1) file = `${name}~${i}.json`;
  taken.add(file.toLowerCase());
  return file;
}

/** Copies the regular files of `from` (missing: nothing) into `to`, as streams; counts them. */
export async function copyTree(
  from: string,
  to: string,
  keep: (name: string) => boolean = () => true,
): Promise<{ files: number; bytes: number }> {
  const totals = { files: 0, bytes: 0 };
  await fsp.mkdir(to, { recursive: true });
  let entries: fs.Dirent[];
  try {
    entries = await fsp.readdir(from, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return totals;
    throw error;
  }
  for (const entry of entries) {
    if (!keep(entry.name)) continue;
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) {
      const sub = await copyTree(source, target, keep);
      totals.files += sub.files;
      totals.bytes += sub.bytes;
    } else if (entry.isFile()) {
      totals.bytes += await copyFile(source, target);
      totals.files += 1;
    }
  }
  return totals;
}

async function copyFile(source: string, target: string): Promise<number> {
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  await pipeline(fs.createReadStream(source), counter, fs.createWriteStream(target, { flags: 'wx' }));
  return bytes;
}

function projectInfo(): { name: string; version: string } {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    return { name: String(pkg.name ?? ''), version: String(pkg.version ?? '') };
  } catch {
    return { name: '', version: '' };
  }
}

/** Exports the data folder of a stopped emulator (opening its database, one process at a time). */
export async function exportDataFolder(
  config: { dataDir: string; envId: string; appid: string },
  target: string,
): Promise<ExportManifest> {
  const db = await Database.open(databaseDir(config));
  try {
    return await writeExport({ db, storageDir: storageDir(config), envId: config.envId, appid: config.appid }, target);
  } finally {
    await db.close();
  }
}

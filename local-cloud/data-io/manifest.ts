/**
 * An emulator export is a folder:
 *   manifest.json            this file's shape (ExportManifest)
 *   database/<name>.json     one collection, JSON Lines: one relaxed-EJSON document per line,
 *                            `_id` kept, dates `{"$date":"<ISO>"}` (the CloudBase console's
 *                            JSON import format, see engine/admin.ts)
 *   storage/<cloudPath>      each stored file at its cloud path, byte for byte
 *
 * `version` is `<major>.<minor>`: a minor version only adds fields (readers ignore fields they do
 * not know); a new major version changes the meaning of one, and older readers refuse it.
 */
import { promises as fsp } from 'fs';
import * as path from 'path';

export const EXPORT_FORMAT = 'wx-cloud-login/emulator-export';
export const EXPORT_VERSION = '1.0';
export const MANIFEST_FILE = 'manifest.json';
export const DATABASE_FOLDER = 'database';
export const STORAGE_FOLDER = 'storage';

export interface ExportedCollection {
  name: string;
  /** Relative to the export folder, `/`-separated. */
  file: string;
  count: number;
  /** Of the file's bytes, hex; optional (hand-written exports may leave it out). */
  sha256?: string;
}

/** What a seed scenario promises (seeds only): who to call as, and what they will see. */
export interface ExportScenario {
  description: string;
  callers: Array<{ openid: string; unionid?: string }>;
}

export interface ExportManifest {
  format: typeof EXPORT_FORMAT;
  version: string;
  project: { name: string; version: string };
  envId: string;
  appid: string;
  exportedAt: string;
  collections: ExportedCollection[];
  storage: { folder: typeof STORAGE_FOLDER; files: number; bytes: number };
  scenario?: ExportScenario;
}

/** An export folder that cannot be read; the message says why and what to do. */
export class ExportFormatError extends Error {
  override name = 'ExportFormatError';
}

const SUPPORTED_MAJOR = Number(EXPORT_VERSION.split('.')[0]);

/** The manifest of `dir`, or null when it has none (a folder of console export files). */
export async function readManifest(dir: string): Promise<ExportManifest | null> {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ExportFormatError(`${file}: not JSON (${(error as Error).message})`);
  }
  return checkManifest(value, file);
}

/** Checks what this reader relies on; unknown fields are ignored (a newer minor version's). */
export function checkManifest(value: unknown, where: string): ExportManifest {
  const bad = (what: string) => new ExportFormatError(`${where}: ${what}`);
  if (!isObject(value) || value.format !== EXPORT_FORMAT) {
    throw bad(`not an emulator export (expected "format": "${EXPORT_FORMAT}")`);
  }
  const version = typeof value.version === 'string' ? /^(\d+)\.(\d+)$/.exec(value.version) : null;
  if (!version) throw bad('"version" must be "<major>.<minor>"');
  if (Number(version[1]) > SUPPORTED_MAJOR) {
    throw bad(
      `written in export format ${value.version}, newer than this emulator reads (${SUPPORTED_MAJOR}.x): ` +
        'update the project (git pull, npm ci) to load it',
    );
  }
  if (!Array.isArray(value.collections)) throw bad('"collections" must be a list');
  const collections = value.collections.map((entry: unknown, i: number) => {
    if (!isObject(entry) || typeof entry.name !== 'string' || typeof entry.file !== 'string') {
      throw bad(`collections[${i}] needs "name" and "file"`);
    }
    if (!Number.isInteger(entry.count) || (entry.count as number) < 0) throw bad(`collections[${i}].count`);
    if (entry.sha256 !== undefined && typeof entry.sha256 !== 'string') throw bad(`collections[${i}].sha256`);
    return entry as unknown as ExportedCollection;
  });
  return { ...(value as unknown as ExportManifest), collections };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * `POST /emulator/export { "dir": "<folder>" }`: writes an export of the running emulator (see
 * write-export.ts) and answers `{ dir, collections, storage }`. `dir` is absolute or relative to
 * the project folder. Guarded as /emulator/faults: JSON only, no Origin but the emulator's own.
 * One export at a time (409 while one runs).
 */
import * as path from 'path';
import { guardedAdminRoute, type RouteHandler } from '../api/admin-route';
import { ROOT } from '../config';
import { HttpError, readJsonObject, sendJson } from '../http-io';
import type { LocalCloudRuntime } from '../runtime';
import { storageDir } from '../runtime';
import { ExportFormatError } from './manifest';
import { writeExport } from './write-export';

export const EXPORT_ROUTE = '/emulator/export';
const MAX_BODY_BYTES = 16 * 1024;

export function createExportAdminHandler(runtime: LocalCloudRuntime): RouteHandler {
  let running = false;
  return guardedAdminRoute('export', { host: runtime.config.host, log: runtime.log }, async (req, res) => {
    if (req.method !== 'POST') throw new HttpError(405, 'use POST with { "dir": "<folder>" }');
    const body = await readJsonObject(req, MAX_BODY_BYTES);
    if (typeof body.dir !== 'string' || body.dir.trim() === '') throw new HttpError(400, 'dir must be a folder path');
    if (running) throw new HttpError(409, 'an export is already being written; try again when it is done');
    running = true;
    const dir = path.resolve(ROOT, body.dir);
    try {
      const { config, db } = runtime;
      const manifest = await writeExport(
        { db, storageDir: storageDir(config), envId: config.envId, appid: config.appid, now: config.now },
        dir,
      );
      runtime.log('info', {
        event: 'exported',
        collections: manifest.collections.length,
        files: manifest.storage.files,
      });
      sendJson(res, 200, { dir, collections: manifest.collections, storage: manifest.storage });
    } catch (error) {
      if (error instanceof ExportFormatError) throw new HttpError(409, error.message);
      runtime.log('error', { event: 'export-failed', errorName: error instanceof Error ? error.name : typeof error });
      throw new HttpError(500, `the export failed: ${(error as Error).message}`);
    } finally {
      running = false;
    }
  });
}

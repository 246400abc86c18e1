/**
 * `POST /emulator/export { "dir": "<folder>" }`: writes an export of the running emulator (see
 * write-export.ts) and answers `{ dir, collections, storage }`. `dir` is absolute or relative to
 * the project folder. Guarded as /emulator/faults: JSON only, no Origin but the emulator's own.
 * One export at a time (409 while one runs).
 */
import type { IncomingMessage, ServerResponse } from 'http';
import * as path from 'path';
import { refuseOtherOrigin } from '../api/browser-guard';
import { ROOT } from '../config';
import { HttpError, readJsonObject, sendJson } from '../http-io';
import type { LocalCloudRuntime } from '../runtime';
import { storageDir } from '../runtime';
import { ExportFormatError } from './manifest';
import { writeExport } from './write-export';

export const EXPORT_ROUTE = '/emulator/export';
const MAX_BODY_BYTES = 16 * 1024;

export function createExportAdminHandler(
  runtime: LocalCloudRuntime,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  let running = false;
  return async (req, res) => {
    const fail = (status: number, message: string) => {
      req.resume();
      sendJson(res, status, { error: message });
    };
    const refusal = refuseOtherOrigin(req, runtime.config.host);
    if (refusal) {
      runtime.log('warn', { event: 'export-refused', reason: refusal.reason });
      return fail(403, refusal.message);
    }
    if (req.method !== 'POST') return fail(405, 'use POST with { "dir": "<folder>" }');
    let body: Record<string, unknown>;
    try {
      body = await readJsonObject(req, MAX_BODY_BYTES);
    } catch (error) {
      if (error instanceof HttpError) return fail(error.status, error.message);
      throw error;
    }
    if (typeof body.dir !== 'string' || body.dir.trim() === '') return fail(400, 'dir must be a folder path');
    if (running) return fail(409, 'an export is already being written; try again when it is done');
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
      if (error instanceof ExportFormatError) return fail(409, error.message);
      runtime.log('error', { event: 'export-failed', errorName: error instanceof Error ? error.name : typeof error });
      return fail(500, `the export failed: ${(error as Error).message}`);
    } finally {
      running = false;
    }
  };
}

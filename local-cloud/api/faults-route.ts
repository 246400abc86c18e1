/**
 * `POST /emulator/faults`: manages the fault table (fault-table.ts). JSON only, and only from
 * programs or pages of the emulator itself (no other Origin). Bodies:
 *   { "op": "add", "fault": { "action"?, "collection"?, "apiName"?, "function"?, "nth"?, "times"?,
 *                             "error": { "code", "message"? } | "delayMs" } }
 *   { "op": "list" }
 *   { "op": "clear" }  or  { "op": "clear", "id": 3 }
 * Each answers `{ faults: [...] }` (every rule with its counts); add also `{ added }`.
 */
import { HttpError, readJsonObject, sendJson } from '../http-io';
import type { LogSink } from '../log';
import { guardedAdminRoute, type RouteHandler } from './admin-route';
import { FaultSpecError, parseFaultSpec, type FaultTable } from './fault-table';

const MAX_BODY_BYTES = 16 * 1024;

export function createFaultsAdminHandler(faults: FaultTable, settings: { host: string; log: LogSink }): RouteHandler {
  return guardedAdminRoute('faults', settings, async (req, res) => {
    if (req.method !== 'POST') throw new HttpError(405, 'use POST with { "op": "add" | "list" | "clear" }');
    const body = await readJsonObject(req, MAX_BODY_BYTES);
    if (body.op === 'add') {
      let added;
      try {
        added = faults.add(parseFaultSpec(body.fault));
      } catch (error) {
        if (error instanceof FaultSpecError) throw new HttpError(400, error.message);
        throw error;
      }
      settings.log('info', { event: 'fault-added', id: added.id, action: added.action, collection: added.collection });
      return sendJson(res, 200, { added, faults: faults.list() });
    }
    if (body.op === 'list') return sendJson(res, 200, { faults: faults.list() });
    if (body.op === 'clear') {
      if (body.id !== undefined && !Number.isInteger(body.id)) throw new HttpError(400, 'id must be a fault id');
      faults.clear(body.id as number | undefined);
      return sendJson(res, 200, { faults: faults.list() });
    }
    throw new HttpError(400, 'op must be "add", "list" or "clear"');
  });
}

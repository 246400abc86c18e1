/** `POST /functions/<name>`: `{ data, caller }` in, exactly the function's answer out. */
import type { IncomingMessage, ServerResponse } from 'http';
import { parseCaller } from './caller';
import { findFunction } from './functions';
import { HttpError, readJsonObject, sendError, sendJson } from './http-io';
import { invokeFunction } from './invoke';
import type { LocalCloudRuntime } from './runtime';

export async function callFunctionRoute(
  runtime: LocalCloudRuntime,
  name: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const load = findFunction(runtime.functions, name);
  if (!load) throw new HttpError(404, `unknown function "${name.slice(0, 64)}"`);
  const body = await readJsonObject(req, runtime.config.maxBodyBytes);
  const data = body.data ?? {};
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new HttpError(400, 'data must be a JSON object');
  const caller = parseCaller(body.caller);
  if (typeof caller === 'string') throw new HttpError(400, caller);
  const { main } = await load();
  let result;
  try {
    result = await invokeFunction(
      runtime,
      name,
      main,
      data as Record<string, unknown>,
      caller,
      req.socket.remoteAddress,
    );
  } catch (error) {
    // The handlers answer their own errors; reaching here means main itself threw.
    runtime.log('error', { event: 'function-threw', fn: name, errorName: errorName(error) });
    sendError(res, 500, `function "${name}" threw; see the local cloud's log`);
    return;
  }
  if (!result.ok) sendError(res, result.status, result.message);
  else sendJson(res, 200, result.answer ?? null);
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

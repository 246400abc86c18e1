/**
 * `POST /functions/<name>`: `{ data, caller }` in, exactly the function's answer out. The call is
 * made as the platform makes a mini program's call: CloudID fields of the data resolved for the
 * caller (their names in OPEN_DATA_INFO), `userInfo` put into the event, the caller's identity in
 * the instance's WX_* variables, then the function's deployed folder runs it.
 *
 * When the platform itself fails the call (no such function, a timeout, a crash, a fault injected
 * with /emulator/faults), the answer is an HTTP error whose JSON says so as wx.cloud.callFunction
 * would: `{ error, errCode, errMsg }`, e.g. errCode -504003 and errMsg
 * `cloud.callFunction:fail Error: errCode: -504003  | errMsg: Invoking task timed out after 10 seconds`.
 */
import type { IncomingMessage, ServerResponse } from 'http';
import type { PlatformError } from './api/action';
import type { FaultTable } from './api/fault-table';
import { parseCaller } from './caller';
import type { FunctionHost } from './function-host';
import { HttpError, readJsonObject, sendJson } from './http-io';
import { UnknownFunctionError } from './instances/function-instances';
import {
  EXCEED_CONCURRENT_REQUEST_LIMIT,
  failure,
  FUNCTIONS_EXECUTE_FAIL,
  FUNCTIONS_TIME_LIMIT_EXCEEDED,
  type CallFailure,
  type FailureKind,
} from './instances/outcome';
import type { LocalCloudRuntime } from './runtime';

/** What the mini program's client shows for a function that is not deployed. */
export const FUNCTION_NOT_FOUND = -501000;

export interface GatewayDeps {
  runtime: LocalCloudRuntime;
  functions: FunctionHost;
  faults: FaultTable;
}

export async function callFunctionRoute(
  { runtime, functions, faults }: GatewayDeps,
  name: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (!functions.has(name)) {
    req.resume();
    return sendPlatformFailure(res, notFound(name));
  }
  const body = await readJsonObject(req, runtime.config.maxBodyBytes);
  const data = body.data ?? {};
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new HttpError(400, 'data must be a JSON object');
  const caller = parseCaller(body.caller);
  if (typeof caller === 'string') throw new HttpError(400, caller);
  const { appid } = runtime.config;
  const resolved = runtime.openData.resolveEvent(data as Record<string, unknown>, {
    OPENID: caller.openid,
    APPID: appid,
  });
  if ('error' in resolved) throw new HttpError(400, resolved.error);
  if (faults.active) {
    const fault = faults.decide({ action: 'functions.invokeFunction', function: name });
    if (fault.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault.error) {
      runtime.log('warn', { event: 'function-fault-injected', fn: name, code: fault.error.code });
      return sendPlatformFailure(res, injected(fault.error));
    }
  }
  // The platform overwrites any `userInfo` the client sent (legacy; the functions ignore it).
  const event = { ...resolved.event, userInfo: { appId: appid, openId: caller.openid } };
  let outcome;
  try {
    outcome = await functions.invoke(name, event, {
      ...caller,
      appid,
      clientIp: req.socket.remoteAddress,
      openDataKeys: resolved.keys,
      source: 'wx_client',
    });
  } catch (error) {
    // Removed from cloudbaserc.json while the request was being read.
    if (error instanceof UnknownFunctionError) return sendPlatformFailure(res, notFound(name));
    throw error;
  }
  if (outcome.ok) return sendJson(res, 200, outcome.result ?? null);
  // The reason may quote the function's error message: it goes to the caller, as on the platform, not to the log.
  runtime.log('error', {
    event: 'function-failed',
    fn: name,
    kind: outcome.error.kind,
    errCode: outcome.error.errCode,
    requestId: outcome.requestId,
  });
  sendPlatformFailure(res, outcome.error);
}

const STATUS: Readonly<Record<FailureKind, number>> = {
  error: 502,
  crash: 502,
  memory: 502,
  load: 502,
  timeout: 504,
  busy: 503,
  stopped: 503,
};

function sendPlatformFailure(res: ServerResponse, error: CallFailure & { status?: number }): void {
  sendJson(res, error.status ?? STATUS[error.kind], {
    error: error.message,
    errCode: error.errCode,
    errMsg: `cloud.callFunction:fail Error: ${error.message}`,
  });
}

function notFound(name: string): CallFailure & { status: number } {
  const reason = `[ResourceNotFound.FunctionName] FunctionName parameter could not be found. (${name.slice(0, 64)})`;
  return { ...failure('load', FUNCTION_NOT_FOUND, reason), status: 404 };
}

/** The errCodes of the platform error codes a fault names; any other shows as -501001. */
const FAULT_ERR_CODES: Readonly<Record<string, number>> = {
  FUNCTIONS_EXECUTE_FAIL,
  FUNCTIONS_TIME_LIMIT_EXCEEDED,
  EXCEED_CONCURRENT_REQUEST_LIMIT,
  SYS_ERR: -501001,
  SERVER_TIMEOUT: -501002,
  FUNCTIONS_REQUEST_FAIL: -504001,
};

function injected(error: PlatformError): CallFailure {
  const errCode = Object.prototype.hasOwnProperty.call(FAULT_ERR_CODES, error.code)
    ? FAULT_ERR_CODES[error.code]
    : -501001;
  return failure(errCode === FUNCTIONS_TIME_LIMIT_EXCEEDED ? 'timeout' : 'error', errCode, error.message);
}

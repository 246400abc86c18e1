/**
 * `functions.invokeFunction` (cloud.callFunction inside a function): `request_data` is the
 * JSON text of the call's data; the answer's `response_data` the JSON text of what the callee
 * returned (the SDK parses it, falling back to the raw string). The callee runs for the
 * caller's user: the identity behind the caller's token goes along to the instances layer.
 */
import type { ActionTable } from './action';
import { PlatformError } from './action';
import { callerOf, type CallerIdentity, type IdentityOf } from './caller-identity';
import { FUNCTIONS_EXECUTE_FAIL, invalidParam } from './errors';

export interface InvokeCall {
  /** The calling invocation's identity, or null (no token, or one no running invocation holds). */
  caller: CallerIdentity | null;
  /** The SDK's `X-TCB-Source` header (`wx_client,scf`): the callee's SOURCE. */
  source: string;
}

export interface FunctionsBackend {
  /** Whether a function of this name is deployed (served) by the emulator. */
  has(name: string): boolean;
  /**
   * Runs the function and resolves with its return value, or rejects with a PlatformError
   * (`FUNCTIONS_EXECUTE_FAIL` when it throws, times out or crashes, …).
   */
  invoke(name: string, data: unknown, call: InvokeCall): Promise<unknown>;
}

/** The platform's function names: a letter, then letters, digits, "-" and "_", up to 60. */
const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,59}$/;

export function createFunctionsActions(functions: FunctionsBackend, identityOf: IdentityOf): ActionTable {
  return {
    'functions.invokeFunction': async (request, { source }) => {
      const name = request.function_name;
      if (typeof name !== 'string' || !FUNCTION_NAME.test(name)) throw invalidParam('function_name is invalid');
      if (!functions.has(name)) throw functionNotFound();
      const data = parseRequestData(request.request_data);
      const result = await functions.invoke(name, data, { caller: callerOf(request, identityOf), source });
      return { data: { response_data: responseDataOf(result) } };
    },
  };
}

/** What the mini program's client shows for a missing function, under node-sdk's expected code. */
export const functionNotFound = (): PlatformError =>
  new PlatformError(
    FUNCTIONS_EXECUTE_FAIL,
    '[ResourceNotFound.FunctionName] FunctionName parameter could not be found.',
  );

function parseRequestData(text: unknown): unknown {
  if (text === undefined || text === '') return {};
  if (typeof text !== 'string') throw invalidParam('request_data must be a JSON string');
  try {
    return JSON.parse(text);
  } catch {
    throw invalidParam('request_data is not valid JSON');
  }
}

/**
 * The callee's return value as JSON text. `undefined` (a function returning nothing) becomes
 * "null", so the caller's `result` is null; what the real platform sends then is unsettled.
 */
export function responseDataOf(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

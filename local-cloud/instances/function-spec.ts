/**
 * One function as cloudbaserc.json deploys it: its folder (`<functionRoot>/<name>`, the bytes tcb
 * uploads), handler, limits and environment variables.
 */
import * as path from 'path';

export interface FunctionSpec {
  name: string;
  /** The deployable folder: `cloudfunctions/<name>`. */
  dir: string;
  /** `<file>.<export>`, e.g. `index.main`. */
  handler: string;
  runtime: string;
  timeoutMs: number;
  memoryMb: number;
  /** Set in the instance's environment, under the platform's own variables. */
  envVariables: Readonly<Record<string, string>>;
}

/** tcb 2.12.10's defaults for a function entry that leaves them out. */
export const DEFAULT_TIMEOUT_SECONDS = 15;
export const DEFAULT_MEMORY_MB = 256;
export const DEFAULT_RUNTIME = 'Nodejs18.15';

export class FunctionConfigError extends Error {
  override readonly name = 'FunctionConfigError';
}

// SCF: up to 60 characters of letters, digits, "-" and "_", starting with a letter.
const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,59}$/;
const HANDLER = /^[A-Za-z0-9_$-]+(\/[A-Za-z0-9_$-]+)*\.[A-Za-z_$][A-Za-z0-9_$]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The functions of a parsed cloudbaserc.json; throws FunctionConfigError naming the bad field. */
export function functionSpecs(cloudbaserc: unknown, projectRoot: string): FunctionSpec[] {
  const rc = record(cloudbaserc, 'cloudbaserc.json');
  const root = rc.functionRoot ?? 'cloudfunctions';
  if (typeof root !== 'string' || root === '') throw new FunctionConfigError('functionRoot must be a folder name');
  if (!Array.isArray(rc.functions)) throw new FunctionConfigError('functions must be an array');
  const seen = new Set<string>();
  return rc.functions.map((entry: unknown, index: number) => {
    const spec = functionSpec(entry, path.resolve(projectRoot, root), `functions[${index}]`);
    if (seen.has(spec.name)) throw new FunctionConfigError(`functions[${index}]: "${spec.name}" is listed twice`);
    seen.add(spec.name);
    return spec;
  });
}

function functionSpec(entry: unknown, functionRoot: string, where: string): FunctionSpec {
  const fn = record(entry, where);
  if (typeof fn.name !== 'string' || !NAME.test(fn.name)) {
    throw new FunctionConfigError(
      `${where}.name must start with a letter, then letters, digits, "-" or "_" (60 at most)`,
    );
  }
  const handler = fn.handler ?? 'index.main';
  if (typeof handler !== 'string' || !HANDLER.test(handler)) {
    throw new FunctionConfigError(`${where}.handler must look like "index.main"`);
  }
  const timeout = fn.timeout ?? DEFAULT_TIMEOUT_SECONDS;
  if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 1 || timeout > 900) {
    throw new FunctionConfigError(`${where}.timeout must be a whole number of seconds from 1 to 900`);
  }
  const memory = fn.memorySize ?? DEFAULT_MEMORY_MB;
  if (
    typeof memory !== 'number' ||
    !(memory === 64 || (Number.isInteger(memory / 128) && memory >= 128 && memory <= 3072))
  ) {
    throw new FunctionConfigError(`${where}.memorySize must be 64 or a multiple of 128 up to 3072 (MB)`);
  }
  const runtime = fn.runtime ?? DEFAULT_RUNTIME;
  if (typeof runtime !== 'string') throw new FunctionConfigError(`${where}.runtime must be a string`);
  return {
    name: fn.name,
    dir: path.join(functionRoot, fn.name),
    handler,
    runtime,
    timeoutMs: timeout * 1000,
    memoryMb: memory,
    envVariables: envVariables(fn.envVariables ?? {}, `${where}.envVariables`),
  };
}

function envVariables(value: unknown, where: string): Record<string, string> {
  const variables = record(value, where);
  const result: Record<string, string> = {};
  for (const [key, text] of Object.entries(variables)) {
    if (!ENV_NAME.test(key)) throw new FunctionConfigError(`${where}: "${key}" is not a variable name`);
    if (typeof text !== 'string') throw new FunctionConfigError(`${where}.${key} must be a string`);
    result[key] = text;
  }
  return result;
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new FunctionConfigError(`${where} must be an object`);
  }
  return value as Record<string, unknown>;
}

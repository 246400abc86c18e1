/**
 * What one call of a function answers, and the errors a client sees when it fails, shaped as the
 * platform shapes them: `errCode: <code> <text> | errMsg: <reason>` (wx.cloud.callFunction then
 * prefixes `cloud.callFunction:fail Error: `).
 */

export type LogLevel = 'log' | 'info' | 'warn' | 'error' | 'debug';

/** One line a function printed (console.* or a raw write to stdout/stderr), as the function wrote it. */
export interface LogLine {
  level: LogLevel;
  text: string;
  /** Milliseconds since the epoch, when the emulator received it. */
  time: number;
}

/**
 * - `error`: main threw or rejected (the instance stays warm);
 * - `timeout`, `memory`: a limit of cloudbaserc.json was reached, the instance was killed;
 * - `crash`: the instance died during the call (process.exit, an exception in a timer...);
 * - `load`: the function folder could not be loaded (missing module, syntax error, no handler);
 * - `busy`: too many calls waiting for an instance; `stopped`: the emulator is closing.
 */
export type FailureKind = 'error' | 'timeout' | 'memory' | 'crash' | 'load' | 'busy' | 'stopped';

export interface CallFailure {
  kind: FailureKind;
  errCode: number;
  /** The part after `errMsg:`, e.g. `Invoking task timed out after 3 seconds`. */
  reason: string;
  /** The whole platform message: `errCode: -504003  | errMsg: Invoking task timed out after 3 seconds`. */
  message: string;
}

/** What an instance answers for one call. */
export type Answer = { ok: true; result: unknown } | { ok: false; error: CallFailure };

export type InstanceAnswer = Answer & {
  /** From handing the call to the instance to its answer (no queueing, no cold start). */
  durationMs: number;
  /** What the function printed during the call (and, on a cold start, while loading). */
  logs: LogLine[];
};

export type CallOutcome = InstanceAnswer & {
  requestId: string;
  /** This call was the first of its instance, which had to start and load the function. */
  coldStart: boolean;
};

export const FUNCTIONS_EXECUTE_FAIL = -504002;
/** Seen by clients as `errCode: -504003  | errMsg: Invoking task timed out after N seconds` (no text after the code). */
export const FUNCTIONS_TIME_LIMIT_EXCEEDED = -504003;
export const EXCEED_CONCURRENT_REQUEST_LIMIT = -501004;

const CODE_TEXT: Readonly<Record<number, string>> = {
  [FUNCTIONS_EXECUTE_FAIL]: 'functions execute fail',
  [FUNCTIONS_TIME_LIMIT_EXCEEDED]: '',
  [EXCEED_CONCURRENT_REQUEST_LIMIT]: 'exceed concurrent request limit',
};

export function failure(kind: FailureKind, errCode: number, reason: string): CallFailure {
  return { kind, errCode, reason, message: `errCode: ${errCode} ${CODE_TEXT[errCode] ?? ''} | errMsg: ${reason}` };
}

/** SCF's 433 answer, e.g. `Invoking task timed out after 3 seconds`. */
export const timedOut = (timeoutMs: number): CallFailure =>
  failure('timeout', FUNCTIONS_TIME_LIMIT_EXCEEDED, `Invoking task timed out after ${timeoutMs / 1000} seconds`);

/**
 * SCF's 434 answer is `Task memory exceeded 128 MB`. Which errCode a mini program sees for it is
 * unsettled (only -504002 and -504003 are documented by sightings): -504002 is used.
 */
export const memoryExceeded = (memoryMb: number): CallFailure =>
  failure('memory', FUNCTIONS_EXECUTE_FAIL, `Task memory exceeded ${memoryMb} MB`);

/** A process that ends during a call: the platform says `<code> code exit unexpected`. */
export const exitedUnexpectedly = (code: number | null, signal: string | null): CallFailure =>
  failure(
    'crash',
    FUNCTIONS_EXECUTE_FAIL,
    code !== null ? `${code} code exit unexpected` : `${signal} signal exit unexpected`,
  );

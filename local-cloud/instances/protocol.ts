/**
 * Messages between the emulator and an instance's process (runner.js, plain JavaScript so that
 * Node runs it as is). runner.js mirrors these shapes; the emulator checks every message it
 * receives, since the function's own code runs in that process too.
 */
import type { LogLevel } from './outcome';

/** The `context` argument of `main(event, context)`, with the fields SCF passes. */
export interface PlatformContext {
  request_id: string;
  function_name: string;
  function_version: string;
  namespace: string;
  memory_limit_in_mb: number;
  time_limit_in_ms: number;
  tencentcloud_region: string;
  tencentcloud_appid: string;
  tencentcloud_uin: string;
  /** JSON of the call's variables (node-sdk reads WX_* and TCB_* from it before process.env). */
  environment: string;
  /** The same as `KEY=value;KEY=value` (the older platform's format). */
  environ: string;
}

export interface CallMessage {
  type: 'call';
  id: number;
  /** Set in process.env for this call only; the previous call's keys are removed first. */
  env: Readonly<Record<string, string>>;
  event: unknown;
  context: PlatformContext;
}

export type RunnerMessage =
  | { type: 'ready' }
  | { type: 'load-failed'; error: string }
  | { type: 'result'; id: number; json: string | null }
  | { type: 'failed'; id: number; error: string }
  | { type: 'log'; id: number | null; level: LogLevel; text: string }
  | { type: 'uncaught'; error: string }
  | { type: 'memory'; rssMb: number };

const LEVELS: readonly string[] = ['log', 'info', 'warn', 'error', 'debug'];

const isId = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);

/** The message, if it is one runner.js sends; anything else is ignored by the emulator. */
export function parseRunnerMessage(value: unknown): RunnerMessage | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'load-failed':
    case 'uncaught':
      return typeof m.error === 'string' ? { type: m.type, error: m.error } : undefined;
    case 'result':
      return isId(m.id) && (typeof m.json === 'string' || m.json === null)
        ? { type: 'result', id: m.id, json: m.json }
        : undefined;
    case 'failed':
      return isId(m.id) && typeof m.error === 'string' ? { type: 'failed', id: m.id, error: m.error } : undefined;
    case 'log':
      return (isId(m.id) || m.id === null) &&
        typeof m.level === 'string' &&
        LEVELS.includes(m.level) &&
        typeof m.text === 'string'
        ? { type: 'log', id: m.id, level: m.level as LogLevel, text: m.text }
        : undefined;
    case 'memory':
      return typeof m.rssMb === 'number' ? { type: 'memory', rssMb: m.rssMb } : undefined;
    default:
      return undefined;
  }
}

/**
 * Fault injection: rules that make chosen platform operations fail with a given platform error,
 * or wait first, so a developer can watch a function handle the failure end to end.
 *
 * A rule matches an operation when every criterion it sets equals the operation's: `action`
 * (`database.getDocument`, `storage.batchDeleteFile`, `wx.openApi`, …), `collection` (a
 * database action's `collectionName`), `apiName` (a `wx.openApi` call's API, e.g.
 * `security.msgSecCheck`) and `function`: for `functions.invokeFunction` the
 * function being called, for every other action the function making the call. Each rule counts
 * the operations it matches; the `nth` (1-based) and the `times - 1` after it are hit.
 */
import { PlatformError } from './action';

export interface FaultSubject {
  action: string;
  collection?: string;
  apiName?: string;
  function?: string;
}

export type FaultEffect = { error: { code: string; message: string } } | { delayMs: number };

export type FaultSpec = Partial<FaultSubject> & { nth: number; times: number } & FaultEffect;

/** A rule as listed: its spec, its id, the operations it matched so far and how many it hit. */
export type FaultRule = FaultSpec & { id: number; matched: number; hit: number };

/** What to do to one operation: wait `delayMs` (0: not at all), then fail with `error` if set. */
export interface FaultDecision {
  delayMs: number;
  error: PlatformError | null;
}

export const MAX_DELAY_MS = 10 * 60 * 1000;
const MAX_RULES = 100;
const MAX_TIMES = 1_000_000;
const NAME = /^[A-Za-z0-9_.$-]{1,100}$/;
const CODE = /^[A-Za-z][A-Za-z0-9_.]{0,99}$/;

interface Entry {
  id: number;
  spec: FaultSpec;
  matched: number;
  hit: number;
}

export class FaultTable {
  private rules: Entry[] = [];
  private nextId = 1;

  /** Whether any rule is set (when none is, operations need not even be described). */
  get active(): boolean {
    return this.rules.length > 0;
  }

  add(spec: FaultSpec): FaultRule {
    if (this.rules.length >= MAX_RULES) throw new FaultSpecError(`at most ${MAX_RULES} faults at once; clear some`);
    const entry: Entry = { id: this.nextId++, spec, matched: 0, hit: 0 };
    this.rules.push(entry);
    return view(entry);
  }

  list(): FaultRule[] {
    return this.rules.map(view);
  }

  /** Removes one rule (true if it existed), or all of them. */
  clear(id?: number): boolean {
    const before = this.rules.length;
    this.rules = id === undefined ? [] : this.rules.filter((entry) => entry.id !== id);
    return this.rules.length < before;
  }

  /** Counts the operation against every rule; the delays of the rules hit add up, the first error wins. */
  decide(subject: FaultSubject): FaultDecision {
    const decision: FaultDecision = { delayMs: 0, error: null };
    for (const entry of this.rules) {
      const { spec } = entry;
      if (spec.action !== undefined && spec.action !== subject.action) continue;
      if (spec.collection !== undefined && spec.collection !== subject.collection) continue;
      if (spec.apiName !== undefined && spec.apiName !== subject.apiName) continue;
      if (spec.function !== undefined && spec.function !== subject.function) continue;
      entry.matched += 1;
      if (entry.matched < spec.nth || entry.matched >= spec.nth + spec.times) continue;
      entry.hit += 1;
      if ('delayMs' in spec) decision.delayMs += spec.delayMs;
      else decision.error ??= new PlatformError(spec.error.code, spec.error.message);
    }
    decision.delayMs = Math.min(decision.delayMs, MAX_DELAY_MS);
    return decision;
  }
}

export class FaultSpecError extends Error {
  override name = 'FaultSpecError';
}

/** A fault as sent to the admin route, checked; throws a FaultSpecError saying what is wrong. */
export function parseFaultSpec(value: unknown): FaultSpec {
  if (!isObject(value)) throw new FaultSpecError('fault must be an object');
  const known = ['action', 'collection', 'apiName', 'function', 'nth', 'times', 'error', 'delayMs'];
  const unknown = Object.keys(value).find((key) => !known.includes(key));
  if (unknown !== undefined) throw new FaultSpecError(`unknown fault field "${unknown.slice(0, 50)}"`);
  const subject: Partial<FaultSubject> = {};
  for (const key of ['action', 'collection', 'apiName', 'function'] as const) {
    const name = value[key];
    if (name === undefined) continue;
    if (typeof name !== 'string' || !NAME.test(name)) throw new FaultSpecError(`fault.${key} must be a name`);
    subject[key] = name;
  }
  const nth = value.nth ?? 1;
  const times = value.times ?? 1;
  if (!isCount(nth, MAX_TIMES)) throw new FaultSpecError('fault.nth must be an integer from 1');
  if (!isCount(times, MAX_TIMES)) throw new FaultSpecError(`fault.times must be an integer from 1 to ${MAX_TIMES}`);
  const { error, delayMs } = value;
  if ((error === undefined) === (delayMs === undefined)) {
    throw new FaultSpecError('a fault has either error: { code, message } or delayMs');
  }
  if (delayMs !== undefined) {
    if (!isCount(delayMs, MAX_DELAY_MS)) throw new FaultSpecError(`fault.delayMs must be 1 to ${MAX_DELAY_MS}`);
    return { ...subject, nth, times, delayMs };
  }
  if (!isObject(error) || typeof error.code !== 'string' || !CODE.test(error.code)) {
    throw new FaultSpecError('fault.error.code must be a platform error code such as DATABASE_REQUEST_FAILED');
  }
  const message = error.message ?? `fault injected by the emulator (${error.code})`;
  if (typeof message !== 'string' || message.length > 1000) {
    throw new FaultSpecError('fault.error.message must be a string of at most 1000 characters');
  }
  return { ...subject, nth, times, error: { code: error.code, message } };
}

function view(entry: Entry): FaultRule {
  return { id: entry.id, ...entry.spec, matched: entry.matched, hit: entry.hit };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const isCount = (value: unknown, max: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= max;

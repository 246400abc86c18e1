/**
 * The instances of one function: warm ones are reused (the most recently used first, so the others
 * can go idle and retire), a call finding none busy-free starts one until `maxInstances`, then
 * waits for the next free one. A new generation (the source changed) serves every call that
 * arrives after it; calls already running finish on the old instances, which then stop.
 */
import type { ExitCause, Instance, InstanceCall, StopCause } from './child-instance';
import { LoadError } from './child-instance';
import {
  EXCEED_CONCURRENT_REQUEST_LIMIT,
  failure,
  FUNCTIONS_EXECUTE_FAIL,
  type CallFailure,
  type CallOutcome,
  type LogLine,
} from './outcome';

export interface PoolLimits {
  maxInstances: number;
  /** An instance unused for this long is stopped. */
  idleTimeoutMs: number;
  /** Calls waiting for an instance beyond this are refused (EXCEED_CONCURRENT_REQUEST_LIMIT). */
  maxQueued: number;
}

/** Starts an instance of the given generation; rejects with LoadError when the function cannot load. */
export type StartInstance = (
  generation: number,
  exited: (instance: Instance, cause: ExitCause, detail: string) => void,
) => Promise<Instance>;

/** What happens to a function's instances, for the console and the terminal. Nothing personal. */
export type PoolEvent =
  | { type: 'cold-start'; function: string; instance: string; ms: number }
  | { type: 'load-failed'; function: string; reason: string }
  | {
      type: 'call';
      function: string;
      requestId: string;
      ok: boolean;
      kind?: string;
      durationMs: number;
      coldStart: boolean;
    }
  | { type: 'instance-exit'; function: string; instance: string; cause: ExitCause; detail: string }
  | { type: 'replaced'; function: string; generation: number };

export interface PoolStats {
  function: string;
  generation: number;
  /** Running instances (starting ones included). */
  instances: number;
  starting: number;
  busy: number;
  idle: number;
  queued: number;
  coldStarts: number;
  calls: number;
  failures: number;
  lastColdStartMs: number | undefined;
  /** Durations of the last calls, oldest first. */
  lastDurationsMs: number[];
}

const KEPT_DURATIONS = 20;

type Waiter = (got: Instance | Refusal) => void;
interface Refusal {
  refused: CallFailure;
  logs: LogLine[];
}

export class FunctionPool {
  private generation = 0;
  /** Most recently used last. */
  private readonly idle: Instance[] = [];
  private readonly idleTimers = new Map<Instance, NodeJS.Timeout>();
  private readonly busy = new Set<Instance>();
  private readonly known = new Set<Instance>();
  private readonly unused = new WeakSet<Instance>();
  private readonly startingCalls = new Set<Promise<unknown>>();
  private readonly waiters: Waiter[] = [];
  private closed = false;
  private coldStarts = 0;
  private calls = 0;
  private failures = 0;
  private lastColdStartMs: number | undefined;
  private readonly durations: number[] = [];

  constructor(
    readonly name: string,
    private readonly start: StartInstance,
    private readonly limits: PoolLimits,
    private readonly emit: (event: PoolEvent) => void,
  ) {}

  async call(call: InstanceCall): Promise<CallOutcome> {
    const got = await this.acquire();
    if (!isInstance(got)) {
      this.failures += 1;
      const coldStart = got.refused.kind === 'load';
      return { ok: false, error: got.refused, requestId: call.requestId, durationMs: 0, coldStart, logs: got.logs };
    }
    const coldStart = this.unused.has(got);
    this.unused.delete(got);
    this.calls += 1;
    const answer = await got.call(call);
    if (!answer.ok) this.failures += 1;
    this.durations.push(answer.durationMs);
    if (this.durations.length > KEPT_DURATIONS) this.durations.shift();
    this.emit({
      type: 'call',
      function: this.name,
      requestId: call.requestId,
      ok: answer.ok,
      kind: answer.ok ? undefined : answer.error.kind,
      durationMs: answer.durationMs,
      coldStart,
    });
    this.release(got);
    return { ...answer, requestId: call.requestId, coldStart };
  }

  /** New calls go to new instances (the source changed); idle old ones stop now, busy ones after their call. */
  replace(): void {
    this.generation += 1;
    this.stopIdle('replaced');
    this.emit({ type: 'replaced', function: this.name, generation: this.generation });
  }

  stats(): PoolStats {
    return {
      function: this.name,
      generation: this.generation,
      instances: this.busy.size + this.idle.length + this.startingCalls.size,
      starting: this.startingCalls.size,
      busy: this.busy.size,
      idle: this.idle.length,
      queued: this.waiters.length,
      coldStarts: this.coldStarts,
      calls: this.calls,
      failures: this.failures,
      lastColdStartMs: this.lastColdStartMs,
      lastDurationsMs: [...this.durations],
    };
  }

  /** Stops every instance (running calls answer `stopped`) and refuses waiting and later calls. */
  async close(): Promise<void> {
    this.closed = true;
    this.generation += 1;
    for (const waiter of this.waiters.splice(0))
      waiter(refusal(failure('stopped', FUNCTIONS_EXECUTE_FAIL, 'the emulator is stopping')));
    await Promise.allSettled([...this.startingCalls]);
    this.stopIdle('closed');
    const ending = [...this.known].map((instance) => instance.ended);
    for (const instance of this.busy) instance.stop('closed');
    await Promise.all(ending);
  }

  private acquire(): Promise<Instance | Refusal> {
    if (this.closed)
      return Promise.resolve(refusal(failure('stopped', FUNCTIONS_EXECUTE_FAIL, 'the emulator is stopping')));
    const warm = this.takeIdle();
    if (warm) {
      this.busy.add(warm);
      return Promise.resolve(warm);
    }
    if (this.waiters.length >= this.limits.maxQueued) {
      const reason = `too many calls of ${this.name} waiting for an instance (${this.limits.maxQueued})`;
      return Promise.resolve(refusal(failure('busy', EXCEED_CONCURRENT_REQUEST_LIMIT, reason)));
    }
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.grow();
    });
  }

  private takeIdle(): Instance | undefined {
    for (let instance = this.idle.pop(); instance; instance = this.idle.pop()) {
      clearTimeout(this.idleTimers.get(instance));
      this.idleTimers.delete(instance);
      if (instance.alive && instance.generation === this.generation) return instance;
      if (instance.alive) instance.stop('replaced');
    }
    return undefined;
  }

  /** Starts instances for the calls that no starting instance will serve, up to the cap. */
  private grow(): void {
    const size = () => this.busy.size + this.idle.length + this.startingCalls.size;
    while (!this.closed && this.waiters.length > this.startingCalls.size && size() < this.limits.maxInstances) {
      this.spawn();
    }
  }

  private spawn(): void {
    const generation = this.generation;
    const starting = this.start(generation, (instance, cause, detail) => this.exited(instance, cause, detail)).then(
      (instance) => {
        this.startingCalls.delete(starting);
        this.known.add(instance);
        this.unused.add(instance);
        this.coldStarts += 1;
        this.lastColdStartMs = instance.startMs;
        this.emit({ type: 'cold-start', function: this.name, instance: instance.id, ms: instance.startMs });
        this.release(instance);
      },
      (error: unknown) => {
        this.startingCalls.delete(starting);
        const reason =
          error instanceof LoadError ? error.failure : failure('load', FUNCTIONS_EXECUTE_FAIL, String(error));
        this.emit({ type: 'load-failed', function: this.name, reason: reason.reason });
        // A load of an outdated source fails nobody: the next generation gets its own try.
        if (generation === this.generation)
          this.waiters.shift()?.(refusal(reason, error instanceof LoadError ? error.logs : []));
        this.grow();
      },
    );
    this.startingCalls.add(starting);
  }

  /** An instance is free (started, or done with a call): to a waiter, to the idle list, or stopped. */
  private release(instance: Instance): void {
    this.busy.delete(instance);
    if (this.closed || !instance.alive || instance.generation !== this.generation) {
      if (instance.alive) instance.stop(this.closed ? 'closed' : 'replaced');
      this.grow();
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter) {
      this.busy.add(instance);
      waiter(instance);
      return;
    }
    this.idle.push(instance);
    const timer = setTimeout(() => {
      const index = this.idle.indexOf(instance);
      if (index < 0) return;
      this.idle.splice(index, 1);
      this.idleTimers.delete(instance);
      instance.stop('idle');
    }, this.limits.idleTimeoutMs);
    timer.unref();
    this.idleTimers.set(instance, timer);
  }

  private stopIdle(cause: StopCause): void {
    for (const instance of this.idle.splice(0)) {
      clearTimeout(this.idleTimers.get(instance));
      this.idleTimers.delete(instance);
      instance.stop(cause);
    }
  }

  private exited(instance: Instance, cause: ExitCause, detail: string): void {
    if (!this.known.delete(instance)) return;
    const index = this.idle.indexOf(instance);
    if (index >= 0) {
      this.idle.splice(index, 1);
      clearTimeout(this.idleTimers.get(instance));
      this.idleTimers.delete(instance);
    }
    this.emit({ type: 'instance-exit', function: this.name, instance: instance.id, cause, detail });
  }
}

const isInstance = (got: Instance | Refusal): got is Instance => !('refused' in got);

const refusal = (refused: CallFailure, logs: LogLine[] = []): Refusal => ({ refused, logs });

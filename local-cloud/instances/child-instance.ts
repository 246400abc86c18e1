/**
 * One instance of a function: a child process running runner.cjs (a process per instance, as SCF
 * runs a container per instance: own memory, own process.env, cwd in the function folder, and a
 * crash, exit or endless loop ends only that process). One call at a time; the call's timeout
 * and the function's memory limit are enforced here, and end the process.
 */
import { fork, type ChildProcess } from 'child_process';
import { existsSync } from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { ROOT } from '../config';
import {
  exitedUnexpectedly,
  failure,
  FUNCTIONS_EXECUTE_FAIL,
  memoryExceeded,
  timedOut,
  type Answer,
  type CallFailure,
  type InstanceAnswer,
  type LogLevel,
  type LogLine,
} from './outcome';
import { parseRunnerMessage, type CallMessage, type PlatformContext, type RunnerMessage } from './protocol';

export const RUNNER = path.join(ROOT, 'local-cloud', 'instances', 'runner.cjs');

/** Why an instance ended: asked to (idle, replaced, closed) or on its own (limits, crash). */
export type StopCause = 'idle' | 'replaced' | 'closed';
export type ExitCause = StopCause | 'timeout' | 'memory' | 'crash' | 'load';

export interface InstanceCall {
  requestId: string;
  env: Readonly<Record<string, string>>;
  event: unknown;
  context: PlatformContext;
}

/** What the pool needs of an instance (tests give it fakes). */
export interface Instance {
  readonly id: string;
  readonly generation: number;
  /** Milliseconds from starting the process to the function being loaded. */
  readonly startMs: number;
  readonly alive: boolean;
  /** One call at a time. Never rejects: failures are answers. */
  call(call: InstanceCall): Promise<InstanceAnswer>;
  stop(cause: StopCause): void;
  /** Settles once the instance has ended. */
  readonly ended: Promise<void>;
}

export interface ChildInstanceSettings {
  id: string;
  generation: number;
  dir: string;
  handler: string;
  memoryMb: number;
  timeoutMs: number;
  /** Loading the function (module top level) may take this long. */
  initTimeoutMs: number;
  maxResultBytes: number;
  maxLogLinesPerCall: number;
  env: Readonly<Record<string, string>>;
  runner?: string;
}

export interface InstanceHooks {
  /** Every line the function prints; requestId is unset outside a call. */
  onLog(line: LogLine, requestId: string | undefined): void;
  onExit(instance: Instance, cause: ExitCause, detail: string): void;
}

/** The function could not be loaded: the call that needed the instance answers `failure`. */
export class LoadError extends Error {
  override readonly name = 'LoadError';
  constructor(
    readonly failure: CallFailure,
    readonly logs: LogLine[],
  ) {
    super(failure.reason);
  }
}

interface RunningCall {
  id: number;
  requestId: string;
  started: number;
  timer: NodeJS.Timeout;
  logs: LogLine[];
  resolve(answer: InstanceAnswer): void;
}

const OOM = /JavaScript heap out of memory|Reached heap limit/;

export class ChildInstance implements Instance {
  readonly id: string;
  readonly generation: number;
  startMs = 0;
  readonly ended: Promise<void>;
  private running = true;
  private loaded = false;
  private hasExited = false;
  private current: RunningCall | undefined;
  private nextCallId = 0;
  /** Lines printed while loading: the first call shows them, as the platform's first log does. */
  private initLogs: LogLine[] = [];
  private cause: ExitCause | undefined;
  private detail = '';
  private stderrTail = '';
  private readonly partial = { log: '', error: '' };
  private markEnded!: () => void;

  private constructor(
    private readonly settings: ChildInstanceSettings,
    private readonly hooks: InstanceHooks,
    private readonly child: ChildProcess,
  ) {
    this.id = settings.id;
    this.generation = settings.generation;
    this.ended = new Promise((resolve) => (this.markEnded = resolve));
  }

  get alive(): boolean {
    return this.running;
  }

  /** Starts the process and loads the function; rejects with LoadError if it cannot. */
  static start(settings: ChildInstanceSettings, hooks: InstanceHooks): Promise<ChildInstance> {
    if (!existsSync(settings.dir)) {
      const reason = `the function folder ${settings.dir} does not exist (npm run build writes it)`;
      return Promise.reject(new LoadError(failure('load', FUNCTIONS_EXECUTE_FAIL, reason), []));
    }
    const started = performance.now();
    const child = fork(
      settings.runner ?? RUNNER,
      [settings.dir, settings.handler, String(settings.memoryMb), String(settings.maxResultBytes)],
      {
        cwd: settings.dir,
        env: settings.env,
        // Not the emulator's flags (--inspect would clash): only the function's heap limit.
        execArgv: [`--max-old-space-size=${settings.memoryMb}`],
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      },
    );
    const instance = new ChildInstance(settings, hooks, child);
    return instance.load(started);
  }

  private load(started: number): Promise<ChildInstance> {
    const { child, settings } = this;
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.output('log', chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.output('error', chunk));
    return new Promise((resolve, reject) => {
      let loading = true;
      const fail = (reason: string) => {
        if (!loading) return;
        loading = false;
        clearTimeout(timer);
        this.kill('load', reason);
        reject(new LoadError(failure('load', FUNCTIONS_EXECUTE_FAIL, reason), this.takeInitLogs()));
      };
      const timer = setTimeout(
        () => fail(`the function did not finish loading within ${settings.initTimeoutMs / 1000} seconds`),
        settings.initTimeoutMs,
      );
      child.on('error', (error) => {
        const reason = `the instance could not start: ${error.message}`;
        fail(reason);
        // A process that never started sends no 'exit'.
        if (child.pid === undefined) this.exited(failure('load', FUNCTIONS_EXECUTE_FAIL, reason));
      });
      child.on('message', (raw: unknown) => {
        const message = parseRunnerMessage(raw);
        if (!message) return;
        if (loading && message.type === 'ready') {
          loading = false;
          clearTimeout(timer);
          this.loaded = true;
          this.startMs = performance.now() - started;
          resolve(this);
        } else if (loading && message.type === 'load-failed') fail(message.error);
        else this.receive(message);
      });
      child.once('exit', (code, signal) => {
        this.running = false;
        let finished = false;
        const finish = () => {
          if (finished) return;
          finished = true;
          this.flushOutput();
          const crash = OOM.test(this.stderrTail)
            ? memoryExceeded(settings.memoryMb)
            : exitedUnexpectedly(code, signal);
          fail(crash.reason);
          this.exited(crash);
        };
        // stderr (where V8 reports running out of heap) may still be arriving.
        child.once('close', finish);
        setTimeout(finish, 200).unref();
      });
    });
  }

  call(call: InstanceCall): Promise<InstanceAnswer> {
    if (this.current) throw new Error(`instance ${this.id} is already running a call`);
    return new Promise((resolve) => {
      if (!this.running) {
        const error = failure('crash', FUNCTIONS_EXECUTE_FAIL, 'the instance has ended');
        resolve({ ok: false, error, durationMs: 0, logs: [] });
        return;
      }
      const id = ++this.nextCallId;
      const { timeoutMs } = this.settings;
      this.current = {
        id,
        requestId: call.requestId,
        started: performance.now(),
        timer: setTimeout(() => {
          this.finish({ ok: false, error: timedOut(timeoutMs) });
          this.kill('timeout', `call ran longer than ${timeoutMs} ms`);
        }, timeoutMs),
        logs: this.takeInitLogs(),
        resolve,
      };
      const message: CallMessage = { type: 'call', id, env: call.env, event: call.event, context: call.context };
      this.child.send(message, (error) => {
        if (error) this.finish({ ok: false, error: exitedUnexpectedly(null, 'SIGKILL') });
      });
    });
  }

  stop(cause: StopCause): void {
    if (this.current)
      this.finish({
        ok: false,
        error: failure('stopped', FUNCTIONS_EXECUTE_FAIL, 'the emulator stopped the instance'),
      });
    this.kill(cause, '');
  }

  private receive(message: RunnerMessage): void {
    const current = this.current;
    switch (message.type) {
      case 'result':
        if (current?.id === message.id) this.finish(parseResult(message.json));
        return;
      case 'failed':
        if (current?.id === message.id)
          this.finish({ ok: false, error: failure('error', FUNCTIONS_EXECUTE_FAIL, message.error) });
        return;
      case 'log':
        this.log(message.level, message.text, message.id !== null && current?.id === message.id);
        return;
      case 'uncaught':
        this.finish({ ok: false, error: failure('crash', FUNCTIONS_EXECUTE_FAIL, message.error) });
        this.kill('crash', message.error);
        return;
      case 'memory':
        this.finish({ ok: false, error: memoryExceeded(this.settings.memoryMb) });
        this.kill('memory', `resident memory ${message.rssMb} MB`);
        return;
      default:
        return;
    }
  }

  private finish(answer: Answer): void {
    const current = this.current;
    if (!current) return;
    this.current = undefined;
    clearTimeout(current.timer);
    current.resolve({ ...answer, durationMs: performance.now() - current.started, logs: current.logs });
  }

  private log(level: LogLevel, text: string, inCall: boolean): void {
    const line: LogLine = { level, text, time: Date.now() };
    const current = inCall ? this.current : undefined;
    if (current) {
      if (current.logs.length < this.settings.maxLogLinesPerCall) current.logs.push(line);
    } else if (!this.loaded && this.initLogs.length < this.settings.maxLogLinesPerCall) {
      this.initLogs.push(line);
    }
    this.hooks.onLog(line, current?.requestId);
  }

  /** Raw writes to stdout/stderr (not console.*), attributed to the running call if any. */
  private output(stream: 'log' | 'error', chunk: string): void {
    if (stream === 'error') this.stderrTail = (this.stderrTail + chunk).slice(-4096);
    const lines = (this.partial[stream] + chunk).split('\n');
    this.partial[stream] = lines.pop() ?? '';
    for (const text of lines) this.log(stream, text, this.current !== undefined);
  }

  private flushOutput(): void {
    for (const stream of ['log', 'error'] as const) {
      if (this.partial[stream] !== '') this.log(stream, this.partial[stream], this.current !== undefined);
      this.partial[stream] = '';
    }
  }

  private takeInitLogs(): LogLine[] {
    const logs = this.initLogs;
    this.initLogs = [];
    return logs;
  }

  private kill(cause: ExitCause, detail: string): void {
    if (this.cause === undefined) {
      this.cause = cause;
      this.detail = detail;
    }
    this.running = false;
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  /** The process has ended: answer a call still running, tell the pool. */
  private exited(crash: CallFailure): void {
    if (this.hasExited) return;
    this.hasExited = true;
    this.running = false;
    this.finish({ ok: false, error: crash });
    if (this.cause === undefined) {
      this.cause = crash.kind === 'memory' ? 'memory' : 'crash';
      this.detail = crash.reason;
    }
    this.hooks.onExit(this, this.cause, this.detail);
    this.markEnded();
  }
}

/** runner.cjs sends JSON.stringify's output; anything else (the function writing into the channel) is an error. */
function parseResult(json: string | null): Answer {
  if (json === null) return { ok: true, result: undefined };
  try {
    return { ok: true, result: JSON.parse(json) as unknown };
  } catch {
    return {
      ok: false,
      error: failure('error', FUNCTIONS_EXECUTE_FAIL, 'the function answered something that is not JSON'),
    };
  }
}

/**
 * The emulator's function instances: every function of cloudbaserc.json run from its deployable
 * folder in isolated processes, as the platform runs it (one call at a time per instance, a pool
 * per function up to a cap, its limits enforced, its environment set per call), replaced when
 * its code changes.
 */
import { randomBytes, randomUUID } from 'crypto';
import { promises as fsp, statSync } from 'fs';
import * as path from 'path';
import { callEnv, instanceEnv, platformContext, type CallerIdentity, type PlatformSettings } from './call-environment';
import { ChildInstance, type ExitCause, type Instance } from './child-instance';
import type { FunctionSpec } from './function-spec';
import type { CallOutcome, LogLine } from './outcome';
import { FunctionPool, type PoolEvent, type PoolStats } from './pool';
import { SourceWatcher } from './source-watcher';

export interface FunctionInstancesOptions {
  functions: readonly FunctionSpec[];
  /** The emulator's platform API (TCB_CONTEXT_CNFG's URL), e.g. `http://127.0.0.1:3000/admin`. */
  apiUrl: string;
  envId: string;
  /** Per-run random credentials: the SDK signs with them, the emulator may check them. */
  secretId: string;
  secretKey: string;
  sessionToken?: string;
  region?: string;
  tencentAppId?: string;
  uin?: string;
  /** Instances per function at most (default 4). */
  maxInstances?: number;
  /** An instance unused this long stops (default 5 minutes). */
  idleTimeoutMs?: number;
  /** Loading a function may take this long (default 60 s). */
  initTimeoutMs?: number;
  /** Calls waiting for an instance, per function, beyond which calls are refused (default 1000). */
  maxQueuedCalls?: number;
  /** Largest answer of a function (the platform's 6 MB). */
  maxResultBytes?: number;
  maxLogLinesPerCall?: number;
  /** Replace instances when a function folder changes (default true). */
  watch?: boolean;
  /** Quiet time after the last change before instances are replaced (default 150 ms). */
  debounceMs?: number;
  /**
   * Called before a call runs with its WX_API_TOKEN (random, one per call): the platform API
   * maps the token in the SDK's requests back to the caller.
   */
  onCallStart?(token: string, call: CallStart): void;
  /** Called once the call has answered: the token may be forgotten. */
  onCallEnd?(token: string): void;
  /** Test hook: the program of an instance. */
  runner?: string;
}

export interface CallStart {
  functionName: string;
  requestId: string;
  identity: CallerIdentity;
}

/** Everything that happens to instances, and every line a function prints. Nothing the emulator adds is personal. */
export type InstancesEvent =
  PoolEvent | { type: 'log'; function: string; requestId: string | undefined; line: LogLine };

export class UnknownFunctionError extends Error {
  override readonly name = 'UnknownFunctionError';
  constructor(readonly functionName: string) {
    // The platform's words for a function that is not deployed.
    super(`FunctionName parameter could not be found. (${functionName})`);
  }
}

interface Served {
  spec: FunctionSpec;
  pool: FunctionPool;
  watcher: SourceWatcher | undefined;
  /** mtime and size of the entry file, checked on calls while the folder is not watched. */
  stamp: string;
}

const DEFAULTS = {
  region: 'ap-shanghai',
  tencentAppId: '1300000000',
  uin: '100000000001',
  maxInstances: 4,
  idleTimeoutMs: 5 * 60 * 1000,
  initTimeoutMs: 60 * 1000,
  maxQueuedCalls: 1000,
  maxResultBytes: 6 * 1024 * 1024,
  maxLogLinesPerCall: 1000,
  debounceMs: 150,
};

export class FunctionInstances {
  private readonly served = new Map<string, Served>();
  private readonly listeners = new Set<(event: InstancesEvent) => void>();
  private readonly platform: PlatformSettings;
  private readonly settings: Settings;
  private instanceCount = 0;
  private callCount = 0;
  private closed = false;

  constructor(options: FunctionInstancesOptions) {
    checkApiUrl(options.apiUrl);
    this.settings = withDefaults(options);
    const { apiUrl, envId, secretId, secretKey, sessionToken, region, tencentAppId, uin } = this.settings;
    this.platform = { apiUrl, envId, secretId, secretKey, sessionToken, region, tencentAppId, uin };
    this.setFunctions(options.functions);
  }

  /** Runs `name` for one call; throws UnknownFunctionError for a function cloudbaserc.json does not list. */
  async invoke(name: string, event: unknown, identity: CallerIdentity = {}): Promise<CallOutcome> {
    const served = this.served.get(name);
    if (!served || this.closed) throw new UnknownFunctionError(name);
    await this.checkSource(served);
    const requestId = randomUUID();
    const token = randomBytes(24).toString('base64url');
    this.callCount += 1;
    const seqId = `${Date.now()}_${Math.random()}_${this.callCount}`;
    const env = callEnv(identity, token, this.platform.envId, seqId);
    const context = platformContext(served.spec, this.platform, requestId, env);
    this.settings.onCallStart?.(token, { functionName: name, requestId, identity });
    try {
      return await served.pool.call({ requestId, env, event, context });
    } finally {
      this.settings.onCallEnd?.(token);
    }
  }

  /** Instances, cold starts, calls and last durations, per function. */
  stats(): PoolStats[] {
    return [...this.served.values()].map(({ pool }) => pool.stats());
  }

  /** Subscribes to instance events and function output; answers the unsubscribe. */
  on(listener: (event: InstancesEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** New calls of `name` (or of every function) go to new instances, e.g. after a rebuild. */
  reload(name?: string): void {
    for (const served of this.served.values())
      if (name === undefined || served.spec.name === name) served.pool.replace();
  }

  /**
   * Serves exactly `specs` (cloudbaserc.json changed): new functions are added, removed ones
   * stopped, changed ones (limits, variables, folder) replaced.
   */
  setFunctions(specs: readonly FunctionSpec[]): void {
    const wanted = new Map(specs.map((spec) => [spec.name, spec]));
    for (const [name, served] of this.served) {
      const spec = wanted.get(name);
      if (spec && JSON.stringify(spec) === JSON.stringify(served.spec)) continue;
      this.retire(served);
      this.served.delete(name);
    }
    for (const spec of specs) if (!this.served.has(spec.name)) this.served.set(spec.name, this.serve(spec));
  }

  /** Stops every instance and watcher; calls still running answer `stopped`. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.served.values()].map((served) => this.retire(served)));
  }

  private serve(spec: FunctionSpec): Served {
    const pool = new FunctionPool(
      spec.name,
      (generation, exited) => this.startInstance(spec, generation, exited),
      {
        maxInstances: this.settings.maxInstances,
        idleTimeoutMs: this.settings.idleTimeoutMs,
        maxQueued: this.settings.maxQueuedCalls,
      },
      (event) => this.emit(event),
    );
    const served: Served = { spec, pool, watcher: undefined, stamp: entryStamp(spec) };
    if (this.settings.watch !== false) served.watcher = this.watch(served);
    return served;
  }

  private watch(served: Served): SourceWatcher {
    return new SourceWatcher(served.spec.dir, () => served.pool.replace(), this.settings.debounceMs);
  }

  /** While the folder is not watched (it was missing, or removed by a rebuild), its entry file is checked. */
  private async checkSource(served: Served): Promise<void> {
    if (!served.watcher || served.watcher.watching) return;
    const stamp = await entryStampAsync(served.spec);
    if (stamp === served.stamp) return;
    served.stamp = stamp;
    served.pool.replace();
    if (stamp !== MISSING && !this.closed) served.watcher = this.watch(served);
  }

  private retire(served: Served): Promise<void> {
    served.watcher?.close();
    return served.pool.close();
  }

  private startInstance(
    spec: FunctionSpec,
    generation: number,
    exited: (instance: Instance, cause: ExitCause, detail: string) => void,
  ): Promise<Instance> {
    this.instanceCount += 1;
    return ChildInstance.start(
      {
        id: `${spec.name}-${this.instanceCount}`,
        generation,
        dir: spec.dir,
        handler: spec.handler,
        memoryMb: spec.memoryMb,
        timeoutMs: spec.timeoutMs,
        initTimeoutMs: this.settings.initTimeoutMs,
        maxResultBytes: this.settings.maxResultBytes,
        maxLogLinesPerCall: this.settings.maxLogLinesPerCall,
        env: instanceEnv(spec, this.platform, process.env),
        runner: this.settings.runner,
      },
      {
        onLog: (line, requestId) => this.emit({ type: 'log', function: spec.name, requestId, line }),
        onExit: exited,
      },
    );
  }

  private emit(event: InstancesEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

const MISSING = 'missing';

const entryFile = (spec: FunctionSpec): string =>
  path.join(spec.dir, `${spec.handler.slice(0, spec.handler.lastIndexOf('.'))}.js`);

function entryStamp(spec: FunctionSpec): string {
  try {
    const stat = statSync(entryFile(spec));
    return `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return MISSING;
  }
}

async function entryStampAsync(spec: FunctionSpec): Promise<string> {
  try {
    const stat = await fsp.stat(entryFile(spec));
    return `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return MISSING;
  }
}

/** The SDK appends `?env=…` to the URL as is: a URL that already has a query breaks every request. */
function checkApiUrl(apiUrl: string): void {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new TypeError(`apiUrl is not a URL: ${apiUrl}`);
  }
  if (!/^https?:$/.test(url.protocol) || url.search !== '' || apiUrl.includes('?') || url.hash !== '') {
    throw new TypeError(`apiUrl must be an http(s) URL without a query or fragment: ${apiUrl}`);
  }
}

type Settings = FunctionInstancesOptions & typeof DEFAULTS;

function withDefaults(options: FunctionInstancesOptions): Settings {
  const settings: Settings = { ...DEFAULTS, ...options };
  for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
    const value = options[key];
    if (value === undefined) Object.assign(settings, { [key]: DEFAULTS[key] });
    else if (typeof value === 'number' && !(value > 0)) throw new TypeError(`${key} must be a positive number`);
  }
  return settings;
}

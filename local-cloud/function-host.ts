/**
 * The functions the emulator serves: every function of cloudbaserc.json, run from its deployable
 * folder by FunctionInstances, with the bookkeeping that ties the two entrances to them together:
 * - the gateway (`POST /functions/<name>`, the mini program's calls) invokes them for a caller;
 * - the platform API (`functions.invokeFunction`, a function's `cloud.callFunction`) invokes them
 *   for the caller of the calling function, found from the WX_API_TOKEN its SDK sends.
 * Each call gets a fresh token; the platform API maps it back to the function and user while the
 * call runs (`identityOf`), which is how openapi permissions and identity propagation work.
 */
import { randomBytes } from 'crypto';
import { readFileSync } from 'fs';
import * as path from 'path';
import { PlatformError } from './api/action';
import type { CallerIdentity as TokenIdentity } from './api/caller-identity';
import { FUNCTIONS_EXECUTE_FAIL } from './api/errors';
import { functionNotFound, type FunctionsBackend, type InvokeCall } from './api/functions-actions';
import type { LocalCloudConfig } from './config';
import type { CallerIdentity } from './instances/call-environment';
import {
  FunctionInstances,
  UnknownFunctionError,
  type CallStart,
  type InstancesEvent,
} from './instances/function-instances';
import { functionSpecs, type FunctionSpec } from './instances/function-spec';
import type { CallOutcome } from './instances/outcome';
import type { LogSink } from './log';

/** The function entries of `config.cloudbaserc`, each in `config.functionsRoot` when that is set. */
export function loadFunctionSpecs(config: Pick<LocalCloudConfig, 'cloudbaserc' | 'functionsRoot'>): FunctionSpec[] {
  let rc: unknown;
  try {
    rc = JSON.parse(readFileSync(config.cloudbaserc, 'utf8'));
  } catch (error) {
    throw new Error(`${config.cloudbaserc}: cannot read the function list (${(error as Error).message})`, {
      cause: error,
    });
  }
  const specs = functionSpecs(rc, path.dirname(config.cloudbaserc));
  const root = config.functionsRoot;
  return root === undefined ? specs : specs.map((spec) => ({ ...spec, dir: path.join(root, spec.name) }));
}

export interface FunctionHostOptions {
  config: LocalCloudConfig;
  /** The functions served at first (loadFunctionSpecs). */
  specs: FunctionSpec[];
  /** The platform API the instances' SDK calls (`http://127.0.0.1:3000/tcb/api`). */
  apiUrl: string;
  secretId: string;
  log: LogSink;
  /** Told of every call as it starts and once it has answered (the console's 请求 screen). */
  calls?: CallObserver;
}

export interface CallObserver {
  started(call: CallStart): void;
  ended(outcome: CallOutcome): void;
}

export class FunctionHost {
  private specs: FunctionSpec[];
  private readonly instances: FunctionInstances;
  private readonly running = new Map<string, TokenIdentity>();

  constructor(private readonly options: FunctionHostOptions) {
    this.specs = options.specs;
    this.instances = new FunctionInstances({
      functions: this.specs,
      apiUrl: options.apiUrl,
      envId: options.config.envId,
      secretId: options.secretId,
      secretKey: randomBytes(24).toString('base64url'),
      watch: options.config.watchFunctions,
      onCallStart: (token, call) => {
        const { openid, unionid, appid } = call.identity;
        this.running.set(token, { functionName: call.functionName, openid, unionid, appid, requestId: call.requestId });
        options.calls?.started(call);
      },
      onCallEnd: (token) => this.running.delete(token),
    });
    this.instances.on((event) => logInstancesEvent(options.log, event));
  }

  /** The names served, in cloudbaserc.json order. */
  names(): string[] {
    return this.specs.map((spec) => spec.name);
  }

  has(name: string): boolean {
    return this.specs.some((spec) => spec.name === name);
  }

  /** Runs `name` for one call; throws UnknownFunctionError for a function not served. */
  async invoke(name: string, event: unknown, identity: CallerIdentity): Promise<CallOutcome> {
    const outcome = await this.instances.invoke(name, event, identity);
    this.options.calls?.ended(outcome);
    return outcome;
  }

  /** The function and user behind a call's WX_API_TOKEN, while that call runs. */
  readonly identityOf = (token: string): TokenIdentity | null => this.running.get(token) ?? null;

  /** `functions.invokeFunction` of the platform API: the callee runs for the caller's user. */
  readonly backend: FunctionsBackend = {
    has: (name) => this.has(name),
    invoke: async (name: string, data: unknown, call: InvokeCall) => {
      const caller = call.caller;
      const identity: CallerIdentity = {
        openid: caller?.openid,
        unionid: caller?.unionid,
        appid: caller?.appid,
        // The SDK's X-TCB-Source (`wx_client,scf`): the chained SOURCE the platform documents.
        source: call.source || 'scf',
      };
      let outcome: CallOutcome;
      try {
        outcome = await this.invoke(name, data, identity);
      } catch (error) {
        if (error instanceof UnknownFunctionError) throw functionNotFound();
        throw error;
      }
      if (!outcome.ok) throw new PlatformError(FUNCTIONS_EXECUTE_FAIL, outcome.error.message);
      return outcome.result;
    },
  };

  /** Reads cloudbaserc.json again: added functions are served, removed ones stopped, changed ones replaced. */
  reloadSpecs(): void {
    this.specs = loadFunctionSpecs(this.options.config);
    this.instances.setFunctions(this.specs);
  }

  /** New calls of every function go to new instances (after a rebuild). */
  replaceInstances(): void {
    this.instances.reload();
  }

  /** Instances, cold starts and calls, per function. */
  stats() {
    return this.instances.stats();
  }

  /** Subscribes to instance events and function output. */
  on(listener: (event: InstancesEvent) => void): () => void {
    return this.instances.on(listener);
  }

  close(): Promise<void> {
    return this.instances.close();
  }
}

/**
 * What happens to the instances, in the emulator's log. Function output goes there as printed
 * (what a function logs is its own business, as in the platform's console); the emulator's own
 * records carry names, causes and timings only.
 */
function logInstancesEvent(log: LogSink, event: InstancesEvent): void {
  switch (event.type) {
    case 'log':
      log(event.line.level === 'error' || event.line.level === 'warn' ? event.line.level : 'log', {
        event: 'function-log',
        fn: event.function,
        text: event.line.text,
      });
      return;
    case 'cold-start':
      log('info', { event: 'cold-start', fn: event.function, instance: event.instance, ms: Math.round(event.ms) });
      return;
    case 'load-failed':
      log('error', { event: 'function-load-failed', fn: event.function, reason: event.reason });
      return;
    case 'instance-exit':
      if (event.cause === 'crash' || event.cause === 'memory' || event.cause === 'timeout') {
        log('warn', { event: 'instance-ended', fn: event.function, instance: event.instance, cause: event.cause });
      }
      return;
    case 'replaced':
      log('info', { event: 'instances-replaced', fn: event.function, generation: event.generation });
      return;
    default:
      return;
  }
}

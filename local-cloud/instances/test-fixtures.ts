/** Function folders for the instance tests: small plain-JavaScript functions in temp folders. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { FunctionSpec } from './function-spec';
import { FunctionInstances, type FunctionInstancesOptions, type InstancesEvent } from './function-instances';

const made: string[] = [];

/** A function folder holding `files` (index.js at least), under `parent` (default: the OS temp folder). */
export function functionFolder(files: Readonly<Record<string, string>>, parent = os.tmpdir()): string {
  fs.mkdirSync(parent, { recursive: true });
  const dir = fs.mkdtempSync(path.join(parent, 'fn-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

export function removeFolders(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export function spec(name: string, dir: string, overrides: Partial<FunctionSpec> = {}): FunctionSpec {
  return {
    name,
    dir,
    handler: 'index.main',
    runtime: 'Nodejs18.15',
    timeoutMs: 10_000,
    memoryMb: 256,
    envVariables: {},
    ...overrides,
  };
}

export const PLATFORM = {
  apiUrl: 'http://127.0.0.1:9/admin',
  envId: 'test-env-1a2b',
  secretId: 'AKIDtest',
  secretKey: 'test-secret-key',
};

export function instances(
  functions: FunctionSpec[],
  options: Partial<FunctionInstancesOptions> = {},
): { instances: FunctionInstances; events: InstancesEvent[] } {
  const created = new FunctionInstances({ ...PLATFORM, watch: false, ...options, functions });
  const events: InstancesEvent[] = [];
  created.on((event) => events.push(event));
  return { instances: created, events };
}

/** Resolves with the first event matching `test` (already seen ones included). */
export function nextEvent(
  target: FunctionInstances,
  test: (event: InstancesEvent) => boolean,
  seen: readonly InstancesEvent[] = [],
): Promise<InstancesEvent> {
  const found = seen.find(test);
  if (found) return Promise.resolve(found);
  return new Promise((resolve) => {
    const off = target.on((event) => {
      if (!test(event)) return;
      off();
      resolve(event);
    });
  });
}

/**
 * Prints what function instances cost on this machine: cold start (process start and loading the
 * function), the emulator's own overhead per call (a function that answers at once), and calls per
 * second over several instances. Run:
 *   npx esbuild local-cloud/instances/bench-instances.ts --bundle --platform=node \
 *     --outfile=.local-cloud/build/bench-instances.js && node .local-cloud/build/bench-instances.js
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { ROOT } from '../config';
import { FunctionInstances, type InstancesEvent } from './function-instances';
import type { FunctionSpec } from './function-spec';

const echoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-fn-'));
fs.writeFileSync(path.join(echoDir, 'index.js'), 'exports.main = async (event) => ({ n: event.n });');

const spec = (name: string, dir: string): FunctionSpec => ({
  name,
  dir,
  handler: 'index.main',
  runtime: 'Nodejs18.15',
  timeoutMs: 10_000,
  memoryMb: 256,
  envVariables: {},
});

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const ms = (value: number): string => `${value.toFixed(3)} ms`;

async function coldStarts(fns: FunctionInstances, name: string, runs: number): Promise<number[]> {
  const times: number[] = [];
  const off = fns.on((event: InstancesEvent) => {
    if (event.type === 'cold-start' && event.function === name) times.push(event.ms);
  });
  for (let i = 0; i < runs; i += 1) {
    fns.reload(name);
    const outcome = await fns.invoke(name, { n: i }, { openid: 'oBench', appid: 'wxbench' });
    if (!outcome.coldStart) throw new Error('expected a cold start');
  }
  off();
  return times;
}

async function main(): Promise<void> {
  const login = path.join(ROOT, 'cloudfunctions', 'login');
  const functions = [spec('echo', echoDir)];
  if (fs.existsSync(path.join(login, 'index.js'))) functions.push(spec('login', login));
  const fns = new FunctionInstances({
    functions,
    apiUrl: 'http://127.0.0.1:9/admin',
    envId: 'bench-env',
    secretId: 'AKIDbench',
    secretKey: 'bench-key',
    watch: false,
    maxInstances: 4,
  });
  try {
    for (const { name } of functions) {
      const times = await coldStarts(fns, name, 9);
      console.log(`cold start ${name}: median ${ms(percentile(times, 50))}, max ${ms(Math.max(...times))}`);
    }

    const rounds: number[] = [];
    for (let i = 0; i < 3000; i += 1) {
      const started = performance.now();
      await fns.invoke('echo', { n: i }, { openid: 'oBench', appid: 'wxbench' });
      rounds.push(performance.now() - started);
    }
    const warm = rounds.slice(500);
    console.log(
      `per call, one caller (emulator + IPC, function answers at once): p50 ${ms(percentile(warm, 50))}, p99 ${ms(percentile(warm, 99))}`,
    );

    const total = 20_000;
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < total) {
          next += 1;
          await fns.invoke('echo', { n: next }, { openid: 'oBench', appid: 'wxbench' });
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const stats = fns.stats().find((s) => s.function === 'echo');
    console.log(
      `throughput, 8 callers over ${stats?.instances} instances: ${Math.round(total / seconds)} calls/s; emulator RSS ${Math.round(process.memoryUsage().rss / 1024 / 1024)} MB`,
    );
  } finally {
    await fns.close();
    fs.rmSync(echoDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

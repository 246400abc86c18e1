/**
 * A real crash: a child process writes under load (adds and updates from many concurrent
 * writers, compactions every few milliseconds), prints each write once it is answered, and is
 * killed with SIGKILL. Every answered write must be there when the folder is opened again; then
 * the next run writes on top of what the crash left, and is killed in turn.
 */
import { spawn } from 'child_process';
import * as esbuild from 'esbuild';
import { mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NedbDatabase } from './nedb-database';

let dir: string;
let bundle: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'journal-crash-'));
  bundle = path.join(dir, 'writer.js');
  await esbuild.build({
    entryPoints: [path.join(__dirname, 'journal-crash-writer.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: bundle,
    logLevel: 'error',
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the writer until it has answered `answers` writes, kills it, and answers what it printed. */
function runAndKill(dataDir: string, run: number, answers: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, dataDir, String(run)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (output.split('\n').length > answers) child.kill('SIGKILL');
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      if (signal !== 'SIGKILL') {
        reject(new Error(`writer stopped by itself (${signal}): ${errors}`));
        return;
      }
      const lines = output.split('\n');
      lines.pop(); // empty, or a line the kill cut short
      resolve(lines);
    });
  });
}

it('keeps every write answered before a SIGKILL, run after run', async () => {
  const dataDir = path.join(dir, 'data');
  const expected = new Map<string, number>();
  for (let run = 0; run < 4; run += 1) {
    for (const line of await runAndKill(dataDir, run, 1500 + run * 700)) {
      const [what, id] = line.split(' ');
      expected.set(id, what === 'updated' ? 2 : (expected.get(id) ?? 1));
    }
    const db = await NedbDatabase.open(dataDir, { compactionIntervalMs: 0, clock: Date.now });
    const found = new Map<string, number>();
    for (let skip = 0; ; skip += 1000) {
      const page = (await db.api(false).collection('items').skip(skip).limit(1000).get()).data;
      for (const doc of page) found.set(doc._id as string, doc.v as number);
      if (page.length < 1000) break;
    }
    expect(found.size).toBeGreaterThanOrEqual(expected.size);
    const missing = [...expected].filter(([id, v]) => (found.get(id) ?? 0) < v);
    expect(missing).toEqual([]);
    await db.close();
  }
}, 60_000);

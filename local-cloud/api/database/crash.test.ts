/**
 * A real crash: a child process writes through the database actions under load (inserts,
 * updates, transactions from many concurrent writers), prints each write once answered, and is
 * killed with SIGKILL. Every answered write must be there when the folder is opened again; the
 * next run writes on top of what the crash left, and is killed in turn.
 */
import { spawn } from 'child_process';
import * as esbuild from 'esbuild';
import { mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { decodeDocument } from '../../engine/codec';
import { Database } from '../../engine/database';

const ROOT = path.resolve(__dirname, '../../..');
let dir: string;
let bundle: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'emu-db-crash-'));
  bundle = path.join(dir, 'writer.js');
  await esbuild.build({
    entryPoints: [path.join(__dirname, 'testing/crash-writer.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: bundle,
    external: ['classic-level'],
    logLevel: 'error',
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the writer until it has answered `answers` writes, kills it, and answers what it printed. */
function runAndKill(dataDir: string, run: number, answers: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, dataDir, String(run)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
    });
    let output = '';
    let errors = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (output.split('\n').length > answers) child.kill('SIGKILL');
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`writer stopped by itself (${signal}): ${errors}`));
      const lines = output.split('\n');
      lines.pop(); // empty, or a line the kill cut short
      resolve(lines);
    });
  });
}

it('keeps every write answered before a SIGKILL, run after run', async () => {
  const dataDir = path.join(dir, 'data');
  const items = new Map<string, number>();
  const counters = new Map<string, number>();
  for (let run = 0; run < 3; run += 1) {
    for (const line of await runAndKill(dataDir, run, 2000 + run * 500)) {
      const [what, id, n] = line.split(' ');
      if (what === 'counter') counters.set(id, Number(n));
      else items.set(id, what === 'updated' ? 2 : (items.get(id) ?? 1));
    }
    const db = await Database.open(dataDir);
    const found = new Map<string, number>();
    for await (const entries of db.store.scan('items')) {
      for (const [, text] of entries) {
        const doc = decodeDocument(text);
        found.set(doc._id as string, doc.v as number);
      }
    }
    expect([...items].filter(([id, v]) => (found.get(id) ?? 0) < v)).toEqual([]);
    expect(db.store.count('items')).toBe(found.size);
    for (const [id, n] of counters) {
      const text = await db.store.get(db.store.docKey('counters', id));
      expect(decodeDocument(text!).n).toBeGreaterThanOrEqual(n);
    }
    await db.close();
  }
}, 60_000);

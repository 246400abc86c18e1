/**
 * The emulator killed with SIGKILL while functions write (new users' first logins, then their
 * returning logins, from many clients at once): every write the gateway answered is in the
 * database when the data folder is opened again; the next run writes on top of what the kill
 * left, and is killed in turn.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as esbuild from 'esbuild';
import { rmSync } from 'fs';
import * as path from 'path';
import { ROOT } from '../config';
import { storedDocuments, tempDataDir } from './harness';
import { functionsProject } from './testing/functions-project';

const CLIENTS = 8;
let bundle: string;
let dataDir: string;
beforeAll(async () => {
  dataDir = tempDataDir();
  // Inside the project (its git-ignored build folder), so that the emulator finds the project's files.
  bundle = path.join(ROOT, '.local-cloud', 'build', `e2e-emulator-${process.pid}.js`);
  await esbuild.build({
    entryPoints: [path.join(__dirname, 'testing', 'emulator-process.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: bundle,
    external: ['classic-level'],
    logLevel: 'error',
  });
});
afterAll(() => {
  rmSync(bundle, { force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

function startEmulator(): Promise<{ child: ChildProcess; url: string }> {
  const { cloudbaserc, functionsRoot } = functionsProject();
  const child = spawn(process.execPath, [bundle, dataDir, cloudbaserc, functionsRoot], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const match = /listening (\S+)/.exec(output);
      if (match) resolve({ child, url: match[1] });
    });
    child.once('exit', (code) => reject(new Error(`the emulator exited (${code}) before serving: ${errors}`)));
  });
}

async function login(url: string, openid: string): Promise<{ isNewUser: boolean } | null> {
  try {
    const response = await fetch(`${url}/functions/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: {}, caller: { openid } }),
    });
    const body = (await response.json()) as { ok?: boolean; data?: { isNewUser: boolean } };
    return response.status === 200 && body.ok === true && body.data ? body.data : null;
  } catch {
    return null;
  }
}

/** Logs users in from CLIENTS clients until `answered` logins were answered, then kills the emulator. */
async function runAndKill(run: number, answered: number): Promise<Map<string, number>> {
  const { child, url } = await startEmulator();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const acknowledged = new Map<string, number>();
  let count = 0;
  let killed = false;
  const client = async (c: number) => {
    for (let i = 0; !killed; i += 1) {
      const openid = `oKill${run}c${c}u${i}`;
      for (let round = 1; round <= 2 && !killed; round += 1) {
        const answer = await login(url, openid);
        if (!answer || killed) return;
        acknowledged.set(openid, round);
        count += 1;
        if (count >= answered) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
  await exited;
  return acknowledged;
}

it('keeps every login the gateway answered before a SIGKILL, run after run', async () => {
  const expected = new Map<string, number>();
  for (let run = 0; run < 2; run += 1) {
    for (const [openid, logins] of await runAndKill(run, 120 + run * 40)) expected.set(openid, logins);
    const stored = new Map((await storedDocuments(dataDir, 'users')).map((doc) => [doc._id, doc.loginCount]));
    const lost = [...expected].filter(([openid, logins]) => !((stored.get(openid) as number) >= logins));
    expect(lost).toEqual([]);
    expect(stored.size).toBeGreaterThanOrEqual(expected.size);
  }
});

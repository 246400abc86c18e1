/**
 * `npm run emulator:exec` and `npm start -- --export-on-exit`, as processes: the command gets the
 * emulator's URL and its exit code goes through; an emulator that cannot start fails the run
 * without running the command; a SIGTERM (or exec's stop) writes a complete export.
 */
import { spawn } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '..');
const EXEC = path.join(ROOT, 'scripts', 'emulator-exec.mjs');
const START = path.join(ROOT, 'scripts', 'start.mjs');

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'emulator-exec-test-'));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

function run(file: string, args: string[]): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = spawn(process.execPath, [file, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** A command (portable: `node <file>`) that calls login at LOCAL_CLOUD_URL, records what it saw, and exits with `code`. */
function probe(code: number, openid = 'oProbe000000000000000000000001'): { command: string; seen: string } {
  const seen = path.join(scratch, 'seen.json');
  const script = path.join(scratch, 'probe.mjs');
  writeFileSync(
    script,
    `import { writeFileSync } from 'node:fs';
const url = process.env.LOCAL_CLOUD_URL;
const health = await (await fetch(url + '/health')).json();
const login = await (await fetch(url + '/functions/login', {
  method: 'POST', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ data: {}, caller: { openid: ${JSON.stringify(openid)} } }),
})).json();
writeFileSync(${JSON.stringify(seen)}, JSON.stringify({ url, health, login }));
process.exit(${code});
`,
  );
  return { command: `node "${script}"`, seen };
}

it('runs the command against a fresh emulator, passing its URL and the exit code (3, then 0)', async () => {
  const failing = probe(3);
  const first = await run(EXEC, [failing.command]);
  expect(first.code).toBe(3);
  const seen = JSON.parse(readFileSync(failing.seen, 'utf8')) as { url: string; health: unknown; login: unknown };
  expect(seen.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(seen.health).toMatchObject({ ok: true, functions: expect.arrayContaining(['login']) });
  expect(seen.login).toMatchObject({ ok: true, data: { isNewUser: true } });
  // Stopped: nothing answers at the URL any more.
  await expect(fetch(`${seen.url}/health`)).rejects.toThrow();

  const passing = probe(0);
  const second = await run(EXEC, [passing.command]);
  expect(second.code).toBe(0);
  // A fresh data folder each run: the same user is new again.
  expect(JSON.parse(readFileSync(passing.seen, 'utf8'))).toMatchObject({ login: { data: { isNewUser: true } } });
});

it('fails with a clear message, without running the command, when the emulator cannot start', async () => {
  const { command, seen } = probe(0);
  const result = await run(EXEC, [command, '--import', path.join(scratch, 'no-such-export')]);
  expect(result.code).not.toBe(0);
  expect(result.stderr).toMatch(/the emulator failed to start/);
  expect(result.stderr).toMatch(/no-such-export does not exist/);
  expect(existsSync(seen)).toBe(false);
});

it('starts from a seed and writes an export when it stops (--seed, --export-on-exit)', async () => {
  const openid = 'oSeedPhoneUser00000000000000';
  const { command, seen } = probe(0, openid);
  const out = path.join(scratch, 'out');
  const result = await run(EXEC, [command, '--seed', 'phone-bound', '--export-on-exit', out]);
  expect(result.code).toBe(0);
  expect(JSON.parse(readFileSync(seen, 'utf8'))).toMatchObject({
    login: { ok: true, data: { isNewUser: false, maskedPhone: '138****0000', profile: { nickName: '小红' } } },
  });
  const users = readFileSync(path.join(out, 'database', 'users.json'), 'utf8')
    .trim()
    .split('\n');
  expect(users).toHaveLength(1);
  expect(JSON.parse(users[0])).toMatchObject({ _id: openid, loginCount: 6 });
  const avatar = path.join(out, 'storage', 'avatars', openid, '1704096060000.png');
  expect(readFileSync(avatar).equals(readFileSync(path.join(ROOT, 'docs', 'sample-avatar.png')))).toBe(true);
});

it('npm start -- --export-on-exit: SIGTERM writes a complete export before exiting', async () => {
  const out = path.join(scratch, 'out');
  const child = spawn(
    process.execPath,
    [
      START,
      '--port',
      '0',
      '--data-dir',
      path.join(scratch, 'data'),
      '--seed',
      'getuserprofile-user',
      '--export-on-exit',
      out,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Local cloud listening on (\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
  });
  const login = await fetch(`${url}/functions/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ data: {}, caller: { openid: 'oNewcomer00000000000000000001' } }),
  });
  expect(login.status).toBe(200);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as {
    collections: Array<{ name: string; count: number }>;
  };
  expect(manifest.collections).toContainEqual(expect.objectContaining({ name: 'users', count: 2 }));
  const ids = readFileSync(path.join(out, 'database', 'users.json'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { _id: string })._id)
    .sort();
  expect(ids).toEqual(['oNewcomer00000000000000000001', 'oSeedProfileUser000000000000']);
  // Written in place by a rename: no temp folder left beside it.
  expect(readdirSync(scratch).filter((name) => name.startsWith('out.'))).toEqual([]);
});

/**
 * The emulator's web console (console/, Vue 3 + Element Plus) built with Vite into
 * .local-cloud/console/, which the emulator serves at /console/. `npm run build` builds it;
 * `npm start` builds it when the output is missing or older than a source (as it does the
 * emulator's own bundle). Run directly (`node scripts/lib/console-build.mjs [--if-outdated]`)
 * for the tests.
 */
import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CONSOLE_SOURCE = path.join(ROOT, 'console');
export const CONSOLE_DIST = path.join(ROOT, '.local-cloud', 'console');
const INDEX = path.join(CONSOLE_DIST, 'index.html');
const INPUTS = [CONSOLE_SOURCE, path.join(ROOT, 'package-lock.json'), fileURLToPath(import.meta.url)];

async function newest(file) {
  const stat = await fsp.stat(file).catch(() => null);
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const entry of await fsp.readdir(file)) latest = Math.max(latest, await newest(path.join(file, entry)));
  return latest;
}

/** Whether the built console is missing or older than one of its sources. */
export async function consoleOutdated() {
  if (!existsSync(INDEX)) return true;
  const built = (await fsp.stat(INDEX)).mtimeMs;
  for (const input of INPUTS) if ((await newest(input)) > built) return true;
  return false;
}

/** Builds the console (unless `ifOutdated` and it is up to date); answers whether it built. */
export async function buildConsole({ ifOutdated = false, quiet = false } = {}) {
  if (ifOutdated && !(await consoleOutdated())) return false;
  const started = Date.now();
  const { build } = await import('vite');
  await build({ configFile: path.join(CONSOLE_SOURCE, 'vite.config.mts'), logLevel: quiet ? 'error' : 'warn' });
  if (!quiet)
    process.stdout.write(
      `Built the console into ${path.relative(ROOT, CONSOLE_DIST)}/ in ${Date.now() - started} ms\n`,
    );
  return true;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  buildConsole({ ifOutdated: process.argv.includes('--if-outdated') }).catch((error) => {
    process.stderr.write(`The console build failed: ${error.message}\n`);
    process.exit(1);
  });
}

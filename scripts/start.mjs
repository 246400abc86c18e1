#!/usr/bin/env node
/**
 * `npm start`: bundles the emulator (local-cloud/main.ts) when one of its sources is newer than
 * the bundle, then runs it in this process. The emulator builds the functions' deployable
 * folders itself when needed, and rebuilds them on every source change (see
 * local-cloud/function-builds.ts). Flags go through: `npm start -- --reset`.
 */
import * as esbuild from 'esbuild';
import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildConsole } from './lib/console-build.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BUNDLE = path.join(ROOT, '.local-cloud', 'build', 'local-cloud.js');
const SOURCES = ['local-cloud', 'emulation', 'miniprogram/shared'];
const INPUTS = ['package-lock.json', 'scripts/start.mjs'];

async function newestSource() {
  let newest = 0;
  const visit = async (file) => {
    const stat = await fsp.stat(file).catch(() => null);
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const entry of await fsp.readdir(file)) await visit(path.join(file, entry));
    } else if (/\.(ts|json|mjs|cjs|proto)$/.test(file) && !file.endsWith('.test.ts')) {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const item of [...SOURCES, ...INPUTS]) await visit(path.join(ROOT, item));
  return newest;
}

/** Builds the bundle if it is missing or older than a source; answers its path. */
export async function buildLocalCloud({ force = false, quiet = false } = {}) {
  const built = existsSync(BUNDLE) ? (await fsp.stat(BUNDLE)).mtimeMs : 0;
  if (!force && built > (await newestSource())) return BUNDLE;
  const started = Date.now();
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ['local-cloud/main.ts'],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    sourcemap: true,
    // A native addon: loaded from node_modules at run time.
    external: ['classic-level'],
    logLevel: 'warning',
  });
  if (!quiet) process.stdout.write(`Built ${path.relative(ROOT, BUNDLE)} in ${Date.now() - started} ms\n`);
  return BUNDLE;
}

async function main() {
  const bundle = await buildLocalCloud();
  await esbuild.stop();
  await buildConsole({ ifOutdated: true });
  process.setSourceMapsEnabled(true);
  await import(pathToFileURL(bundle).href);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error) => {
    process.stderr.write(`npm start failed: ${error.message}\n`);
    process.exit(1);
  });
}

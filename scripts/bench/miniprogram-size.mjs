/**
 * The mini program's package size: what DevTools would upload from miniprogram/ (tests, the test
 * harness, tsconfig files and type declarations left out, as packOptions.ignore says).
 * DevTools compiles the TypeScript itself and minifies the JavaScript on upload
 * (setting.minified), so each .ts file is counted as esbuild's minified CommonJS output for it;
 * every other file is counted as is (WXML/WXSS minification would only shrink them).
 * The unminified TypeScript output is printed too.
 *
 *   node scripts/bench/miniprogram-size.mjs
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../../miniprogram/', import.meta.url));
const TARGET_KB = 60;

/** Mirrors packOptions.ignore in project.config.json. */
function isPackaged(path) {
  const rel = relative(ROOT, path).split(sep).join('/');
  return !(
    rel.endsWith('.test.ts') ||
    rel.endsWith('.d.ts') ||
    rel.startsWith('testing/') ||
    rel === 'tsconfig.json' ||
    rel === 'tsconfig.test.json'
  );
}

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

function emittedSize(source, file) {
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS },
    fileName: file,
  });
  return Buffer.byteLength(outputText);
}

function minifiedSize(source) {
  const { code } = transformSync(source, { loader: 'ts', format: 'cjs', target: 'es2015', minify: true });
  return Buffer.byteLength(code);
}

const files = walk(ROOT).filter(isPackaged);
let packageBytes = 0;
let unminifiedBytes = 0;
for (const file of files) {
  if (!file.endsWith('.ts')) {
    const size = statSync(file).size;
    packageBytes += size;
    unminifiedBytes += size;
    continue;
  }
  const source = readFileSync(file, 'utf8');
  packageBytes += minifiedSize(source);
  unminifiedBytes += emittedSize(source, file);
}

const kb = (bytes) => (bytes / 1024).toFixed(1);
console.log(`miniprogram package: ${kb(packageBytes)} KB (target < ${TARGET_KB} KB)`);
console.log(`miniprogram package unminified: ${kb(unminifiedBytes)} KB in ${files.length} files`);
if (packageBytes > TARGET_KB * 1024) {
  console.error(`miniprogram package is over the ${TARGET_KB} KB target`);
  process.exitCode = 1;
}

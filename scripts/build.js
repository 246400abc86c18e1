#!/usr/bin/env node
/**
 * `npm run build`: TypeScript sources → deployable JavaScript, one folder per function of
 * cloudbaserc.json, written beside the folder's committed package.json and config.json:
 *   cloudfunctions/<name>/index.js         the function (exports main), our code only
 *   cloudfunctions/<name>/wx-server-sdk.js wx-server-sdk bundled with esbuild, rarely used parts lazy
 * Each generated file starts with a header naming its source; git ignores them. Everything is
 * checked and compiled before the first file of cloudfunctions/ changes (lib/function-folders.js
 * says what the build may touch). A listed function without cloud/functions/<name>.ts is plain
 * JavaScript and is left as it is. No .ts file lands in cloudfunctions/ (a folder with index.ts
 * beside index.js has been reported to break deployment).
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const esbuild = require('esbuild');
const { lazyModulesPlugin, splitPackagesPlugin, splitFileName } = require('./lib/lazy-modules-plugin');
const { ROOT, functionNames, functionSource, functionRoot } = require('./lib/project');
const { planFunctionFolders, applyPlan, generatedHeader } = require('./lib/function-folders');

const TARGET = 'node18';
const SDK_FILE = 'wx-server-sdk.js';

/** Points every `wx-server-sdk` import of our code at `specifier`, left to runtime. */
const sdkImportPlugin = (specifier) => ({
  name: 'wx-server-sdk-import',
  setup(build) {
    build.onResolve({ filter: /^wx-server-sdk$/ }, () => ({ path: specifier, external: true }));
  },
});

const bundleOptions = {
  absWorkingDir: ROOT,
  nodePaths: [path.join(ROOT, 'node_modules')],
  bundle: true,
  platform: 'node',
  target: TARGET,
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  logLevel: 'silent',
};

/** Bundles `module.exports = require(<specifier>)` resolved from `resolveDir` into `outfile`. */
function bundleModule(specifier, resolveDir, outfile, plugins) {
  return esbuild.build({
    ...bundleOptions,
    stdin: { contents: `module.exports = require(${JSON.stringify(specifier)});`, resolveDir, loader: 'js' },
    outfile,
    plugins,
  });
}

/** The SDK bundle and its lazily loaded package files, written into `dir`; answers the file names. */
async function buildSdkBundle(dir) {
  const base = path.basename(SDK_FILE, '.js');
  const found = new Map();
  await bundleModule('wx-server-sdk', ROOT, path.join(dir, SDK_FILE), [
    lazyModulesPlugin,
    splitPackagesPlugin(base, found),
  ]);
  const files = [SDK_FILE];
  for (const [pkg, resolveDir] of found) {
    const file = splitFileName(base, pkg);
    await bundleModule(pkg, resolveDir, path.join(dir, file), []);
    files.push(file);
  }
  return files;
}

/** The function's own code as one file; `sdkSpecifier` is what it requires as wx-server-sdk. */
function buildFunctionCode(name, outfile, sdkSpecifier = `./${SDK_FILE}`) {
  return esbuild.build({
    entryPoints: [functionSource(name)],
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    target: TARGET,
    format: 'cjs',
    outfile,
    banner: { js: generatedHeader(name) },
    plugins: [sdkImportPlugin(sdkSpecifier)],
    logLevel: 'error',
  });
}

/** Copies the staged SDK files into `dir`, each behind the header of function `name`. */
function writeSdkFiles(name, dir, sdkDir, sdkFiles) {
  for (const file of sdkFiles) {
    const code = fs.readFileSync(path.join(sdkDir, file), 'utf8');
    fs.writeFileSync(path.join(dir, file), `${generatedHeader(name)}\n${code}`);
  }
}

/**
 * Builds every function of cloudbaserc.json (or `names`) into `outRoot`: checks the folders,
 * compiles into a staging folder, then removes stale output and writes the new one. Answers the
 * folders written; `warn` receives what the developer should know (files created, ignored code).
 */
async function buildFunctions({ outRoot = functionRoot(), names = functionNames(), warn = console.warn } = {}) {
  const plan = planFunctionFolders(outRoot, names);
  for (const warning of plan.warnings) warn(warning);
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudfunctions-build-'));
  try {
    const sdkFiles = plan.built.length > 0 ? await buildSdkBundle(stage) : [];
    for (const name of plan.built) await buildFunctionCode(name, path.join(stage, name, 'index.js'));
    for (const notice of applyPlan(plan)) warn(notice);
    const dirs = [];
    for (const name of plan.built) {
      const dir = path.join(outRoot, name);
      fs.copyFileSync(path.join(stage, name, 'index.js'), path.join(dir, 'index.js'));
      writeSdkFiles(name, dir, stage, sdkFiles);
      dirs.push(dir);
    }
    return dirs;
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

module.exports = { buildFunctions, buildFunctionCode, SDK_FILE };

if (require.main === module) {
  buildFunctions()
    .then(async (dirs) => {
      for (const dir of dirs) console.log(`built ${path.relative(ROOT, dir)}/index.js`);
      // The emulator's web console (scripts/lib/console-build.mjs), served at /console/.
      await (await import('./lib/console-build.mjs')).buildConsole();
    })
    .catch((error) => {
      console.error(error.message);
      process.exit(1);
    });
}

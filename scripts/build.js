#!/usr/bin/env node
/**
 * `npm run build`: TypeScript sources → deployable JavaScript, one folder per function:
 *   cloudfunctions/<name>/index.js        the function (exports main), our code only
 *   cloudfunctions/<name>/wx-server-sdk.js wx-server-sdk bundled with esbuild, rarely used parts lazy
 *   cloudfunctions/<name>/package.json    no dependencies: nothing to install in the cloud
 * Only JavaScript lands in cloudfunctions/ (a folder with index.ts beside index.js has been
 * reported to break deployment).
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const esbuild = require('esbuild');
const { lazyModulesPlugin, splitPackagesPlugin, splitFileName } = require('./lib/lazy-modules-plugin');
const { ROOT, functionNames, functionSource, functionRoot } = require('./lib/project');

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
    plugins: [sdkImportPlugin(sdkSpecifier)],
    logLevel: 'error',
  });
}

async function buildFunction(name, outDir, sdkDir, sdkFiles) {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  await buildFunctionCode(name, path.join(outDir, 'index.js'));
  for (const file of sdkFiles) fs.copyFileSync(path.join(sdkDir, file), path.join(outDir, file));
  const pkg = {
    name,
    version: '1.0.0',
    private: true,
    main: 'index.js',
    description: 'Built by npm run build; do not edit.',
  };
  fs.writeFileSync(path.join(outDir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
}

/** Builds every function (or `names`) into `outRoot`; answers the folders written. */
async function buildFunctions({ outRoot = functionRoot(), names = functionNames() } = {}) {
  const sdkDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wx-server-sdk-bundle-'));
  try {
    const sdkFiles = await buildSdkBundle(sdkDir);
    const dirs = [];
    for (const name of names) {
      const dir = path.join(outRoot, name);
      await buildFunction(name, dir, sdkDir, sdkFiles);
      dirs.push(dir);
    }
    return dirs;
  } finally {
    fs.rmSync(sdkDir, { recursive: true, force: true });
  }
}

module.exports = { buildFunctions, buildFunctionCode, SDK_FILE };

if (require.main === module) {
  buildFunctions().then(
    (dirs) => {
      for (const dir of dirs) console.log(`built ${path.relative(ROOT, dir)}/index.js`);
    },
    (error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}

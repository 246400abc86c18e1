/** Bundles the in-memory wx-server-sdk double (TypeScript) into a JavaScript file for child processes. */
const path = require('path');
const esbuild = require('esbuild');
const { ROOT } = require('./project');

async function buildDoubleBundle(outfile) {
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'emulation', 'fake-wx-server-sdk.ts')],
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    outfile,
    logLevel: 'error',
  });
  return outfile;
}

module.exports = { buildDoubleBundle };

/**
 * Bundles test support written in TypeScript into JavaScript for child processes and the bench:
 * the in-memory wx-server-sdk double (with the name of the users collection), and every
 * function's scenario as a request (testing/scenario-requests.ts).
 */
const path = require('path');
const esbuild = require('esbuild');
const { ROOT } = require('./project');

const options = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  logLevel: 'error',
};

async function buildDoubleBundle(outfile) {
  await esbuild.build({
    ...options,
    stdin: {
      contents:
        "export { FakeWxServerSdk } from './testing/fake-wx-server-sdk';\n" +
        "export { USERS_COLLECTION } from './cloud/users/user-record';\n",
      resolveDir: ROOT,
      loader: 'ts',
    },
    outfile,
  });
  return outfile;
}

/** `wx-server-sdk` as the tests see it: the stand-in forwarding to the current double. */
const sdkTargetPlugin = {
  name: 'wx-server-sdk-target',
  setup(build) {
    build.onResolve({ filter: /^wx-server-sdk$/ }, () => ({ path: 'wx-server-sdk', namespace: 'sdk-target' }));
    build.onLoad({ filter: /.*/, namespace: 'sdk-target' }, () => ({
      contents: `module.exports = require(${JSON.stringify(path.join(ROOT, 'testing', 'sdk-target.ts'))}).sdkProxy;`,
      resolveDir: ROOT,
      loader: 'js',
    }));
  },
};

async function buildScenarioRequestsBundle(outfile) {
  await esbuild.build({
    ...options,
    entryPoints: [path.join(ROOT, 'testing', 'scenario-requests.ts')],
    outfile,
    plugins: [sdkTargetPlugin],
  });
  return outfile;
}

module.exports = { buildDoubleBundle, buildScenarioRequestsBundle };

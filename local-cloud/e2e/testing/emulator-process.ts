/**
 * TEST SUPPORT. The emulator as a process of its own (bundled by the test), to be killed:
 *   node <bundle> <dataDir> <cloudbaserc.json> <functionsRoot>
 * Prints `listening <url>` once it serves.
 */
import { defaultConfig } from '../../config';
import { startLocalCloud } from '../../server';

const [dataDir, cloudbaserc, functionsRoot] = process.argv.slice(2);
startLocalCloud(defaultConfig({ port: 0, dataDir, cloudbaserc, functionsRoot, watchFunctions: false }), {
  log: () => undefined,
}).then(
  (server) => process.stdout.write(`listening ${server.url}\n`),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  },
);

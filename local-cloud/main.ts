/**
 * `npm start`: the local CloudBase emulator on 127.0.0.1, data kept in .local-cloud/data across
 * restarts. The functions of cloudbaserc.json run from their deployable folders (cloudfunctions/),
 * built first when a source is newer, and rebuilt whenever a source changes while it runs.
 * Flags and variables: see USAGE in config.ts. Ctrl-C (or SIGTERM) stops it cleanly.
 */
import { promises as fsp } from 'fs';
import * as path from 'path';
import { parseCli, ROOT, USAGE, type LocalCloudConfig } from './config';
import { loadFunctionSpecs } from './function-host';
import { exportDataFolder, loadImport, seedDir } from './data-io';
import { buildScript, functionsOutdated, SourceRebuilds } from './function-builds';
import { startLocalCloud, type LocalCloudServer } from './server';

const say = (text: string) => process.stdout.write(`${text}\n`);
const complain = (text: string) => process.stderr.write(`${text}\n`);

/** Builds the function folders; reports a failure (the old folders keep serving) instead of throwing. */
async function build(reason: string): Promise<boolean> {
  const started = Date.now();
  say(`${reason}: building the functions (npm run build)...`);
  try {
    const dirs = await buildScript().buildFunctions({ warn: say });
    say(`Built ${dirs.map((dir) => path.relative(ROOT, dir)).join(', ')} in ${Date.now() - started} ms`);
    return true;
  } catch (error) {
    complain(`The build failed; the functions keep their last build.\n${(error as Error).message}`);
    return false;
  }
}

async function buildIfOutdated(config: LocalCloudConfig): Promise<void> {
  if (await functionsOutdated(loadFunctionSpecs(config))) await build('A function source is newer than its folder');
}

/** Rebuilds on every source change; the instances pick the new folders up themselves. */
function watchSources(server: LocalCloudServer): SourceRebuilds {
  const rebuilds = new SourceRebuilds(async () => {
    if (!(await build('A source changed'))) return;
    try {
      server.functions.reloadSpecs();
    } catch (error) {
      complain(`cloudbaserc.json: ${(error as Error).message}`);
    }
  });
  if (!rebuilds.watching) complain('Cannot watch the sources: after a change, run npm run build yourself.');
  return rebuilds;
}

async function run(): Promise<void> {
  let options;
  try {
    options = parseCli(process.argv.slice(2), process.env);
  } catch (error) {
    complain(`${(error as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    say(USAGE);
    return;
  }
  const { config } = options;
  if (options.reset) {
    await fsp.rm(config.dataDir, { recursive: true, force: true });
    say(`Data folder wiped: ${config.dataDir}`);
  }
  await importData(options.seed !== null ? seedDir(options.seed) : options.importFrom, config);
  await buildIfOutdated(config);
  const server = await startLocalCloud(config);
  const { imported } = server.runtime;
  if (imported) {
    const counts = Object.entries(imported.collections).map(([name, count]) => `${name} ${count}`);
    say(
      `Imported the data of the previous local cloud (nedb: ${counts.join(', ') || 'no collection'}) into the new database; ` +
        `the old files are kept in ${imported.keptIn}.`,
    );
  }
  say(
    [
      `Local cloud listening on ${server.url}`,
      `  env ${config.envId}, appid ${config.appid}`,
      `  data folder ${config.dataDir}`,
      `  functions: ${server.functions.names().join(', ')}`,
      `  platform API for the functions' wx-server-sdk: ${server.url}${server.api.apiPath}`,
      `  console: ${server.url}/console/`,
      `  fault injection: POST ${server.url}/emulator/faults`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  const rebuilds = watchSources(server);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      complain('Stopping immediately.');
      process.exit(130);
    }
    stopping = true;
    say(`\n${signal}: stopping, letting running calls finish...`);
    rebuilds.close();
    server
      .close()
      .then(() => exportOnExit(options.exportOnExit, config))
      .then(
        () => {
          say('Stopped.');
          process.exit(0);
        },
        (error: unknown) => {
          complain(`Stopped with an error: ${(error as Error).message}`);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Started by `npm run emulator:exec` (an IPC channel): its "stop" message, or its end, stops
  // the emulator as Ctrl-C does (Windows has no SIGTERM a process can handle).
  if (process.send) {
    process.on('message', (message) => message === 'stop' && stop('stop requested'));
    process.once('disconnect', () => !stopping && stop('parent gone'));
    process.send({ listening: server.url });
  }
}

/** `--import` / `--seed`: fills the (empty) data folder before the emulator opens it. */
async function importData(from: string | null, config: LocalCloudConfig): Promise<void> {
  if (from === null) return;
  const { manifest, collections, files } = await loadImport(from, config.dataDir);
  const counts = Object.entries(collections).map(([name, count]) => `${name} ${count}`);
  say(`Imported ${from}: ${counts.join(', ') || 'no collection'}; ${files} stored files.`);
  if (manifest?.scenario) say(`Scenario: ${manifest.scenario.description}`);
  if (manifest && manifest.envId !== config.envId) {
    complain(
      `The export was made in env ${manifest.envId}, this emulator runs ${config.envId}: ` +
        `fileIDs stored in documents name ${manifest.envId} (set LOCAL_CLOUD_ENV=${manifest.envId} to keep them valid).`,
    );
  }
}

/** `--export-on-exit`: written after the server stopped, from the closed data folder. */
async function exportOnExit(dir: string | null, config: LocalCloudConfig): Promise<void> {
  if (dir === null) return;
  const manifest = await exportDataFolder(config, dir);
  say(`Exported to ${dir}: ${manifest.collections.length} collections, ${manifest.storage.files} stored files.`);
}

run().catch((error: unknown) => {
  const { code, message } = error as { code?: string; message?: string };
  complain(
    code === 'EADDRINUSE' ? 'Port already in use: set PORT or --port.' : `Local cloud failed to start: ${message}`,
  );
  process.exit(1);
});

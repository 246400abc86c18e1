/**
 * `npm start`: the local cloud on 127.0.0.1, data kept in .local-cloud/data across restarts.
 * Flags and variables: see USAGE in config.ts. Ctrl-C (or SIGTERM) stops it cleanly.
 */
import { promises as fsp } from 'fs';
import { parseCli, USAGE } from './config';
import { startLocalCloud } from './server';

async function run(): Promise<void> {
  let options;
  try {
    options = parseCli(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { config } = options;
  if (options.reset) {
    await fsp.rm(config.dataDir, { recursive: true, force: true });
    process.stdout.write(`Data folder wiped: ${config.dataDir}\n`);
  }
  const server = await startLocalCloud(config);
  process.stdout.write(
    [
      `Local cloud listening on ${server.url}`,
      `  env ${config.envId}, appid ${config.appid}`,
      `  data folder ${config.dataDir}`,
      `  functions: ${Object.keys(server.runtime.functions).join(', ')}`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      process.stderr.write('Stopping immediately.\n');
      process.exit(130);
    }
    stopping = true;
    process.stdout.write(`\n${signal}: stopping, saving data...\n`);
    server.close().then(
      () => {
        process.stdout.write('Stopped.\n');
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`Stopped with an error: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

run().catch((error: unknown) => {
  const { code, message } = error as { code?: string; message?: string };
  process.stderr.write(
    code === 'EADDRINUSE' ? `Port already in use: set PORT or --port.\n` : `Local cloud failed to start: ${message}\n`,
  );
  process.exit(1);
});

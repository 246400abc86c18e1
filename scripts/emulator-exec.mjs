#!/usr/bin/env node
/**
 * `npm run emulator:exec -- "<command>" [--import DIR | --seed NAME] [--export-on-exit DIR] [--show-logs]`
 *
 * Starts the emulator (scripts/start.mjs) on a free port with a fresh temp data folder (or the
 * import / seed), waits until /health answers, runs the command through the shell with
 * LOCAL_CLOUD_URL set to the emulator's address, stops the emulator (writing the export if asked),
 * removes the temp folder and exits with the command's exit code. If the emulator cannot start,
 * the command is not run and the exit code is 1, with the emulator's output. Works on Windows:
 * no POSIX shell syntax, and the emulator is stopped through its IPC channel, not a signal.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const { fetch } = globalThis;
import { fileURLToPath } from 'node:url';

export const URL_VARIABLE = 'LOCAL_CLOUD_URL';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const START_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 60_000;
const USAGE =
  'Usage: npm run emulator:exec -- "<command>" [--import DIR | --seed NAME] [--export-on-exit DIR] [--show-logs]';

const fail = (message) => {
  process.stderr.write(`emulator:exec: ${message}\n`);
  process.exit(1);
};

function parseArgs(argv) {
  const options = { command: null, emulatorArgs: [], showLogs: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--import' || arg === '--seed' || arg === '--export-on-exit') {
      const value = argv[i + 1];
      if (value === undefined) fail(`${arg} needs a value\n${USAGE}`);
      // Relative to where the developer typed the command (npm run keeps the project folder).
      options.emulatorArgs.push(arg, arg === '--seed' ? value : path.resolve(value));
      i += 1;
    } else if (arg === '--show-logs') options.showLogs = true;
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (options.command === null) options.command = arg;
    else fail(`unexpected "${arg}": put the whole command in quotes\n${USAGE}`);
  }
  if (!options.command) fail(`no command given\n${USAGE}`);
  return options;
}

/** Keeps the last lines of the emulator's output, shown if it fails. */
function outputTail(limit = 200) {
  const lines = [];
  return {
    add(chunk) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      if (lines.length > limit) lines.splice(0, lines.length - limit);
    },
    text: () => lines.join('\n'),
  };
}

function startEmulator(dataDir, emulatorArgs, showLogs) {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'scripts', 'start.mjs'), '--port', '0', '--data-dir', dataDir, ...emulatorArgs],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: process.env },
  );
  const tail = outputTail();
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk) => {
      tail.add(chunk);
      if (showLogs) process.stderr.write(chunk);
    });
  }
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const listening = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`not serving after ${START_TIMEOUT_MS / 1000} s`)),
      START_TIMEOUT_MS,
    );
    child.on('message', (message) => {
      if (message && typeof message.listening === 'string') {
        clearTimeout(timer);
        resolve(message.listening);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`it exited (${signal ?? `code ${code}`}) before serving`));
    });
  });
  return { child, tail, exited, listening };
}

async function waitForHealth(url) {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) return;
    } catch {
      // Not answering yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url}/health does not answer`);
}

async function stopEmulator(emulator) {
  if (emulator.child.exitCode !== null || emulator.child.signalCode !== null) return emulator.exited;
  if (emulator.child.connected) emulator.child.send('stop');
  else emulator.child.kill();
  const timer = setTimeout(() => emulator.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  const result = await emulator.exited;
  clearTimeout(timer);
  return result;
}

function runCommand(command, url) {
  const child = spawn(command, {
    shell: true,
    stdio: 'inherit',
    env: { ...process.env, [URL_VARIABLE]: url },
  });
  return {
    child,
    done: new Promise((resolve) => {
      child.once('error', (error) => {
        process.stderr.write(`emulator:exec: cannot run the command: ${error.message}\n`);
        resolve(1);
      });
      child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1)));
    }),
  };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const temp = mkdtempSync(path.join(os.tmpdir(), 'emulator-exec-'));
  const emulator = startEmulator(path.join(temp, 'data'), options.emulatorArgs, options.showLogs);
  let command = null;
  // Ctrl-C reaches the command and the emulator by themselves (same console); this process stays
  // to stop the emulator and clean up. A SIGTERM sent to this process only is passed on.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => command?.child.kill('SIGTERM'));
  let exitCode;
  try {
    let url;
    try {
      url = await emulator.listening;
      await waitForHealth(url);
    } catch (error) {
      process.stderr.write(`${emulator.tail.text()}\n`);
      process.stderr.write(`emulator:exec: the emulator failed to start: ${error.message}; the command was not run.\n`);
      await stopEmulator(emulator);
      return 1;
    }
    process.stderr.write(`emulator:exec: emulator at ${url} (${URL_VARIABLE}); running: ${options.command}\n`);
    command = runCommand(options.command, url);
    exitCode = await command.done;
  } finally {
    const stopped = await stopEmulator(emulator);
    rmSync(temp, { recursive: true, force: true });
    if (exitCode !== undefined && stopped.code !== 0) {
      process.stderr.write(`${emulator.tail.text()}\n`);
      process.stderr.write(`emulator:exec: the emulator stopped with an error (${stopped.signal ?? stopped.code}).\n`);
      if (exitCode === 0) exitCode = 1;
    }
  }
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (error) => fail(error.stack ?? String(error)),
);

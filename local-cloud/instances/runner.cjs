// @ts-check
/**
 * The program of one function instance (a child process of the emulator), as an SCF container
 * runs a function: load `<dir>/<file>.js` once, then run `exports.<name>(event, context)` for one
 * call at a time, with the call's variables in process.env. Messages: see protocol.ts.
 *
 * argv: <function dir> <handler "index.main"> <memory MB> <largest answer in bytes>
 */
'use strict';
const fs = require('fs');
const path = require('path');
const Module = require('module');
const { Console } = require('console');
const { Writable } = require('stream');
const { setInterval, clearInterval } = require('timers');

const MAX_TEXT = 16 * 1024;

/** @type {(message: unknown, callback?: () => void) => void} */
let send = () => undefined;

function main() {
  const [dirArg, handlerName, memoryArg, maxResultArg] = process.argv.slice(2);
  if (typeof process.send !== 'function') throw new Error('runner.cjs runs as a child process of the emulator');
  const rawSend = process.send.bind(process);
  send = (message, callback) => {
    if (process.connected) rawSend(message, callback);
    else callback?.();
  };
  // The function sees a process like the platform's: no IPC channel to write into.
  delete process.send;
  process.on('disconnect', () => process.exit(0));
  process.on('uncaughtException', (error) => send({ type: 'uncaught', error: describe(error) }, () => process.exit(1)));

  const dir = fs.realpathSync(dirArg);
  confineModuleLookup(dir);
  captureConsole();
  watchMemory(Number(memoryArg));

  const dot = handlerName.lastIndexOf('.');
  const entry = path.join(dir, handlerName.slice(0, dot));
  const exportName = handlerName.slice(dot + 1);
  let handler;
  try {
    handler = require(entry)[exportName];
    if (typeof handler !== 'function')
      throw new Error(`${handlerName}: the module exports no function "${exportName}"`);
  } catch (error) {
    send({ type: 'load-failed', error: describe(error) }, () => process.exit(1));
    return;
  }
  serve(handler, Number(maxResultArg));
  send({ type: 'ready' });
}

/** Set while a call runs: its id tags the lines the function prints. */
let currentCall = /** @type {number | null} */ (null);

/** @param {Function} handler @param {number} maxResultBytes */
function serve(handler, maxResultBytes) {
  /** @type {string[]} */
  let previousKeys = [];
  process.on('message', async (/** @type {any} */ message) => {
    if (!message || message.type !== 'call') return;
    for (const key of previousKeys) delete process.env[key];
    Object.assign(process.env, message.env);
    previousKeys = Object.keys(message.env);
    currentCall = message.id;
    let answer;
    try {
      const result = await invoke(handler, message.event, message.context);
      const json = JSON.stringify(result);
      if (json !== undefined && Buffer.byteLength(json) > maxResultBytes) {
        throw new Error(`The size of response exceeds the upper limit (${maxResultBytes / 1024 / 1024}MB)`);
      }
      answer = { type: 'result', id: message.id, json: json === undefined ? null : json };
    } catch (error) {
      answer = { type: 'failed', id: message.id, error: describe(error) };
    }
    currentCall = null;
    send(answer);
  });
}

/**
 * main may return a value, a promise, or (declaring a third parameter and returning nothing)
 * answer through `callback(error, value)`, as SCF's Node.js runtime allows.
 * @param {Function} handler @param {unknown} event @param {unknown} context
 */
function invoke(handler, event, context) {
  return new Promise((resolve, reject) => {
    let settled = false;
    /** @param {boolean} ok @param {unknown} value */
    const settle = (ok, value) => {
      if (settled) return;
      settled = true;
      if (ok) resolve(value);
      else reject(value);
    };
    const callback = (/** @type {unknown} */ error, /** @type {unknown} */ value) =>
      error !== undefined && error !== null ? settle(false, error) : settle(true, value);
    let returned;
    try {
      returned = handler(event, context, callback);
    } catch (error) {
      settle(false, error);
      return;
    }
    if (returned !== null && typeof returned === 'object' && typeof returned.then === 'function') {
      returned.then(
        (/** @type {unknown} */ value) => settle(true, value),
        (/** @type {unknown} */ error) => settle(false, error),
      );
    } else if (returned !== undefined || handler.length < 3) {
      settle(true, returned);
    }
  });
}

/**
 * The platform puts the error's stack on one line into errMsg
 * (`Error: boom at exports.main (/var/user/index.js:3:9)`).
 * @param {unknown} error
 */
function describe(error) {
  let text;
  if (error instanceof Error && typeof error.stack === 'string') text = error.stack;
  else if (typeof error === 'string') text = error;
  else {
    try {
      text = JSON.stringify(error);
    } catch {
      text = undefined;
    }
    if (text === undefined) text = String(error);
  }
  const line = text
    .split('\n')
    .map((part) => part.trim())
    .filter(Boolean)
    .join(' ');
  return line.length > MAX_TEXT ? `${line.slice(0, MAX_TEXT)}…` : line;
}

/**
 * On the platform a function folder holds its own dependencies: a package found only in a folder
 * above it (the project's node_modules) is missing there, so it is missing here too. Lookups from
 * packages outside the folder (symlinked ones) keep their own paths.
 * @param {string} dir
 */
function confineModuleLookup(dir) {
  const moduleInternals = /** @type {{ _nodeModulePaths?: (from: string) => string[] }} */ (
    /** @type {unknown} */ (Module)
  );
  const lookupPaths = moduleInternals._nodeModulePaths;
  if (typeof lookupPaths !== 'function') return;
  const inside = (/** @type {string} */ file) => {
    const relative = path.relative(dir, file);
    return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
  };
  moduleInternals._nodeModulePaths = (from) => {
    const paths = lookupPaths.call(Module, from);
    return inside(from) ? paths.filter(inside) : paths;
  };
}

/** console.* goes to the emulator, tagged with the running call (null between calls). */
function captureConsole() {
  let level = /** @type {string | null} */ (null);
  const stream = (/** @type {string} */ fallback) =>
    new Writable({
      write(chunk, _encoding, done) {
        let text = String(chunk);
        if (text.endsWith('\n')) text = text.slice(0, -1);
        if (text.length > MAX_TEXT) text = `${text.slice(0, MAX_TEXT)}…`;
        send({ type: 'log', id: currentCall, level: level ?? fallback, text });
        done();
      },
    });
  const captured = /** @type {Record<string, unknown>} */ (
    /** @type {unknown} */ (new Console({ stdout: stream('log'), stderr: stream('error'), colorMode: false }))
  );
  const target = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (console));
  for (const key of Object.keys(captured)) {
    const method = captured[key];
    if (typeof method !== 'function') continue;
    target[key] = ['info', 'warn', 'debug'].includes(key)
      ? (/** @type {unknown[]} */ ...args) => {
          level = key;
          try {
            method(...args);
          } finally {
            level = null;
          }
        }
      : method;
  }
}

/**
 * The platform counts all the memory of the instance (SCF answers `Task memory exceeded N MB`):
 * the resident set is checked here, the JavaScript heap is capped by --max-old-space-size.
 * @param {number} memoryMb
 */
function watchMemory(memoryMb) {
  const timer = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss <= memoryMb * 1024 * 1024) return;
    clearInterval(timer);
    send({ type: 'memory', rssMb: Math.round(rss / 1024 / 1024) });
  }, 50);
  timer.unref();
}

main();

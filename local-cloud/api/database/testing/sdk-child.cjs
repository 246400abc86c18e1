/**
 * For the database tests: a cloud-function-like process running the REAL wx-server-sdk against
 * the test's API server (TCB_CONTEXT_CNFG set by the parent). Each stdin line is
 * `{ id, body }`, the body of an async function of (cloud, db, dbNoThrow, _, $); each answer
 * line is `{ id, result }` or `{ id, error }`, with Dates as { $date: ISO } and errors as the
 * fields a function would see (errCode, errMsg, code, message).
 */
'use strict';
const readline = require('readline');

const cloud = require('wx-server-sdk');
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
const db = cloud.database();
const dbNoThrow = cloud.database({ throwOnNotFound: false });
const _ = db.command;
const $ = _.aggregate;
const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor;

function view(value) {
  if (value instanceof Date) return { $date: value.toISOString() };
  if (value instanceof RegExp) return { $regexp: value.source, flags: value.flags };
  if (Array.isArray(value)) return value.map(view);
  if (value && typeof value === 'object') {
    const out = {};
    for (const key of Object.keys(value)) out[key] = view(value[key]);
    return out;
  }
  return value;
}

function errorView(error) {
  if (!error || typeof error !== 'object') return { thrown: view(error) };
  const out = { message: error.message };
  for (const key of ['errCode', 'errMsg', 'code']) if (error[key] !== undefined) out[key] = error[key];
  return out;
}

process.on('unhandledRejection', (reason) => {
  process.stderr.write(`unhandled rejection: ${String(reason && reason.stack ? reason.stack : reason)}\n`);
});

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const { id, body } = JSON.parse(line);
  Promise.resolve()
    .then(() => new AsyncFunction('cloud', 'db', 'dbNoThrow', '_', '$', body)(cloud, db, dbNoThrow, _, $))
    .then(
      (result) => process.stdout.write(`${JSON.stringify({ id, result: view(result) })}\n`),
      (error) => process.stdout.write(`${JSON.stringify({ id, error: errorView(error) })}\n`),
    );
});
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);

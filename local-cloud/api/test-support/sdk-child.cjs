/**
 * TEST SUPPORT. Runs code against the REAL wx-server-sdk (node_modules, unmodified) in a
 * process that looks like a cloud function instance: the parent sets the platform's variables
 * (TCB_CONTEXT_CNFG, TENCENTCLOUD_*, WX_*) in this process's environment and passes the code
 * (the body of an async function of `cloud`, `env` and `fetchUrl`) in SDK_CHILD_SCRIPT. Prints
 * one line `SDK_CHILD_RESULT <json>`: `{ result }` or `{ error: { errCode, errMsg, code, … } }`.
 */
'use strict';
const http = require('http');

const MARK = 'SDK_CHILD_RESULT ';

/** JSON-safe view of what the SDK answered or threw (Buffers as { $buffer: utf8 text }). */
function view(value, depth = 0) {
  if (depth > 10) return '<deep>';
  if (Buffer.isBuffer(value)) return { $buffer: value.toString('utf8') };
  if (value instanceof Error) {
    const out = { message: value.message };
    for (const key of Object.keys(value)) out[key] = view(value[key], depth + 1);
    return out;
  }
  if (Array.isArray(value)) return value.map((item) => view(item, depth + 1));
  if (value && typeof value === 'object') {
    const out = {};
    for (const key of Object.keys(value)) out[key] = view(value[key], depth + 1);
    return out;
  }
  return value;
}

/** GET a URL (as the SDK's downloadFile does: `encodeURI(url)`), answering { status, body }. */
function fetchUrl(url) {
  return new Promise((resolve, reject) => {
    http
      .get(encodeURI(url), (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      })
      .on('error', reject);
  });
}

async function main() {
  const cloud = require('wx-server-sdk');
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
  const run = new Function('cloud', 'env', 'fetchUrl', `return (async () => {\n${process.env.SDK_CHILD_SCRIPT}\n})();`);
  try {
    return { result: view(await run(cloud, process.env, fetchUrl)) };
  } catch (error) {
    return { error: view(error) };
  }
}

main().then(
  (outcome) => {
    process.stdout.write(`\n${MARK}${JSON.stringify(outcome)}\n`);
    process.exit(0);
  },
  (error) => {
    process.stderr.write(`${error && error.stack}\n`);
    process.exit(1);
  },
);

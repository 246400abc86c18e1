#!/usr/bin/env node
/**
 * Benchmark of the emulator over HTTP, with 100,000 and with 1,000,000 users: start time and
 * memory with that much data, the cold start of a function instance, then `login` driven with
 * keep-alive connections for returning and for new users (logins/s, p50/p99). In the same run
 * and with the same client, a bare Node HTTP server answering a fixed JSON gives the ceiling.
 *
 *   node scripts/bench/emulator.mjs        (BENCH_USERS=100000,1000000  BENCH_CALLS  BENCH_CONCURRENCY)
 *
 * The users are written as a collection file of the pre-emulator local cloud, which the
 * emulator imports on its first start; the start that is timed is the second one.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { once } from 'node:events';
import { buildLocalCloud } from '../start.mjs';
import { mb, rssBytes, startServer, stopServer } from './local-cloud-process.mjs';
import { measureSdkFloor } from './sdk-floor.mjs';

const USERS = (process.env.BENCH_USERS ?? '100000,1000000').split(',').map(Number);
const CALLS = Number(process.env.BENCH_CALLS ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const WARMUP_CALLS = 2_000;
const APPID = 'wxlocal0000000000';

const openidOf = (prefix, i) => `${prefix}${String(i).padStart(28 - prefix.length, '0')}`;

async function seed(dataDir, users) {
  const dbDir = path.join(dataDir, 'db');
  await fsp.mkdir(dbDir, { recursive: true });
  const out = createWriteStream(path.join(dbDir, 'users.db'));
  const at = { $$date: Date.now() };
  for (let i = 0; i < users; i++) {
    const openid = openidOf('oSeed', i);
    const doc = { _id: openid, _openid: openid, appid: APPID, unionid: null, createdAt: at, lastLoginAt: at };
    if (!out.write(`${JSON.stringify({ ...doc, loginCount: 1, profile: null, avatarFiles: [] })}\n`)) {
      await once(out, 'drain');
    }
  }
  out.end();
  await once(out, 'finish');
}

function post(agent, url, body) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          if (response.statusCode !== 200) return reject(new Error(`HTTP ${response.statusCode}`));
          resolve({ ms, answer: JSON.parse(Buffer.concat(chunks).toString()) });
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const login = (agent, url, openid) =>
  post(agent, `${url}/functions/login`, JSON.stringify({ data: {}, caller: { openid } }));

/** CPU seconds a process and its children have used (Linux /proc; 0 elsewhere). */
function cpuSecondsOf(pid) {
  let total = 0;
  for (const p of [pid, ...childrenOf(pid)]) {
    try {
      const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // gone, or not Linux
    }
  }
  return total;
}

function childrenOf(pid) {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

/** Resident memory of the emulator and of its function instances. */
function memoryOf(pid) {
  const own = rssBytes(pid);
  const instances = childrenOf(pid).reduce((sum, child) => sum + (rssBytes(child) ?? 0), 0);
  return { own, instances };
}

async function drive(calls, call, serverPid) {
  const latencies = new Array(calls);
  let next = 0;
  let wrong = 0;
  const serverCpu = serverPid ? cpuSecondsOf(serverPid) : 0;
  const clientCpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < calls) {
      const i = next++;
      const { ms, ok } = await call(i);
      latencies[i] = ms;
      if (!ok) wrong += 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const client = process.cpuUsage(clientCpu);
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(calls - 1, Math.floor(q * calls))];
  return {
    rate: calls / seconds,
    p50: at(0.5),
    p99: at(0.99),
    max: latencies[calls - 1],
    wrong,
    serverBusy: serverPid ? (cpuSecondsOf(serverPid) - serverCpu) / seconds : 0,
    clientBusy: (client.user + client.system) / 1e6 / seconds,
  };
}

const line = (name, r, unit) =>
  `${name}: ${r.rate.toFixed(0)} ${unit}/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, max ${r.max.toFixed(1)} ms` +
  `; CPU: server ${(r.serverBusy * 100).toFixed(0)}%, load generator ${(r.clientBusy * 100).toFixed(0)}%` +
  (r.wrong ? `, ${r.wrong} WRONG ANSWERS` : '');

/** The ceiling: a bare Node HTTP server in its own process answering a fixed JSON. */
async function ceiling() {
  const source = `
    const http = require('http');
    const body = JSON.stringify({ ok: true, data: { openid: 'oFixed', isNewUser: false, profile: null } });
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => { res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }); res.end(body); });
    });
    server.keepAliveTimeout = 60000;
    server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port));`;
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = await once(child.stdout, 'data');
  const url = /listening on (\S+)/.exec(String(chunk))[1];
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    const call = async (i) => {
      const { ms, answer } = await post(
        agent,
        `${url}/functions/login`,
        JSON.stringify({ caller: { openid: `o${i}` } }),
      );
      return { ms, ok: answer.ok === true };
    };
    await drive(WARMUP_CALLS, call, child.pid);
    return await drive(CALLS, call, child.pid);
  } finally {
    agent.destroy();
    child.kill();
  }
}

async function benchWith(bundle, users, ceilingRate, sdkBound) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'emulator-bench-'));
  try {
    let t = Date.now();
    await seed(dataDir, users);
    const seeded = Date.now() - t;
    t = Date.now();
    const first = await startServer(bundle, dataDir);
    const imported = Date.now() - t;
    await stopServer(first.child);
    console.log(`${users} users: written in ${seeded} ms, imported on a first start in ${imported} ms`);

    t = Date.now();
    const { child, url } = await startServer(bundle, dataDir);
    const startMs = Date.now() - t;
    const atStart = memoryOf(child.pid);
    console.log(`  start: ${startMs} ms (to listening); RSS ${mb(atStart.own)} (target: < 2 s, < 400 MB at 1M)`);
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    try {
      const cold = await login(agent, url, openidOf('oSeed', 1));
      const warm = await login(agent, url, openidOf('oSeed', 2));
      console.log(
        `  first login after start (cold start of an instance): ${cold.ms.toFixed(0)} ms; the next one ${warm.ms.toFixed(1)} ms`,
      );
      const returning = (i) => async () => {
        const { ms, answer } = await login(agent, url, openidOf('oSeed', (i * 7919) % users));
        return { ms, ok: answer.ok === true && answer.data.isNewUser === false };
      };
      await drive(WARMUP_CALLS, (i) => returning(i)(), child.pid);
      const back = await drive(CALLS, (i) => returning(i + WARMUP_CALLS)(), child.pid);
      console.log(line(`  returning users (${CALLS} calls)`, back, 'logins'));
      const fresh = await drive(
        CALLS,
        async (i) => {
          const { ms, answer } = await login(agent, url, openidOf('oNew', i));
          return { ms, ok: answer.ok === true && answer.data.isNewUser === true };
        },
        child.pid,
      );
      console.log(line(`  new users       (${CALLS} calls)`, fresh, 'logins'));
      for (const [name, r] of [
        ['returning', back],
        ['new', fresh],
      ]) {
        console.log(
          `  ${name}: ${((r.rate / ceilingRate) * 100).toFixed(1)}% of the ceiling, ${((r.rate / sdkBound) * 100).toFixed(0)}% of the SDK floor's bound (targets: >= 2,000 logins/s, >= 10%, p99 < 20 ms)`,
        );
      }
      const after = memoryOf(child.pid);
      console.log(`  memory after the load: emulator ${mb(after.own)}, function instances ${mb(after.instances)}`);
    } finally {
      agent.destroy();
      await stopServer(child);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  const bundle = await buildLocalCloud({ quiet: true });
  console.log(`emulator bench: node ${process.version}, ${os.cpus().length} cpus, ${CONCURRENCY} concurrent clients`);
  const bare = await ceiling();
  console.log(line(`ceiling: bare Node HTTP server, fixed JSON (${CALLS} calls)`, bare, 'requests'));
  const floor = await measureSdkFloor();
  console.log(
    `SDK floor: the real wx-server-sdk alone, a returning login's 2 requests against canned answers: ` +
      `${floor.cpuMs.toFixed(2)} ms CPU per login (${floor.wallMs.toFixed(2)} ms wall) -> ` +
      `at most ${floor.maxPerSecond.toFixed(0)} logins/s on ${os.cpus().length} cores if the emulator cost nothing`,
  );
  for (const users of USERS) await benchWith(bundle, users, bare.rate, floor.maxPerSecond);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

#!/usr/bin/env node
/**
 * Benchmark of the local cloud over HTTP: 100,000 users seeded into a temporary data folder,
 * the server started as its own process, then `login` driven with keep-alive connections for
 * returning users and for new users. Prints logins/s, p50/p99 latency and the folder's size.
 *
 *   node scripts/bench/local-cloud.mjs          (BENCH_CONCURRENCY, BENCH_CALLS to change the load)
 */
import Datastore from '@seald-io/nedb';
import { mkdtempSync, promises as fsp, readFileSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildLocalCloud } from '../start.mjs';
import { mb, rssBytes, startServer, stopServer } from './local-cloud-process.mjs';

const SEEDED_USERS = 100_000;
const CALLS = Number(process.env.BENCH_CALLS ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const WARMUP_CALLS = 2_000;
const APPID = 'wxlocal0000000000';

const openidOf = (prefix, i) => `${prefix}${String(i).padStart(28 - prefix.length, '0')}`;

/** Users as login stores them, written straight into the collection file. */
async function seed(dataDir) {
  const dbDir = path.join(dataDir, 'db');
  await fsp.mkdir(dbDir, { recursive: true });
  const users = new Datastore({ filename: path.join(dbDir, 'users.db') });
  await users.loadDatabaseAsync();
  const at = new Date();
  const docs = Array.from({ length: SEEDED_USERS }, (_, i) => {
    const openid = openidOf('oSeed', i);
    return {
      _id: openid,
      _openid: openid,
      appid: APPID,
      unionid: null,
      createdAt: at,
      lastLoginAt: at,
      loginCount: 1,
      profile: null,
    };
  });
  await users.insertAsync(docs);
}

function login(agent, url, openid) {
  const body = JSON.stringify({ data: {}, caller: { openid } });
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const request = http.request(
      `${url}/functions/login`,
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

/** CPU seconds a process has used so far (Linux /proc; 0 elsewhere). */
function cpuSecondsOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** `calls` logins by `CONCURRENCY` clients; answers the rate, latencies, CPU use and wrong answers. */
async function run(agent, url, openidAt, calls, expectNew, serverPid) {
  const latencies = new Float64Array(calls);
  let next = 0;
  let wrong = 0;
  const serverCpu = cpuSecondsOf(serverPid);
  const clientCpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < calls) {
      const i = next++;
      const { ms, answer } = await login(agent, url, openidAt(i));
      latencies[i] = ms;
      if (!answer.ok || answer.data.isNewUser !== expectNew) wrong += 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const client = process.cpuUsage(clientCpu);
  latencies.sort();
  const at = (q) => latencies[Math.min(calls - 1, Math.floor(q * calls))];
  return {
    rate: calls / seconds,
    p50: at(0.5),
    p99: at(0.99),
    max: latencies[calls - 1],
    wrong,
    serverBusy: (cpuSecondsOf(serverPid) - serverCpu) / seconds,
    clientBusy: (client.user + client.system) / 1e6 / seconds,
  };
}

async function folderSize(dir) {
  let total = 0;
  for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    total += entry.isDirectory() ? await folderSize(file) : (await fsp.stat(file)).size;
  }
  return total;
}

const line = (name, r) =>
  `${name}: ${r.rate.toFixed(0)} logins/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, max ${r.max.toFixed(1)} ms` +
  `; CPU: server ${(r.serverBusy * 100).toFixed(0)}%, load generator ${(r.clientBusy * 100).toFixed(0)}%` +
  (r.wrong ? `, ${r.wrong} WRONG ANSWERS` : '');

async function main() {
  const bundle = await buildLocalCloud({ quiet: true });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-bench-'));
  try {
    console.log(
      `local cloud bench: node ${process.version}, ${os.cpus().length} cpus, ${CONCURRENCY} concurrent clients`,
    );
    let t = Date.now();
    await seed(dataDir);
    console.log(`seeded ${SEEDED_USERS} users in ${Date.now() - t} ms (${mb(await folderSize(dataDir))})`);
    t = Date.now();
    const { child, url } = await startServer(bundle, dataDir);
    console.log(`server started in ${Date.now() - t} ms (loads the users collection)`);
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    try {
      await run(agent, url, (i) => openidOf('oSeed', (i * 7919) % SEEDED_USERS), WARMUP_CALLS, false, child.pid);
      const returning = await run(
        agent,
        url,
        (i) => openidOf('oSeed', (i * 104729 + 17) % SEEDED_USERS),
        CALLS,
        false,
        child.pid,
      );
      console.log(line(`returning users (${CALLS} calls)`, returning));
      const fresh = await run(agent, url, (i) => openidOf('oNew', i), CALLS, true, child.pid);
      console.log(line(`new users       (${CALLS} calls)`, fresh));
      console.log(`server memory (RSS): ${mb(rssBytes(child.pid))}`);
      console.log(`data folder while running: ${mb(await folderSize(dataDir))} (nedb appends one line per write)`);
    } finally {
      agent.destroy();
      await stopServer(child);
    }
    console.log(
      `data folder after stop (compacted): ${mb(await folderSize(dataDir))} for ${SEEDED_USERS + CALLS} users`,
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`bench failed: ${error.stack ?? error}`);
  process.exit(1);
});

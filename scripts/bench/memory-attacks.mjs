#!/usr/bin/env node
/**
 * The local cloud under memory attacks, each on a fresh server process with the default limits:
 * 1. 200 uploads of 10 MB that send all but their last bytes, then stall;
 * 2. 100 clients downloading a 10 MB file slowly;
 * 3. a flood of CloudID mints with the largest payload accepted.
 * For each: the server's idle memory, its peak during the attack, and the latency of /health and
 * login probes sent throughout. Target: peak RSS under 300 MB, every probe answered promptly.
 * The attackers run in a process of their own, so their work does not delay the probes.
 *
 *   node scripts/bench/memory-attacks.mjs      (BENCH_MINTS to change the size of the flood)
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { clearInterval, setInterval } from 'node:timers';
import { buildLocalCloud } from '../start.mjs';
import { mb, peakRssBytes, rssBytes, startServer, stopServer } from './local-cloud-process.mjs';

const TARGET_RSS = 300 * 1024 * 1024;
const FILE_BYTES = 10 * 1024 * 1024;
const STALLED_UPLOADS = 200;
const SLOW_READERS = 100;
/** Bytes a second each slow reader takes. */
const SLOW_READ_RATE = 256 * 1024;
const MINTS = Number(process.env.BENCH_MINTS ?? 30_000);
const MINT_CLIENTS = 8;
/** How long the stalled uploads and slow readers are held while probes run. */
const HOLD_MS = 6_000;
const PROBE_EVERY_MS = 200;
const OPENID = 'oBench00000000000000000000001';
const BOUNDARY = '----memoryattackbench';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One request on a fresh connection: status, body and milliseconds; never throws. */
function request(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const done = (status, text) => resolve({ status, text, ms: Number(process.hrtime.bigint() - started) / 1e6 });
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => done(res.statusCode, Buffer.concat(chunks).toString()));
      res.on('error', () => done(0, ''));
    });
    req.setTimeout(30_000, () => req.destroy());
    req.on('error', () => done(0, ''));
    req.end(body);
  });
}

/** Sends /health and login probes every PROBE_EVERY_MS and samples the server's RSS until stopped. */
function probe(url, pid) {
  const health = [];
  const login = [];
  let peak = rssBytes(pid);
  let running = true;
  const loginBody = JSON.stringify({ data: {}, caller: { openid: OPENID } });
  const loop = (async () => {
    while (running) {
      health.push(await request(`${url}/health`));
      login.push(
        await request(`${url}/functions/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: loginBody,
        }),
      );
      await sleep(PROBE_EVERY_MS);
    }
  })();
  const sampler = setInterval(() => {
    const rss = rssBytes(pid);
    if (rss !== null) peak = Math.max(peak ?? 0, rss);
  }, 50);
  return async () => {
    running = false;
    await loop;
    clearInterval(sampler);
    const hwm = peakRssBytes(pid);
    return { health, login, peak: hwm ?? peak };
  };
}

function summary(name, probes) {
  const ok = probes.filter((p) => p.status === 200);
  const ms = ok.map((p) => p.ms).sort((a, b) => a - b);
  const at = (q) => (ms.length ? ms[Math.min(ms.length - 1, Math.floor(q * ms.length))].toFixed(1) : 'n/a');
  const failed = probes.length - ok.length;
  return `${name} ${probes.length} probes, p50 ${at(0.5)} ms, max ${at(1)} ms${failed ? `, ${failed} NOT ANSWERED 200` : ''}`;
}

function multipartHead(cloudPath) {
  return Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="cloudPath"\r\n\r\n${cloudPath}\r\n` +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="openid"\r\n\r\n${OPENID}\r\n` +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`,
  );
}
const MULTIPART_TAIL = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
const FILE = Buffer.alloc(FILE_BYTES, 0x5a);

const uploadHeaders = (length) => ({
  'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`,
  'Content-Length': String(length),
  'X-Local-Cloud': '1',
});

/** Attack 1: uploads that send everything but their last bytes, then wait. */
async function stalledUploads(url) {
  const { port } = new URL(url);
  const sockets = [];
  const outcomes = { held: 0, refused: 0 };
  await Promise.all(
    Array.from({ length: STALLED_UPLOADS }, async (_, i) => {
      const head = multipartHead(`attack/${i}.png`);
      const length = head.length + FILE.length + MULTIPART_TAIL.length;
      const headers = Object.entries({ Host: `127.0.0.1:${port}`, ...uploadHeaders(length) })
        .map(([name, value]) => `${name}: ${value}`)
        .join('\r\n');
      const socket = net.connect(Number(port), '127.0.0.1');
      sockets.push(socket);
      socket.on('error', () => undefined);
      let answered = false;
      socket.once('data', () => (answered = true));
      await new Promise((resolve) => socket.once('connect', resolve).once('error', resolve).once('close', resolve));
      socket.write(`POST /storage/upload HTTP/1.1\r\n${headers}\r\n\r\n`);
      socket.write(head);
      // All of the file but its last byte, and no closing boundary.
      await new Promise((resolve) => {
        socket.write(FILE.subarray(0, FILE.length - 1), resolve);
        socket.once('close', resolve);
      });
      await sleep(500);
      if (answered || socket.destroyed) outcomes.refused += 1;
      else outcomes.held += 1;
    }),
  );
  return {
    describe: () => `${outcomes.held} held open by the server, ${outcomes.refused} answered 503 or closed`,
    release: () => sockets.forEach((socket) => socket.destroy()),
  };
}

/** Attack 2: readers of a 10 MB file that take SLOW_READ_RATE bytes a second each. */
async function slowReaders(url) {
  const head = multipartHead('attack/big.png');
  const body = Buffer.concat([head, FILE, MULTIPART_TAIL]);
  const uploaded = await request(`${url}/storage/upload`, {
    method: 'POST',
    headers: uploadHeaders(body.length),
    body,
  });
  if (uploaded.status !== 200) throw new Error(`upload of the 10 MB file failed: ${uploaded.status} ${uploaded.text}`);
  const { port } = new URL(url);
  let received = 0;
  const sockets = Array.from({ length: SLOW_READERS }, () => {
    const socket = net.connect(Number(port), '127.0.0.1', () => {
      socket.write(`GET /storage/files/attack/big.png HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    });
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      received += chunk.length;
      socket.pause();
      setTimeout(() => socket.resume(), (chunk.length / SLOW_READ_RATE) * 1000);
    });
    return socket;
  });
  return {
    describe: () => `${SLOW_READERS} readers took ${mb(received)} in all`,
    release: () => sockets.forEach((socket) => socket.destroy()),
  };
}

/** Attack 3: CloudID mints as fast as MINT_CLIENTS keep-alive clients can send them. */
async function mintFlood(url) {
  const data = {
    nickName: '名'.repeat(1024),
    avatarUrl: 'a'.repeat(1024),
    gender: 1,
    country: '国'.repeat(1024),
    province: '省'.repeat(1024),
    city: '市'.repeat(1024),
    language: 'l'.repeat(1024),
  };
  const body = JSON.stringify({ caller: { openid: OPENID }, data });
  const agent = new http.Agent({ keepAlive: true, maxSockets: MINT_CLIENTS });
  let next = 0;
  let failed = 0;
  const started = Date.now();
  const client = async () => {
    while (next < MINTS) {
      next += 1;
      const answer = await new Promise((resolve) => {
        const req = http.request(
          `${url}/open-data/cloud-id`,
          { method: 'POST', agent, headers: { 'Content-Type': 'application/json' } },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode));
          },
        );
        req.on('error', () => resolve(0));
        req.end(body);
      });
      if (answer !== 200) failed += 1;
    }
  };
  await Promise.all(Array.from({ length: MINT_CLIENTS }, client));
  agent.destroy();
  const seconds = (Date.now() - started) / 1000;
  return {
    describe: () =>
      `${MINTS} mints of ${(Buffer.byteLength(body) / 1024).toFixed(1)} KB each (${mb(MINTS * Buffer.byteLength(body))} posted) ` +
      `in ${seconds.toFixed(1)} s${failed ? `, ${failed} NOT ANSWERED 200` : ''}`,
    release: () => undefined,
  };
}

const ATTACKS = {
  stalledUploads: { name: `${STALLED_UPLOADS} stalled 10 MB uploads`, run: stalledUploads, hold: true },
  slowReaders: { name: `${SLOW_READERS} slow readers of a 10 MB file`, run: slowReaders, hold: true },
  mintFlood: { name: `flood of ${MINTS} CloudID mints with large payloads`, run: mintFlood, hold: false },
};

/** In the attacker process: runs one attack, says so, holds it until told to let go, then reports. */
async function attacker(name, url) {
  const running = await ATTACKS[name].run(url);
  process.send({ ready: true });
  process.once('message', () => {
    const description = running.describe();
    running.release();
    process.send({ description }, () => process.disconnect());
  });
}

/** Runs an attack in its own process; resolves once the attack is in place. */
function launchAttack(name, url) {
  const child = fork(fileURLToPath(import.meta.url), ['--attack', name, url], { stdio: 'inherit' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const failed = (reject) => child.once('exit', (code) => reject(new Error(`attacker ${name} exited with ${code}`)));
  return new Promise((resolve, reject) => {
    failed(reject);
    child.once('message', () =>
      resolve({
        /** Ends the attack; answers what it did. */
        release: async () => {
          const report = new Promise((done) => child.once('message', ({ description }) => done(description)));
          child.send('release');
          const description = await report;
          await exited;
          return description;
        },
      }),
    );
  });
}

/** Temp files of uploads left in the storage folder. */
function leftoverTempFiles(dataDir) {
  const dir = path.join(dataDir, 'storage', '.uploads');
  try {
    return readdirSync(dir).filter((name) => statSync(path.join(dir, name)).isFile()).length;
  } catch {
    return 0;
  }
}

async function main() {
  const bundle = await buildLocalCloud({ quiet: true });
  console.log(
    `memory attacks bench: node ${process.version}, ${os.cpus().length} cpus; default limits; target: peak RSS < 300 MB, probes answered`,
  );
  let missed = false;
  for (const [name, attack] of Object.entries(ATTACKS)) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-attack-'));
    const { child, url } = await startServer(bundle, dataDir);
    try {
      // A first call loads the functions: the baseline is a server that has served.
      await request(`${url}/functions/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ data: {}, caller: { openid: OPENID } }),
      });
      const idle = rssBytes(child.pid);
      const stop = probe(url, child.pid);
      const running = await launchAttack(name, url);
      if (attack.hold) await sleep(HOLD_MS);
      const { health, login, peak } = await stop();
      const description = await running.release();
      await sleep(500);
      const ok = peak === null || peak < TARGET_RSS;
      const answered = [...health, ...login].every((p) => p.status === 200);
      if (!ok || !answered) missed = true;
      console.log(`${attack.name}: ${description}`);
      console.log(
        `  RSS idle ${mb(idle)}, peak ${mb(peak)}${ok ? '' : ' OVER TARGET'}; ${summary('/health', health)}; ${summary('login', login)}` +
          (name === 'stalledUploads' ? `; temp files left once the clients left: ${leftoverTempFiles(dataDir)}` : ''),
      );
    } finally {
      await stopServer(child);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  if (missed) {
    console.log('memory attacks: TARGET MISSED');
    process.exitCode = 1;
  }
}

const attackAt = process.argv.indexOf('--attack');
(attackAt > 0 ? attacker(process.argv[attackAt + 1], process.argv[attackAt + 2]) : main()).catch((error) => {
  console.error(`bench failed: ${error.stack ?? error}`);
  process.exit(1);
});

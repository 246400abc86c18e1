#!/usr/bin/env node
/**
 * Benchmark of the emulator's database (local-cloud/engine) through its action handlers, with
 * 100,000 and 1,000,000 users. For each size, in a fresh process: time to open the folder and
 * RSS, point read-modify-writes per second (`doc(openid).update()` as login does, one at a time
 * and 8 at a time), a full scan (`where().count()` on an unindexed field, with the collection's
 * size as text), then the latency of point updates while a `where().update()` rewrites the
 * whole collection.
 *
 *   node scripts/bench/engine.mjs [100000 1000000]
 *     BENCH_SYNC=0   write without fsync (still survives kill -9, not a power loss)
 *     BENCH_QUICK=1  only open and point writes (no full scan, no whole-collection update)
 *
 * The users are loaded once into <tmp>/emu-engine-bench-<n> and reused by later runs (delete
 * the folder to reload).
 */
import { EJSON } from 'bson';
import { spawn } from 'node:child_process';
import * as esbuild from 'esbuild';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BUNDLE = path.join(ROOT, '.local-cloud', 'build', 'engine-bench.cjs');
const SYNC = process.env.BENCH_SYNC !== '0';
const QUICK = process.env.BENCH_QUICK === '1';
const RMW_CALLS = 20_000;

const openidOf = (i) => `oU${String(i).padStart(26, '0')}`;
const ejson = (value) => EJSON.stringify(value, { relaxed: false });

/** A user as login and saveProfile store it (about 600 bytes as text). */
function user(i) {
  const openid = openidOf(i);
  const at = new Date(1_700_000_000_000 + i * 1000);
  return {
    _id: openid,
    _openid: openid,
    appid: 'wx1234567890abcdef',
    unionid: i % 4 === 0 ? `oUnion${String(i).padStart(22, '0')}` : null,
    createdAt: at,
    lastLoginAt: at,
    loginCount: i % 50,
    profile: {
      nickName: `用户${i}`,
      avatarUrl: `cloud://env-1a2b3c.656e-env-1a2b3c-1250000000/avatars/${openid}/1700000000000.png`,
      gender: 0,
      country: '',
      province: '',
      city: '',
      language: 'zh_CN',
      source: 'chooseAvatar',
      updatedAt: at,
    },
    avatarFiles: [`cloud://env-1a2b3c.656e-env-1a2b3c-1250000000/avatars/${openid}/1700000000000.png`],
  };
}

async function bundle() {
  await esbuild.build({
    absWorkingDir: ROOT,
    stdin: {
      contents: `export { Database } from './local-cloud/engine/database';
        export { createDatabaseActions } from './local-cloud/api/database';
        export { insertDocuments } from './local-cloud/engine/writes';`,
      resolveDir: ROOT,
      loader: 'ts',
    },
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    // Its native prebuilds are found relative to its own package folder.
    external: ['classic-level'],
    logLevel: 'warning',
  });
  await esbuild.stop();
}

const rssMb = () => Math.round(process.memoryUsage().rss / 1048576);

/**
 * Linux splits RSS into anonymous memory (the JS heap, LevelDB's caches) and file pages
 * (LevelDB reads its table files through mmap: clean pages the kernel drops under pressure).
 */
function rssSplitMb() {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const field = (name) => Math.round(Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN) / 1024);
    return { anon: field('RssAnon'), file: field('RssFile') };
  } catch {
    return null;
  }
}

async function load(dir, n) {
  const { Database, insertDocuments } = createRequire(import.meta.url)(BUNDLE);
  const started = performance.now();
  const db = await Database.open(dir, { sync: SYNC });
  await db.ensureCollections(['users']);
  for (let i = 0; i < n; i += 1000) {
    const docs = Array.from({ length: Math.min(1000, n - i) }, (_x, j) => user(i + j));
    await db.inSpace(undefined, (space) => insertDocuments(space, 'users', docs, Date.now()));
  }
  await db.close();
  writeFileSync(path.join(dir, 'LOADED'), String(n));
  console.log(`  loaded ${n.toLocaleString()} users in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

function percentile(sorted, p) {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs in a child process: everything measured on a database opened by this process. */
async function measure(dir, n) {
  const startedAt = performance.now();
  const { Database, createDatabaseActions } = createRequire(import.meta.url)(BUNDLE);
  const requireMs = performance.now() - startedAt;
  const t0 = performance.now();
  const db = await Database.open(dir, { sync: SYNC });
  const openMs = performance.now() - t0;
  const rssAfterOpen = rssMb();
  const actions = createDatabaseActions(db);
  const context = { requestId: 'bench', source: '' };
  const call = (action, request) => actions[action]({ action, ...request }, context);
  const pointUpdate = (i) =>
    call('database.modifyDocument', {
      collectionName: 'users',
      queryType: 'DOC',
      query: ejson({ _id: openidOf(i) }),
      data: ejson({ $inc: { loginCount: 1 }, $set: { lastLoginAt: { $tcb_server_date: { offset: 0 } } } }),
      multi: false,
      merge: true,
      upsert: false,
    });
  const random = () => Math.floor(Math.random() * n);

  let t = performance.now();
  for (let i = 0; i < RMW_CALLS; i += 1) await pointUpdate(random());
  const sequentialPerSec = RMW_CALLS / ((performance.now() - t) / 1000);
  t = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = 0; i < RMW_CALLS / 8; i += 1) await pointUpdate(random());
    }),
  );
  const concurrentPerSec = RMW_CALLS / ((performance.now() - t) / 1000);

  if (QUICK) {
    await db.close();
    console.log(
      JSON.stringify({
        users: n,
        sync: SYNC,
        openMs: Math.round(openMs),
        rssAfterOpenMB: rssAfterOpen,
        pointRmwPerSec: { sequential: Math.round(sequentialPerSec), concurrent8: Math.round(concurrentPerSec) },
      }),
    );
    return;
  }
  t = performance.now();
  const scan = await call('database.calculateDocument', {
    collectionName: 'users',
    queryType: 'WHERE',
    query: ejson({ 'profile.gender': 1 }),
  });
  const scanMs = performance.now() - t;
  let textBytes = 0;
  for await (const entries of db.store.scan('users'))
    for (const [, text] of entries) textBytes += Buffer.byteLength(text);

  let peakRss = rssMb();
  const peakSplit = { anon: 0, file: 0 };
  const latencies = [];
  let updating = true;
  t = performance.now();
  const big = call('database.modifyDocument', {
    collectionName: 'users',
    queryType: 'WHERE',
    query: ejson({}),
    data: ejson({ $set: { touchedAt: { $tcb_server_date: { offset: 0 } } } }),
    multi: true,
    merge: true,
    upsert: false,
  }).then((result) => {
    updating = false;
    return result;
  });
  const pointLoop = (async () => {
    while (updating) {
      const started = performance.now();
      await pointUpdate(random());
      latencies.push(performance.now() - started);
      peakRss = Math.max(peakRss, rssMb());
      const split = rssSplitMb();
      if (split) {
        peakSplit.anon = Math.max(peakSplit.anon, split.anon);
        peakSplit.file = Math.max(peakSplit.file, split.file);
      }
    }
  })();
  const bigResult = await big;
  const bigMs = performance.now() - t;
  await pointLoop;
  latencies.sort((a, b) => a - b);
  await db.close();
  console.log(
    JSON.stringify({
      users: n,
      sync: SYNC,
      requireMs: Math.round(requireMs),
      openMs: Math.round(openMs),
      rssAfterOpenMB: rssAfterOpen,
      pointRmwPerSec: { sequential: Math.round(sequentialPerSec), concurrent8: Math.round(concurrentPerSec) },
      fullScanCount: {
        ms: Math.round(scanMs),
        matched: scan.data.total,
        collectionTextMB: Math.round(textBytes / 1048576),
      },
      whereUpdateAll: {
        ms: Math.round(bigMs),
        updated: bigResult.data.updated,
        docsPerSec: Math.round(bigResult.data.updated / (bigMs / 1000)),
      },
      pointDuringWhereUpdate: {
        calls: latencies.length,
        p50Ms: +percentile(latencies, 50).toFixed(2),
        p99Ms: +percentile(latencies, 99).toFixed(2),
        maxMs: +(latencies.at(-1) ?? 0).toFixed(2),
      },
      peakRssMB: peakRss,
      peakRssSplitMB: rssSplitMb() ? peakSplit : undefined,
    }),
  );
}

function child(dir, n) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), '--measure', dir, String(n)], {
      stdio: 'inherit',
    });
    proc.on('error', reject);
    proc.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`measure exited ${code}`))));
  });
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--measure') return measure(args[1], Number(args[2]));
  await bundle();
  const sizes = args.length > 0 ? args.map(Number) : [100_000, 1_000_000];
  console.log(`Engine benchmark (LevelDB, ${SYNC ? 'fsync per batch' : 'no fsync'}), ${os.cpus().length} cores`);
  for (const n of sizes) {
    const dir = path.join(os.tmpdir(), `emu-engine-bench-${n}`);
    console.log(`${n.toLocaleString()} users (${dir})`);
    if (!existsSync(path.join(dir, 'LOADED'))) await load(dir, n);
    await child(dir, n);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

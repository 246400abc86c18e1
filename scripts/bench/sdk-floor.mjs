/**
 * The floor under any emulator of the platform API: what the real, unmodified wx-server-sdk
 * costs by itself for the two requests of a returning login (`doc(openid).get()` then
 * `doc(openid).update()`), against a server in another process that answers canned bytes at
 * once. The SDK runs as on the platform (TCB_CONTEXT_CNFG, SCF run environment, per-call
 * credentials), in its own process, whose CPU time is measured. An emulator that cost nothing
 * at all could still not serve more than `cores / cpuPerLogin` logins per second on this machine.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// Answers as captured in docs/sdk-protocol.md: a document for getDocument, one update otherwise.
const CANNED_SERVER = `
  const http = require('http');
  const found = JSON.stringify({ requestId: 'r', data: { list: ['{"_id":"o1","loginCount":{"$numberInt":"3"},"profile":null}'], offset: 0 } });
  const updated = JSON.stringify({ requestId: 'r', data: { updated: 1, matched: 1 } });
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body.includes('database.getDocument') ? found : updated);
    });
  });
  server.keepAliveTimeout = 60000;
  server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;

const SDK_CLIENT = `
  const calls = Number(process.argv[1]);
  const port = process.argv[2];
  Object.assign(process.env, {
    TCB_CONTEXT_CNFG: JSON.stringify({ URL: 'http://127.0.0.1:' + port + '/tcb/api' }),
    TENCENTCLOUD_SECRETID: 'bench', TENCENTCLOUD_SECRETKEY: 'bench', TENCENTCLOUD_SESSIONTOKEN: 'bench',
    TENCENTCLOUD_RUNENV: 'SCF', TENCENTCLOUD_REGION: 'ap-shanghai', SCF_NAMESPACE: 'bench-env', TCB_ENV: 'bench-env',
    WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID,WX_API_TOKEN', WX_OPENID: 'o1', WX_APPID: 'wxbench', WX_API_TOKEN: 'bench',
  });
  const cloud = require('wx-server-sdk');
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
  const db = cloud.database();
  const login = async () => {
    await db.collection('users').doc('o1').get();
    await db.collection('users').doc('o1').update({ data: { lastLoginAt: db.serverDate(), loginCount: db.command.inc(1) } });
  };
  (async () => {
    for (let i = 0; i < 300; i++) await login();
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) await login();
    const used = process.cpuUsage(cpu);
    const wall = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(JSON.stringify({ cpuMs: (used.user + used.system) / 1000 / calls, wallMs: wall / calls }));
  })();`;

/** CPU and wall time of the real SDK per returning login; resolves `{ cpuMs, wallMs, maxPerSecond }`. */
export async function measureSdkFloor(calls = 3000) {
  const server = spawn(process.execPath, ['-e', CANNED_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [chunk] = await once(server.stdout, 'data');
    const port = String(chunk).trim();
    const client = spawn(process.execPath, ['-e', SDK_CLIENT, String(calls), port], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    client.stdout.on('data', (c) => (output += c));
    const [code] = await once(client, 'exit');
    if (code !== 0) throw new Error(`the SDK floor client exited with ${code}`);
    const { cpuMs, wallMs } = JSON.parse(output.trim().split('\n').pop());
    return { cpuMs, wallMs, maxPerSecond: (os.cpus().length * 1000) / cpuMs };
  } finally {
    server.kill();
  }
}

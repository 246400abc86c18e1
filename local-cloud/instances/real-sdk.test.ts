/**
 * A function folder as WeChat DevTools creates one (index.js requiring wx-server-sdk, its own
 * package.json and node_modules), run on the real, unmodified wx-server-sdk: getWXContext()
 * answers each call's caller, and the SDK's requests reach the API given in TCB_CONTEXT_CNFG.
 */
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import type { FunctionInstances } from './function-instances';
import type { CallOutcome } from './outcome';
import { functionFolder, instances, PLATFORM, removeFolders, spec } from './test-fixtures';

const SDK = path.join(__dirname, '..', '..', 'node_modules', 'wx-server-sdk');

const INDEX = `const cloud = require('wx-server-sdk');
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
exports.main = async (event) => {
  if (event.op === 'context') return cloud.getWXContext();
  const { data } = await cloud.database().collection('users').doc('u1').get();
  return data;
};
`;

/** The folder DevTools makes, its node_modules/wx-server-sdk linked to the project's copy. */
function devToolsFolder(): string {
  const dir = functionFolder({
    'index.js': INDEX,
    'package.json': JSON.stringify({ name: 'sdkfn', main: 'index.js', dependencies: { 'wx-server-sdk': '4.0.2' } }),
  });
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(SDK, path.join(dir, 'node_modules', 'wx-server-sdk'), 'junction');
  return dir;
}

interface Received {
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** Answers every SDK request with one document, as the platform answers database.getDocument. */
async function stubApi(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ url: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString()) });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ requestId: 'stub-1', data: { list: ['{"_id":"u1","name":"alice"}'], offset: 0 } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/admin`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let running: FunctionInstances | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
  removeFolders();
});

function ok(outcome: CallOutcome): unknown {
  if (!outcome.ok) throw new Error(`call failed: ${outcome.error.message}`);
  return outcome.result;
}

it("answers each call's caller from getWXContext(), on one warm instance", async () => {
  running = instances([spec('sdkfn', devToolsFolder())]).instances;
  const alice = await running.invoke(
    'sdkfn',
    { op: 'context' },
    { openid: 'oAlice', appid: 'wxapp1', unionid: 'uAlice', clientIp: '10.0.0.7' },
  );
  const bob = await running.invoke('sdkfn', { op: 'context' }, { openid: 'oBob', appid: 'wxapp1' });
  expect(ok(alice)).toEqual({
    CLIENTIP: '10.0.0.7',
    APPID: 'wxapp1',
    OPENID: 'oAlice',
    UNIONID: 'uAlice',
    ENV: PLATFORM.envId,
    SOURCE: 'wx_client',
  });
  expect(ok(bob)).toEqual({ APPID: 'wxapp1', OPENID: 'oBob', ENV: PLATFORM.envId, SOURCE: 'wx_client' });
  expect([alice.coldStart, bob.coldStart]).toEqual([true, false]);
});

it('passes an all-digit id as given, and the real SDK turns it into a number (why the gateway refuses such ids)', async () => {
  running = instances([spec('sdkfn', devToolsFolder())]).instances;
  const context = ok(await running.invoke('sdkfn', { op: 'context' }, { openid: '0012345', appid: 'wxapp1' }));
  expect(context).toMatchObject({ OPENID: 12345 });
});

it("sends the SDK's database request to the API of TCB_CONTEXT_CNFG, with the call's token, and no SDK complaint", async () => {
  const api = await stubApi();
  try {
    const tokens: string[] = [];
    running = instances([spec('sdkfn', devToolsFolder())], {
      apiUrl: api.url,
      onCallStart: (token) => tokens.push(token),
    }).instances;
    const outcome = await running.invoke('sdkfn', { op: 'get' }, { openid: 'oAlice', appid: 'wxapp1' });
    expect(ok(outcome)).toEqual({ _id: 'u1', name: 'alice' });
    expect(api.received).toHaveLength(1);
    const [request] = api.received;
    expect(request.url).toMatch(new RegExp(`^/admin\\?env=${PLATFORM.envId}&seqId=`));
    expect(request.headers.authorization).toMatch(new RegExp(`^TC3-HMAC-SHA256 Credential=${PLATFORM.secretId}/`));
    expect(request.body).toMatchObject({
      action: 'database.getDocument',
      collectionName: 'users',
      envName: PLATFORM.envId,
      wxCloudApiToken: tokens[0],
    });
    expect(outcome.logs.filter((line) => /\[TCB\]\[(ERROR|WARN)\]/.test(line.text))).toEqual([]);
  } finally {
    await api.close();
  }
});

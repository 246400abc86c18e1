/**
 * What `npm run deploy` uploads for a function, through the real @cloudbase/manager-node: its
 * packer zips the function's folder (dot files included, minus the cloudbaserc.json `ignore`),
 * and nothing in manager-node (or tcb 2.12.10) reads config.json: its `permissions.openapi`
 * travels inside the zip only, so the deploy says so when a function declares cloud calls.
 */
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';

interface FunctionConfig {
  name: string;
  handler: string;
  runtime: string;
  timeout: number;
  memorySize?: number;
}
interface DeployOptions {
  functionRootPath: string;
  envId: string;
  warn?: (message: string) => void;
}

const { deployFunction } = require('./lib/function-deploy') as {
  deployFunction: (manager: unknown, func: FunctionConfig, options: DeployOptions) => Promise<unknown>;
};
const { buildFunctions } = require('./build') as {
  buildFunctions: (o: { outRoot: string; names: string[]; warn: (m: string) => void }) => Promise<string[]>;
};
const { readCloudbaserc } = require('./lib/project') as { readCloudbaserc: () => { functions: FunctionConfig[] } };
const { FunctionPacker } = require('@cloudbase/manager-node/lib/function/packer') as {
  FunctionPacker: { prototype: { compressFiles: () => Promise<string> } };
};
const CloudBase = require('@cloudbase/manager-node') as new (o: object) => object;

jest.setTimeout(60_000);

const ENV_ID = 'prod-1a2b';
const login = () => readCloudbaserc().functions.find((f) => f.name === 'login')!;

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'function-deploy-test-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The file names in a zip archive, read from its central directory. */
function zipEntries(file: string): string[] {
  const zip = fs.readFileSync(file);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const nameLength = zip.readUInt16LE(at + 28);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return names.filter((name) => !name.endsWith('/')).sort();
}

/** A stand-in for the Cloud API that knows the environment (manager-node reads it first). */
async function fakeCloudApi() {
  const actions: string[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const action = String(req.headers['x-tc-action']);
      actions.push(action);
      const answer =
        action === 'DescribeEnvInfo'
          ? { EnvInfo: { EnvId: ENV_ID, EnvBaseInfo: { EnvId: ENV_ID }, Functions: [{ Namespace: ENV_ID }] } }
          : {};
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ Response: { RequestId: 'req-1', ...answer } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, actions, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** A manager whose deployment always succeeds as configured. */
function activeManager(created: string[] = []) {
  return {
    functions: {
      createFunction: async ({ func }: { func: FunctionConfig }) => created.push(func.name),
      getFunctionDetail: async () => ({
        Status: 'Active',
        Runtime: login().runtime,
        Handler: login().handler,
        Timeout: login().timeout,
        MemorySize: login().memorySize,
      }),
    },
  };
}

function writeConfig(root: string, config: string) {
  fs.mkdirSync(path.join(root, 'login'), { recursive: true });
  fs.writeFileSync(path.join(root, 'login', 'config.json'), config);
}

it('uploads the whole built folder: generated code, package.json and config.json, nothing else', async () => {
  const root = path.join(tmp, 'cloudfunctions');
  await buildFunctions({ outRoot: root, names: ['login'], warn: () => undefined });
  const api = await fakeCloudApi();
  const previous = process.env.TCB_BASE_URL;
  process.env.TCB_BASE_URL = api.url;
  const uploaded = path.join(tmp, 'uploaded.zip');
  const compress = FunctionPacker.prototype.compressFiles;
  // The zip manager-node made, kept before it is sent anywhere; the deployment stops there.
  const spy = jest.spyOn(FunctionPacker.prototype, 'compressFiles').mockImplementation(async function (this: unknown) {
    fs.copyFileSync(await compress.call(this), uploaded);
    throw new Error('zip captured');
  });
  try {
    const manager = new CloudBase({ envId: ENV_ID, secretId: 'AKIDtest', secretKey: 'secret' });
    await expect(deployFunction(manager, login(), { functionRootPath: root, envId: ENV_ID })).rejects.toThrow();
    const entries = zipEntries(uploaded);
    expect(entries).toEqual(fs.readdirSync(path.join(root, 'login')).sort());
    expect(entries).toEqual(expect.arrayContaining(['config.json', 'index.js', 'package.json', 'wx-server-sdk.js']));
    expect(entries.filter((f) => !/^(index|wx-server-sdk(\..+)?)\.js$/.test(f))).toEqual([
      'config.json',
      'package.json',
    ]);
    expect(api.actions.filter((a) => /Function/.test(a))).toEqual([]);
  } finally {
    spy.mockRestore();
    if (previous === undefined) delete process.env.TCB_BASE_URL;
    else process.env.TCB_BASE_URL = previous;
    await api.close();
  }
});

it('says after the deployment that the cloud calls of config.json are not applied by it, and how to apply them', async () => {
  const root = path.join(tmp, 'cloudfunctions');
  writeConfig(root, JSON.stringify({ permissions: { openapi: ['security.msgSecCheck'] } }));
  const warnings: string[] = [];
  const created: string[] = [];
  await deployFunction(activeManager(created), login(), {
    functionRootPath: root,
    envId: ENV_ID,
    warn: (m) => warnings.push(m),
  });
  expect(created).toEqual(['login']);
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toContain('security.msgSecCheck');
  expect(warnings[0]).toContain('-604101');
  expect(warnings[0]).toMatch(/开发者工具[\s\S]*DevTools/);
});

it('says nothing for a function without cloud calls', async () => {
  const root = path.join(tmp, 'cloudfunctions');
  writeConfig(root, JSON.stringify({ permissions: { openapi: [] } }));
  const warnings: string[] = [];
  await deployFunction(activeManager(), login(), {
    functionRootPath: root,
    envId: ENV_ID,
    warn: (m) => warnings.push(m),
  });
  expect(warnings).toEqual([]);
});

it('refuses a config.json that is not the platform format before uploading anything', async () => {
  const root = path.join(tmp, 'cloudfunctions');
  writeConfig(root, '{ "permissions": { "openapi": "security.msgSecCheck" } }');
  const created: string[] = [];
  const run = deployFunction(activeManager(created), login(), { functionRootPath: root, envId: ENV_ID });
  await expect(run).rejects.toThrow(/login[\s\S]*config\.json[\s\S]*permissions\.openapi/);
  expect(created).toEqual([]);
});

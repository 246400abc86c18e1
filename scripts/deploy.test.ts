import { spawnSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { USERS_COLLECTION } from '../cloud/users/user-record';

interface FunctionConfig {
  name: string;
  handler: string;
  runtime: string;
  timeout: number;
  memorySize?: number;
  envVariables?: Record<string, string>;
}
interface FunctionDetail {
  Status: string;
  StatusDesc?: string;
  StatusReasons?: { ErrorCode: string; ErrorMessage: string }[];
  Runtime: string;
  Handler: string;
  Timeout: number;
  MemorySize: number;
  Environment?: { Variables: { Key: string; Value: string }[] };
}
interface FakeManager {
  env: { describeEnvInfo: jest.Mock };
  functions: { createFunction: jest.Mock; getFunctionDetail: jest.Mock };
  database: { createCollectionIfNotExists: jest.Mock };
  permission: { modifyResourcePermission: jest.Mock };
  storage: { setStorageAcl: jest.Mock };
}
type Deploy = (o: {
  argv?: string[];
  env: Record<string, string | undefined>;
  build: () => Promise<unknown>;
  manager?: (o: object) => FakeManager;
  log: (m: string) => void;
}) => Promise<void>;

const { deploy, DeployError } = require('./deploy') as { deploy: Deploy; DeployError: typeof Error };
const { parseEnvFile } = require('./lib/env-file') as { parseEnvFile: (t: string) => Record<string, string> };
const { functionNames, readCloudbaserc } = require('./lib/project') as {
  functionNames: () => string[];
  readCloudbaserc: () => { functions: FunctionConfig[] };
};

const ROOT = path.resolve(__dirname, '..');
const hasEnvFile = ['.env', '.env.local'].some((f) => fs.existsSync(path.join(ROOT, f)));
const CREDENTIALS = { TENCENTCLOUD_SECRETID: 'AKIDtest', TENCENTCLOUD_SECRETKEY: 'secret' };
const ENV = { ENV_ID: 'prod-1a2b', ...CREDENTIALS };
const DATABASE_RULE = { read: 'doc._openid == auth.openid', write: false };
const STORAGE_RULE = { read: 'resource.openid == auth.openid', write: 'resource.openid == auth.openid' };
const quiet = () => undefined;

/** An error shaped like the ones @cloudbase/manager-node throws for an API error answer. */
function apiError(code: string, message: string): Error {
  return Object.assign(new Error(message), { name: 'CloudBaseError', code, requestId: 'req-1' });
}

interface FakeCloudOptions {
  envInfo?: () => Promise<unknown>;
  createFunction?: (func: FunctionConfig) => Promise<unknown>;
  /** The platform's state of a function after its deployment (default: Active, as deployed). */
  detail?: (deployed: FunctionConfig) => Partial<FunctionDetail>;
  createCollection?: (name: string) => Promise<unknown>;
  modifyPermission?: () => Promise<unknown>;
  setStorageAcl?: () => Promise<unknown>;
}

/** A CloudBase environment as manager-node shows it; `calls` lists every request in order. */
function fakeCloud(calls: string[], options: FakeCloudOptions = {}, existing = new Set<string>()): FakeManager {
  const deployed = new Map<string, FunctionConfig>();
  return {
    env: {
      describeEnvInfo: jest.fn(async ({ EnvId }: { EnvId: string }) => {
        calls.push('check credentials');
        if (options.envInfo) return options.envInfo();
        return { EnvInfo: { EnvBaseInfo: { EnvId, Storages: [{ Bucket: 'b-1', Region: 'ap-shanghai' }] } } };
      }),
    },
    functions: {
      createFunction: jest.fn(async ({ func, force, functionRootPath }) => {
        calls.push(`deploy ${func.name}${force ? ' --force' : ''} from ${path.relative(ROOT, functionRootPath)}`);
        if (options.createFunction) await options.createFunction(func);
        deployed.set(func.name, func);
        return { RequestId: 'r' };
      }),
      getFunctionDetail: jest.fn(async (name: string) => {
        calls.push(`read back ${name}`);
        const func = deployed.get(name);
        if (!func) throw apiError('ResourceNotFound.Function', `未找到函数 ${name}`);
        const active: FunctionDetail = {
          Status: 'Active',
          Runtime: func.runtime,
          Handler: func.handler,
          Timeout: func.timeout,
          MemorySize: func.memorySize ?? 256,
          Environment: {
            Variables: Object.entries(func.envVariables ?? {}).map(([Key, Value]) => ({ Key, Value })),
          },
        };
        return { ...active, ...options.detail?.(func) };
      }),
    },
    database: {
      createCollectionIfNotExists: jest.fn(async (name: string) => {
        calls.push(`create ${name}${existing.has(name) ? ' (exists)' : ''}`);
        if (options.createCollection) await options.createCollection(name);
        existing.add(name);
        return { IsCreated: true, ExistsResult: { Exists: true } };
      }),
    },
    permission: {
      modifyResourcePermission: jest.fn(async (o: { resource: string; permission: string; securityRule: string }) => {
        calls.push(`rule ${o.resource} ${o.permission} ${o.securityRule}`);
        if (options.modifyPermission) await options.modifyPermission();
        return { RequestId: 'r' };
      }),
    },
    storage: {
      setStorageAcl: jest.fn(async (acl: string, rule: object) => {
        calls.push(`storage ${acl} ${JSON.stringify(rule)}`);
        if (options.setStorageAcl) await options.setStorageAcl();
        return { RequestId: 'r' };
      }),
    },
  };
}

async function deployWith(calls: string[], options: FakeCloudOptions = {}, argv: string[] = []) {
  return deploy({
    argv,
    env: ENV,
    build: async () => calls.push('build'),
    manager: () => fakeCloud(calls, options),
    log: quiet,
  });
}

async function failureOf(run: Promise<unknown>): Promise<Error> {
  try {
    await run;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the run to fail');
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The rejection real @cloudbase/manager-node gives when it cannot reach the Cloud API. */
async function realNetworkFailure(): Promise<Error> {
  const CloudBase = require('@cloudbase/manager-node');
  const previous = process.env.TCB_BASE_URL;
  process.env.TCB_BASE_URL = `http://127.0.0.1:${await closedPort()}`;
  try {
    const manager = new CloudBase({ envId: 'prod-1a2b', secretId: 'AKIDtest', secretKey: 'secret' });
    return await failureOf(manager.env.describeEnvInfo({ EnvId: 'prod-1a2b' }));
  } finally {
    if (previous === undefined) delete process.env.TCB_BASE_URL;
    else process.env.TCB_BASE_URL = previous;
  }
}

/** A Chinese line, then an English one (the platform's own text stays as it came in both). */
const expectBilingual = (message: string) => {
  const [zh, en, ...more] = message.split('\n');
  expect(more).toEqual([]);
  expect(zh).toMatch(/^[\u4e00-\u9fff]/);
  expect(en).toMatch(/^[A-Z][a-z]+ [a-z]+ /);
};

describe('npm run deploy', () => {
  (hasEnvFile ? it.skip : it)(
    'stops with a clear message before changing anything without ENV_ID or credentials',
    async () => {
      const build = jest.fn(async () => undefined);
      const manager = jest.fn();
      await expect(deploy({ env: { ...CREDENTIALS }, build, manager, log: quiet })).rejects.toThrow(/ENV_ID/);
      await expect(
        deploy({ env: { ENV_ID: 'your-env-id', ...CREDENTIALS }, build, manager, log: quiet }),
      ).rejects.toThrow(/ENV_ID/);
      await expect(deploy({ env: { ENV_ID: 'prod-1a2b' }, build, manager, log: quiet })).rejects.toThrow(
        /TENCENTCLOUD_SECRETID/,
      );
      expect(build).not.toHaveBeenCalled();
      expect(manager).not.toHaveBeenCalled();
    },
  );

  it('checks the API key once, builds, applies the rules, then deploys every function and reads it back', async () => {
    const calls: string[] = [];
    let managerConfig: object | undefined;
    await deploy({
      env: { ...ENV, TENCENTCLOUD_SESSIONTOKEN: 'tmp-token' },
      build: async () => calls.push('build'),
      manager: (config) => ((managerConfig = config), fakeCloud(calls)),
      log: quiet,
    });
    expect(managerConfig).toEqual({
      envId: 'prod-1a2b',
      secretId: 'AKIDtest',
      secretKey: 'secret',
      token: 'tmp-token',
    });
    expect(calls).toEqual([
      'check credentials',
      'build',
      `create ${USERS_COLLECTION}`,
      `rule ${USERS_COLLECTION} CUSTOM ${JSON.stringify(DATABASE_RULE)}`,
      `storage CUSTOM ${JSON.stringify(STORAGE_RULE)}`,
      ...functionNames().flatMap((name) => [`deploy ${name} --force from cloudfunctions`, `read back ${name}`]),
    ]);
  });

  it('deploys each function with its cloudbaserc.json settings', async () => {
    const manager = fakeCloud([]);
    await deploy({ env: ENV, build: async () => undefined, manager: () => manager, log: quiet });
    const sent = manager.functions.createFunction.mock.calls.map(([o]) => o.func);
    expect(sent).toEqual(readCloudbaserc().functions);
  });

  it('is idempotent: a second deploy keeps the collection and sets the same rules', async () => {
    const calls: string[] = [];
    const existing = new Set<string>();
    const run = () =>
      deploy({ env: ENV, build: async () => undefined, manager: () => fakeCloud(calls, {}, existing), log: quiet });
    await run();
    await run();
    expect(calls.filter((c) => c.startsWith('create'))).toEqual([
      `create ${USERS_COLLECTION}`,
      `create ${USERS_COLLECTION} (exists)`,
    ]);
    expect(new Set(calls.filter((c) => c.startsWith('rule'))).size).toBe(1);
    expect(new Set(calls.filter((c) => c.startsWith('storage'))).size).toBe(1);
  });

  it('reads .env files like tcb does', () => {
    expect(parseEnvFile('# comment\nENV_ID=abc-123\nexport OTHER="x y"\n')).toEqual({
      ENV_ID: 'abc-123',
      OTHER: 'x y',
    });
  });
});

describe('a function that does not deploy', () => {
  const [first, second, ...rest] = functionNames();

  it('stops the run, naming the function and the platform reason; later functions are not deployed', async () => {
    const calls: string[] = [];
    const error = await failureOf(
      deployWith(calls, {
        createFunction: async (func) => {
          if (func.name === second) throw apiError('InvalidParameterValue.Runtime', 'Runtime 不支持');
        },
      }),
    );
    expect(error).toBeInstanceOf(DeployError);
    expect(error.message).toContain(second);
    expect(error.message).toContain('InvalidParameterValue.Runtime');
    expect(error.message).toContain('Runtime 不支持');
    expect(error.message).toMatch(new RegExp(`已部署.*${first}`));
    expectBilingual(error.message);
    for (const name of rest) expect(calls.join('\n')).not.toContain(`deploy ${name}`);
  });

  it('is caught by reading it back: a function the platform left UpdateFailed fails the run', async () => {
    const error = await failureOf(
      deployWith([], {
        detail: (func) =>
          func.name === first
            ? { Status: 'UpdateFailed', StatusReasons: [{ ErrorCode: 'CodeTooLarge', ErrorMessage: '代码包过大' }] }
            : {},
      }),
    );
    expect(error).toBeInstanceOf(DeployError);
    expect(error.message).toContain(first);
    expect(error.message).toContain('UpdateFailed');
    expect(error.message).toContain('代码包过大');
    expectBilingual(error.message);
  });

  it('is caught by reading it back: settings that differ from cloudbaserc.json fail the run', async () => {
    // SCF cannot change the runtime of an existing function: an update keeps the old one.
    const error = await failureOf(deployWith([], { detail: () => ({ Runtime: 'Nodejs16.13' }) }));
    expect(error.message).toContain(first);
    expect(error.message).toContain('Nodejs16.13');
    expect(error.message).toMatch(/runtime/i);
  });

  it('is caught by reading it back: an environment variable of cloudbaserc.json missing in the cloud fails the run', async () => {
    const withVariables = readCloudbaserc().functions.find((f) => Object.keys(f.envVariables ?? {}).length > 0)!;
    const [name] = Object.keys(withVariables.envVariables!);
    const error = await failureOf(deployWith([], { detail: () => ({ Environment: { Variables: [] } }) }));
    expect(error.message).toContain(withVariables.name);
    expect(error.message).toContain(name);
  });
});

describe('credentials: the API key of .env for everything, checked once before any change', () => {
  it.each([
    ['AuthFailure.SecretIdNotFound', 'The SecretId is not found'],
    ['AuthFailure.SignatureFailure', 'The provided credentials could not be validated'],
  ])('a refused key (%s) stops before the build with a bilingual message', async (code, text) => {
    const calls: string[] = [];
    const error = await failureOf(deployWith(calls, { envInfo: async () => Promise.reject(apiError(code, text)) }));
    expect(calls).toEqual(['check credentials']);
    expect(error).toBeInstanceOf(DeployError);
    expect(error.message).toContain('TENCENTCLOUD_SECRETID');
    expect(error.message).toContain(code);
    expect(error.message).toMatch(/未做任何改动[\s\S]*Nothing was changed/);
    expectBilingual(error.message);
  });

  it('an environment the key cannot see names ENV_ID', async () => {
    const calls: string[] = [];
    const error = await failureOf(
      deployWith(calls, { envInfo: async () => Promise.reject(apiError('ResourceNotFound', 'env not exist')) }),
    );
    expect(calls).toEqual(['check credentials']);
    expect(error.message).toContain('prod-1a2b');
    expect(error.message).toContain('ENV_ID');
  });

  it('an answer without the environment names ENV_ID', async () => {
    const error = await failureOf(deployWith([], { envInfo: async () => ({ EnvInfo: null }) }));
    expect(error.message).toContain('ENV_ID');
  });

  it('no network: names the network, not the key', async () => {
    const calls: string[] = [];
    const failure = await realNetworkFailure();
    const error = await failureOf(deployWith(calls, { envInfo: async () => Promise.reject(failure) }));
    expect(calls).toEqual(['check credentials']);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).toMatch(/网络[\s\S]*network/);
    expect(error.message).not.toContain('[object Object]');
  });
});

describe('npm run deploy -- --rules-only (for functions uploaded from WeChat DevTools)', () => {
  it('checks the key, creates the collection and applies the database and storage rules; no build, no function', async () => {
    const calls: string[] = [];
    await deployWith(calls, {}, ['--rules-only']);
    expect(calls).toEqual([
      'check credentials',
      `create ${USERS_COLLECTION}`,
      `rule ${USERS_COLLECTION} CUSTOM ${JSON.stringify(DATABASE_RULE)}`,
      `storage CUSTOM ${JSON.stringify(STORAGE_RULE)}`,
    ]);
  });

  it('refuses an unknown option before doing anything', async () => {
    const calls: string[] = [];
    const error = await failureOf(deployWith(calls, {}, ['--rule-only']));
    expect(error.message).toContain('--rule-only');
    expect(error.message).toContain('--rules-only');
    expect(calls).toEqual([]);
  });
});

describe('a failure while applying the rules', () => {
  it.each([
    ['the collection', 'createCollection'],
    ['the database rule', 'modifyPermission'],
    ['the storage rule', 'setStorageAcl'],
  ] as const)('on %s answers what failed, the likely cause and what to run again', async (_step, faulty) => {
    const failure = await realNetworkFailure();
    const calls: string[] = [];
    const options: FakeCloudOptions = { [faulty]: async () => Promise.reject(failure) };
    const error = await failureOf(deployWith(calls, options));
    expect(error).toBeInstanceOf(DeployError);
    expect(error.message).toMatch(/安全规则[\s\S]*security rule/);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).toContain('npm run deploy -- --rules-only');
    expect(error.message).not.toContain('[object Object]');
    expectBilingual(error.message);
    expect(calls.some((c) => c.startsWith('deploy '))).toBe(false);
  });

  it('an API error answer keeps its code and text', async () => {
    const error = await failureOf(
      deployWith([], {
        setStorageAcl: async () => Promise.reject(apiError('UnauthorizedOperation', 'CAM 鉴权失败')),
      }),
    );
    expect(error.message).toContain('UnauthorizedOperation');
    expect(error.message).toContain('CAM 鉴权失败');
    expect(error.message).toMatch(/存储|storage/);
  });
});

/** A stand-in for the Tencent Cloud API (`tcb` service) that @cloudbase/manager-node reaches by TCB_BASE_URL. */
async function fakeCloudApi(answer: (action: string) => object = () => ({})) {
  const requests: { action: string; body: Record<string, unknown> }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const action = String(req.headers['x-tc-action']);
      requests.push({ action, body: JSON.parse(body || '{}') });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ Response: { RequestId: 'req-1', ...answer(action) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const actions = () => requests.map((r) => r.action);
  return { url, requests, actions, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** What DescribeEnvInfo answers for an environment that exists. */
const ENV_INFO = {
  EnvInfo: {
    EnvBaseInfo: {
      EnvId: 'prod-1a2b',
      Databases: [{ InstanceId: 'tnt-1', Region: 'ap-shanghai', Status: 'RUNNING' }],
      Storages: [{ Bucket: 'prod-1a2b-1300000000', Region: 'ap-shanghai' }],
    },
  },
};

/** `node scripts/deploy.js` as a user runs it, with a home folder of its own (no tcb login, no .env). */
function runDeployScript(env: Record<string, string>, args: string[] = []) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-home-'));
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(TENCENTCLOUD_|TCB_|ENV_ID$|https?_proxy$)/i.test(key)),
  );
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'deploy.js'), ...args], {
      cwd: ROOT,
      env: { ...clean, HOME: home, USERPROFILE: home, TENCENTCLOUD_SESSIONTOKEN: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => {
      fs.rmSync(home, { recursive: true, force: true });
      resolve({ status, stdout, stderr });
    });
  });
}

describe('scripts/deploy.js as a command (real @cloudbase/manager-node)', () => {
  it('wrong keys: exits non-zero with the credential message, no stack, nothing changed', async () => {
    const api = await fakeCloudApi(() => ({
      Error: { Code: 'AuthFailure.SecretIdNotFound', Message: 'The SecretId is not found.' },
    }));
    try {
      const run = await runDeployScript({ ENV_ID: 'prod-1a2b', ...CREDENTIALS, TCB_BASE_URL: api.url });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('TENCENTCLOUD_SECRETID');
      expect(run.stderr).toContain('AuthFailure.SecretIdNotFound');
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(api.actions()).toEqual(['DescribeEnvInfo']);
    } finally {
      await api.close();
    }
  }, 30_000);

  it('no network: exits non-zero naming the network, without a raw stack', async () => {
    const proxy = `http://127.0.0.1:${await closedPort()}`;
    const run = await runDeployScript({ ENV_ID: 'prod-1a2b', ...CREDENTIALS, http_proxy: proxy }, ['--rules-only']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('ECONNREFUSED');
    expect(run.stderr).toMatch(/网络[\s\S]*network/);
    expect(run.stderr).not.toMatch(/\n\s+at |CloudBaseError|FetchError/);
  }, 30_000);

  it('--rules-only creates the missing collection and applies both committed rules, exit 0', async () => {
    const api = await fakeCloudApi((action) => {
      if (action === 'DescribeEnvInfo') return ENV_INFO;
      if (action === 'DescribeTable') return { Error: { Code: 'ResourceNotFound', Message: 'table not exist' } };
      return {};
    });
    try {
      const run = await runDeployScript({ ENV_ID: 'prod-1a2b', ...CREDENTIALS, TCB_BASE_URL: api.url }, [
        '--rules-only',
      ]);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const sent = (action: string) => api.requests.find((r) => r.action === action)?.body;
      expect(sent('CreateTable')).toMatchObject({ EnvId: 'prod-1a2b', TableName: USERS_COLLECTION });
      expect(sent('ModifyResourcePermission')).toMatchObject({
        EnvId: 'prod-1a2b',
        ResourceType: 'collection',
        Resource: USERS_COLLECTION,
        Permission: 'CUSTOM',
        SecurityRule: JSON.stringify(DATABASE_RULE),
      });
      expect(sent('ModifyStorageSafeRule')).toMatchObject({
        EnvId: 'prod-1a2b',
        Bucket: 'prod-1a2b-1300000000',
        AclTag: 'CUSTOM',
        Rule: JSON.stringify(STORAGE_RULE),
      });
      expect(api.actions().filter((a) => /Function/.test(a))).toEqual([]);
    } finally {
      await api.close();
    }
  }, 30_000);

  it('a rule the platform refuses: exits non-zero saying what failed and what to run again, no stack', async () => {
    const api = await fakeCloudApi((action) => {
      if (action === 'DescribeEnvInfo') return ENV_INFO;
      if (action === 'ModifyStorageSafeRule') {
        return { Error: { Code: 'FailedOperation', Message: 'storage rule update failed' } };
      }
      return {};
    });
    try {
      const run = await runDeployScript({ ENV_ID: 'prod-1a2b', ...CREDENTIALS, TCB_BASE_URL: api.url }, [
        '--rules-only',
      ]);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/云存储[\s\S]*cloud storage/);
      expect(run.stderr).toContain('FailedOperation');
      expect(run.stderr).toContain('npm run deploy -- --rules-only');
      expect(run.stderr).not.toMatch(/\n\s+at |CloudBaseError/);
    } finally {
      await api.close();
    }
  }, 30_000);
});

describe('tcb 2.12.10, the CLI deploy no longer trusts', () => {
  // Run not logged in, in a home and project of its own, with every endpoint pointing at a closed
  // port: it never sees the developer's login and cannot open a browser for its device login.
  it('answers exit 0 when `fn deploy` failed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcb-'));
    const home = path.join(dir, 'home');
    const project = path.join(dir, 'project');
    fs.mkdirSync(home);
    fs.mkdirSync(path.join(project, 'cloudfunctions', 'login'), { recursive: true });
    fs.writeFileSync(path.join(project, 'cloudfunctions', 'login', 'index.js'), 'exports.main = async () => 1;\n');
    fs.writeFileSync(
      path.join(project, 'cloudbaserc.json'),
      JSON.stringify({
        version: '2.0',
        envId: 'prod-1a2b',
        functionRoot: 'cloudfunctions',
        functions: [{ name: 'login', handler: 'index.main', runtime: 'Nodejs18.15', installDependency: false }],
      }),
    );
    const closed = `http://127.0.0.1:${await closedPort()}`;
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !/^(TENCENTCLOUD_|TCB_|https?_proxy$)/i.test(key)),
    );
    const tcb = path.join(ROOT, 'node_modules', '@cloudbase', 'cli', 'bin', 'tcb');
    try {
      const run = spawnSync(process.execPath, [tcb, 'fn', 'deploy', 'login', '--force'], {
        cwd: project,
        env: {
          ...clean,
          HOME: home,
          USERPROFILE: home,
          TCB_OAUTH_ENDPOINT: closed,
          http_proxy: closed,
          https_proxy: closed,
          ...CREDENTIALS,
        },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.stdout + run.stderr).toContain('[login] 函数部署失败');
      expect(run.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('cloudbaserc.json', () => {
  const rc = JSON.parse(fs.readFileSync(path.join(ROOT, 'cloudbaserc.json'), 'utf8'));
  it('is version 2.0 with the env id from .env and the built folder as function root', () => {
    expect(rc).toMatchObject({ version: '2.0', envId: '{{env.ENV_ID}}', functionRoot: 'cloudfunctions' });
  });

  it('sets runtime (Node.js 18.15+), handler and timeout for every function, and lists every source', () => {
    for (const fn of rc.functions) {
      expect(fn).toMatchObject({ handler: 'index.main', timeout: expect.any(Number) });
      const [major, minor] = /^Nodejs(\d+)\.(\d+)$/.exec(fn.runtime)!.slice(1).map(Number);
      expect(major * 100 + minor).toBeGreaterThanOrEqual(1815);
    }
    const sources = fs
      .readdirSync(path.join(ROOT, 'cloud', 'functions'))
      .filter((f) => f.endsWith('.ts') && !f.includes('.test.'))
      .map((f) => f.replace(/\.ts$/, ''));
    expect(rc.functions.map((fn: { name: string }) => fn.name).sort()).toEqual(sources.sort());
  });
});

describe('committed security rules', () => {
  it('database: a client reads only its own users record and writes nothing', () => {
    const rules = JSON.parse(fs.readFileSync(path.join(ROOT, 'database', 'security-rules.json'), 'utf8'));
    expect(rules[USERS_COLLECTION]).toEqual(DATABASE_RULE);
  });

  it('storage: a client reads and writes only the files it uploaded', () => {
    const rule = JSON.parse(fs.readFileSync(path.join(ROOT, 'storage', 'security-rules.json'), 'utf8'));
    expect(rule).toEqual(STORAGE_RULE);
  });
});

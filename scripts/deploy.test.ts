import * as fs from 'fs';
import * as path from 'path';

interface FakeManager {
  database: { createCollectionIfNotExists: jest.Mock };
  permission: { modifyResourcePermission: jest.Mock };
}
type Deploy = (o: {
  env: Record<string, string | undefined>;
  build: () => Promise<unknown>;
  tcb: (args: string[]) => void;
  manager?: (o: object) => FakeManager;
  log: (m: string) => void;
}) => Promise<void>;

const { deploy } = require('./deploy') as { deploy: Deploy };
const { parseEnvFile } = require('./lib/env-file') as { parseEnvFile: (t: string) => Record<string, string> };
const { functionNames } = require('./lib/project') as { functionNames: () => string[] };

const ROOT = path.resolve(__dirname, '..');
const hasEnvFile = ['.env', '.env.local'].some((f) => fs.existsSync(path.join(ROOT, f)));
const CREDENTIALS = { TENCENTCLOUD_SECRETID: 'AKIDtest', TENCENTCLOUD_SECRETKEY: 'secret' };

function fakeManager(calls: string[], existing = new Set<string>()): FakeManager {
  return {
    database: {
      createCollectionIfNotExists: jest.fn(async (name: string) => {
        calls.push(`create ${name}${existing.has(name) ? ' (exists)' : ''}`);
        existing.add(name);
        return { IsCreated: true, ExistsResult: { Exists: true } };
      }),
    },
    permission: {
      modifyResourcePermission: jest.fn(async (o: { resource: string; permission: string; securityRule: string }) => {
        calls.push(`rule ${o.resource} ${o.permission} ${o.securityRule}`);
        return { Data: { Success: true } };
      }),
    },
  };
}

describe('npm run deploy', () => {
  (hasEnvFile ? it.skip : it)(
    'stops with a clear message before changing anything without ENV_ID or credentials',
    async () => {
      const build = jest.fn(async () => undefined);
      const tcb = jest.fn();
      const manager = jest.fn();
      const quiet = () => undefined;
      await expect(deploy({ env: { ...CREDENTIALS }, build, tcb, manager, log: quiet })).rejects.toThrow(/ENV_ID/);
      await expect(
        deploy({ env: { ENV_ID: 'your-env-id', ...CREDENTIALS }, build, tcb, manager, log: quiet }),
      ).rejects.toThrow(/ENV_ID/);
      await expect(deploy({ env: { ENV_ID: 'prod-1a2b' }, build, tcb, manager, log: quiet })).rejects.toThrow(
        /TENCENTCLOUD_SECRETID/,
      );
      expect(build).not.toHaveBeenCalled();
      expect(tcb).not.toHaveBeenCalled();
      expect(manager).not.toHaveBeenCalled();
    },
  );

  it('builds, deploys every function with tcb --force, then creates users and applies its rule', async () => {
    const calls: string[] = [];
    let managerConfig: object | undefined;
    await deploy({
      env: { ENV_ID: 'prod-1a2b', ...CREDENTIALS },
      build: async () => calls.push('build'),
      tcb: (args) => calls.push(`tcb ${args.join(' ')}`),
      manager: (config) => ((managerConfig = config), fakeManager(calls)),
      log: () => undefined,
    });
    expect(managerConfig).toMatchObject({ envId: 'prod-1a2b', secretId: 'AKIDtest', secretKey: 'secret' });
    expect(calls).toEqual([
      'build',
      ...functionNames().map((name) => `tcb fn deploy ${name} --force`),
      'create users',
      'rule users CUSTOM {"read":"doc._openid == auth.openid","write":false}',
    ]);
  });

  it('is idempotent: a second deploy keeps the collection and sets the same rule', async () => {
    const calls: string[] = [];
    const existing = new Set<string>();
    const run = () =>
      deploy({
        env: { ENV_ID: 'prod-1a2b', ...CREDENTIALS },
        build: async () => undefined,
        tcb: () => undefined,
        manager: () => fakeManager(calls, existing),
        log: () => undefined,
      });
    await run();
    await run();
    expect(calls.filter((c) => c.startsWith('create'))).toEqual(['create users', 'create users (exists)']);
    expect(new Set(calls.filter((c) => c.startsWith('rule'))).size).toBe(1);
  });

  it('reads .env files like tcb does', () => {
    expect(parseEnvFile('# comment\nENV_ID=abc-123\nexport OTHER="x y"\n')).toEqual({
      ENV_ID: 'abc-123',
      OTHER: 'x y',
    });
  });
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

describe('database/security-rules.json', () => {
  it('lets a client read only its own users record and write nothing', () => {
    const rules = JSON.parse(fs.readFileSync(path.join(ROOT, 'database', 'security-rules.json'), 'utf8'));
    expect(rules.users).toEqual({ read: 'doc._openid == auth.openid', write: false });
  });
});

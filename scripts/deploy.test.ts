import * as fs from 'fs';
import * as path from 'path';

const { deploy } = require('./deploy') as {
  deploy: (o: {
    env: Record<string, string | undefined>;
    build: () => Promise<unknown>;
    tcb: (args: string[]) => void;
    log: (m: string) => void;
  }) => Promise<void>;
};
const { parseEnvFile } = require('./lib/env-file') as { parseEnvFile: (t: string) => Record<string, string> };

const ROOT = path.resolve(__dirname, '..');
const hasEnvFile = ['.env', '.env.local'].some((f) => fs.existsSync(path.join(ROOT, f)));

describe('npm run deploy', () => {
  (hasEnvFile ? it.skip : it)(
    'stops with a clear message before building or calling tcb when ENV_ID is missing',
    async () => {
      const build = jest.fn(async () => undefined);
      const tcb = jest.fn();
      await expect(deploy({ env: {}, build, tcb, log: () => undefined })).rejects.toThrow(/ENV_ID/);
      await expect(deploy({ env: { ENV_ID: 'your-env-id' }, build, tcb, log: () => undefined })).rejects.toThrow(
        /ENV_ID/,
      );
      expect(build).not.toHaveBeenCalled();
      expect(tcb).not.toHaveBeenCalled();
    },
  );

  it('builds, then deploys every function of cloudbaserc.json with tcb --force', async () => {
    const calls: string[] = [];
    await deploy({
      env: { ENV_ID: 'prod-1a2b' },
      build: async () => calls.push('build'),
      tcb: (args) => calls.push(`tcb ${args.join(' ')}`),
      log: () => undefined,
    });
    expect(calls).toEqual(['build', 'tcb fn deploy login --force', 'tcb fn deploy saveProfile --force']);
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

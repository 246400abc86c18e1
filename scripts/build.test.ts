/**
 * The deployable output: built into a temp folder, then run in a fresh node process with the
 * bundled (trimmed, lazily loaded) wx-server-sdk, identity from WX_* variables and only the
 * database swapped for the double. Proves the bundle works without node_modules.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const { buildFunctions, SDK_FILE } = require('./build') as {
  buildFunctions: (o: { outRoot: string }) => Promise<string[]>;
  SDK_FILE: string;
};
const { buildDoubleBundle } = require('./lib/double-bundle') as { buildDoubleBundle: (f: string) => Promise<string> };
const { functionNames } = require('./lib/project') as { functionNames: () => string[] };

jest.setTimeout(60_000);

let tmp: string;
let dirs: string[];
let double: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'build-test-'));
  dirs = await buildFunctions({ outRoot: path.join(tmp, 'cloudfunctions') });
  double = await buildDoubleBundle(path.join(tmp, 'double.js'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(dir: string, request: object) {
  const file = path.join(tmp, 'request.json');
  fs.writeFileSync(file, JSON.stringify(request));
  const runner = path.join(__dirname, 'lib', 'run-built-function.js');
  // cwd outside the repository: nothing can come from the project's node_modules.
  const out = execFileSync(process.execPath, [runner, dir, path.join(dir, SDK_FILE), double, file], {
    cwd: tmp,
    encoding: 'utf8',
  });
  return JSON.parse(out) as { answers: unknown[] };
}

it('builds one JavaScript folder per function of cloudbaserc.json, with no TypeScript in it', () => {
  expect(dirs.map((d) => path.basename(d))).toEqual(functionNames());
  for (const dir of dirs) {
    const files = fs.readdirSync(dir);
    expect(files).toEqual(expect.arrayContaining(['index.js', 'package.json', SDK_FILE]));
    expect(files.filter((f) => !f.endsWith('.js') && f !== 'package.json')).toEqual([]);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).dependencies).toBeUndefined();
  }
});

it('runs the built login with the bundled SDK reading identity from WX_* variables', () => {
  const { answers } = run(path.join(tmp, 'cloudfunctions', 'login'), {
    context: { OPENID: 'oBuilt000000000000000000001', APPID: 'wxbuilt00000000000', UNIONID: 'uBuilt' },
    calls: [{ openid: 'oForged' }, {}],
  });
  expect(answers).toEqual([
    {
      ok: true,
      data: {
        openid: 'oBuilt000000000000000000001',
        appid: 'wxbuilt00000000000',
        unionid: 'uBuilt',
        isNewUser: true,
        profile: null,
      },
    },
    { ok: true, data: expect.objectContaining({ isNewUser: false }) },
  ]);
});

it('runs the built saveProfile, and the lazily loaded SDK parts load from their own files', () => {
  const env = 'built-env-1a2b';
  const openid = 'oBuilt000000000000000000001';
  const seed = {
    _id: openid,
    _openid: openid,
    appid: 'wxbuilt00000000000',
    unionid: null,
    loginCount: 1,
    profile: null,
  };
  const avatarFileID = `cloud://${env}.7465-${env}-1300000000/avatars/${openid}/1.png`;
  const { answers } = run(path.join(tmp, 'cloudfunctions', 'saveProfile'), {
    context: { OPENID: openid, APPID: 'wxbuilt00000000000', ENV: env },
    seedUsers: [seed],
    seedFiles: [avatarFileID],
    calls: [{ nickName: '小明', avatarFileID }],
  });
  expect(answers[0]).toEqual({
    ok: true,
    data: { profile: expect.objectContaining({ nickName: '小明', source: 'chooseAvatar' }) },
  });
  const dir = path.join(tmp, 'cloudfunctions', 'saveProfile');
  const probe = `
    const sdk = require(${JSON.stringify(path.join(dir, SDK_FILE))});
    sdk.init({ env: sdk.DYNAMIC_CURRENT_ENV });
    const db = sdk.database();
    const ok = typeof db.collection('users').doc('x').update === 'function' && typeof db.command.inc(1) === 'object';
    const mime = require(${JSON.stringify(path.join(dir, `${path.basename(SDK_FILE, '.js')}.mime-types.js`))});
    process.stdout.write(JSON.stringify({ ok, png: mime.lookup('a.png'), storage: typeof sdk.uploadFile }));`;
  expect(JSON.parse(execFileSync(process.execPath, ['-e', probe], { cwd: tmp, encoding: 'utf8' }))).toEqual({
    ok: true,
    png: 'image/png',
    storage: 'function',
  });
});

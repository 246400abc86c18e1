/**
 * Exports and imports: what a running emulator writes with POST /emulator/export loads into a
 * fresh data folder with every document (ids, dates, nested values) and every stored file as
 * they were; a folder of CloudBase console export files loads; a newer export format, a
 * non-empty data folder and a folder that is not an export are refused, changing nothing.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import { importJsonLines } from '../engine/admin';
import { encodeDocument } from '../engine/codec';
import { loadImport } from '../data-io';
import { startTestCloud, storedDocuments, tempDataDir, type TestCloud } from './harness';

const ALICE = { openid: 'oAlice0000000000000000000001', unionid: 'uAlice' };

let scratch: string;
const clouds: TestCloud[] = [];
beforeEach(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'data-io-test-'));
});
afterEach(async () => {
  for (const cloud of clouds.splice(0)) await cloud.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function start(dataDir?: string): Promise<TestCloud> {
  const cloud = await startTestCloud(dataDir ? { dataDir } : {});
  clouds.push(cloud);
  return cloud;
}

const exportTo = (cloud: TestCloud, dir: string, headers: Record<string, string> = {}) =>
  cloud.post('/emulator/export', JSON.stringify({ dir }), headers);

const THINGS = [
  { _id: 7, when: new Date('2018-08-31T17:30:00.882Z'), nested: { list: [1, 'two', { at: new Date(0) }], none: null } },
  { _id: 'text-id', old: new Date(-86_400_000), deep: { a: { b: { c: [[true, false]] } } }, nan: Number.NaN, pi: 3.14 },
  { _id: '7', label: 'a string 7 is not the number 7', emoji: '微信用户 😀' },
];
const EVERY_BYTE = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7) % 256));

async function fill(cloud: TestCloud): Promise<void> {
  await cloud.call('login', {}, ALICE);
  const upload = await cloud.upload(ALICE.openid, `avatars/${ALICE.openid}/1.png`, EVERY_BYTE);
  const avatarFileID = (upload.body as { fileID: string }).fileID;
  const saved = await cloud.call('saveProfile', { nickName: '小红', avatarFileID }, ALICE);
  expect(saved.body).toMatchObject({ ok: true });
  await cloud.upload('oBob', 'deep/er/folder/file.bin', Buffer.from('second file'));
  const lines = THINGS.map((doc) => `${encodeDocument(doc)}\n`);
  await importJsonLines(cloud.server.runtime.db, 'things', Readable.from(lines), { create: true });
}

const byText = (docs: Array<Record<string, unknown>>) => docs.map((doc) => encodeDocument(doc)).sort();

it('round trip: every document and every stored file comes back as it was', async () => {
  const first = await start();
  await fill(first);
  const dir = path.join(scratch, 'export');
  const answer = await exportTo(first, dir);
  expect(answer.status).toBe(200);
  await first.stop();
  const users = await storedDocuments(first.dataDir, 'users');
  const things = await storedDocuments(first.dataDir, 'things');
  expect(things).toHaveLength(3);

  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  expect(manifest).toMatchObject({ format: 'wx-cloud-login/emulator-export', version: '1.0', storage: { files: 2 } });
  // The console's JSON import format: one document per line, dates as {"$date": ISO}.
  const lines = readFileSync(path.join(dir, 'database', 'things.json'), 'utf8')
    .trim()
    .split('\n');
  expect(lines).toHaveLength(3);
  expect(lines.some((line) => line.includes('"when":{"$date":"2018-08-31T17:30:00.882Z"}'))).toBe(true);

  const dataDir = path.join(scratch, 'imported');
  await loadImport(dir, dataDir);
  expect(byText(await storedDocuments(dataDir, 'users'))).toEqual(byText(users));
  expect(byText(await storedDocuments(dataDir, 'things'))).toEqual(byText(things));
  const second = await start(dataDir);
  const login = await second.call('login', {}, ALICE);
  expect(login.body).toMatchObject({
    ok: true,
    data: { isNewUser: false, unionid: 'uAlice', profile: { nickName: '小红' } },
  });
  const avatar = await fetch(`${second.url}/storage/files/avatars/${ALICE.openid}/1.png`);
  expect(Buffer.from(await avatar.arrayBuffer()).equals(EVERY_BYTE)).toBe(true);
  const other = await fetch(`${second.url}/storage/files/deep/er/folder/file.bin`);
  expect(await other.text()).toBe('second file');
});

it('loads a folder of CloudBase console export files (<collection>.json, no manifest)', async () => {
  const dir = path.join(scratch, 'console');
  mkdirSync(dir);
  const record = {
    _id: ALICE.openid,
    _openid: ALICE.openid,
    appid: 'wxlocal0000000000',
    unionid: null,
    createdAt: { $date: '2023-05-01T00:00:00.000Z' },
    lastLoginAt: { $date: '2023-05-02T00:00:00.000Z' },
    loginCount: 4,
    profile: { nickName: '控制台', avatarUrl: 'https://thirdwx.qlogo.cn/mmopen/vi_32/x/132', source: 'getUserProfile' },
    avatarFiles: [],
  };
  writeFileSync(path.join(dir, 'users.json'), `${JSON.stringify(record)}\n`);
  writeFileSync(
    path.join(dir, 'todos.json'),
    '{"_id":"x","due":{"$date":"2018-08-31T17:30:00.882Z"},"tags":["a"]}\r\n',
  );
  const dataDir = path.join(scratch, 'data');
  const summary = await loadImport(dir, dataDir);
  expect(summary.collections).toEqual({ todos: 1, users: 1 });
  const todos = await storedDocuments(dataDir, 'todos');
  expect(todos[0].due).toEqual(new Date('2018-08-31T17:30:00.882Z'));
  const cloud = await start(dataDir);
  const { body } = await cloud.call('getProfile', {}, ALICE);
  expect(body).toMatchObject({ ok: true, data: { loginCount: 4, createdAt: Date.parse('2023-05-01T00:00:00.000Z') } });
});

it('refuses an export of a newer format version, saying so, and writes no data folder', async () => {
  const dir = path.join(scratch, 'future');
  mkdirSync(path.join(dir, 'database'), { recursive: true });
  writeFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify({ format: 'wx-cloud-login/emulator-export', version: '2.0', collections: [] }),
  );
  const dataDir = path.join(scratch, 'data');
  await expect(loadImport(dir, dataDir)).rejects.toThrow(/format 2\.0, newer than this emulator reads \(1\.x\)/);
  expect(existsSync(dataDir)).toBe(false);
});

it('accepts a newer minor version (fields it does not know are ignored)', async () => {
  const dir = path.join(scratch, 'minor');
  mkdirSync(path.join(dir, 'database'), { recursive: true });
  writeFileSync(path.join(dir, 'database', 'notes.json'), '{"_id":"n1"}\n');
  writeFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify({
      format: 'wx-cloud-login/emulator-export',
      version: '1.7',
      futureField: { anything: true },
      collections: [{ name: 'notes', file: 'database/notes.json', count: 1 }],
    }),
  );
  const summary = await loadImport(dir, path.join(scratch, 'data'));
  expect(summary.collections).toEqual({ notes: 1 });
});

it('refuses a data folder that is not empty, and a missing import folder', async () => {
  const dataDir = tempDataDir();
  writeFileSync(path.join(dataDir, 'keep.txt'), 'mine');
  try {
    const dir = path.join(scratch, 'console');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'notes.json'), '{"_id":"n1"}\n');
    await expect(loadImport(dir, dataDir)).rejects.toThrow(/is not empty: add --reset/);
    expect(readFileSync(path.join(dataDir, 'keep.txt'), 'utf8')).toBe('mine');
    await expect(loadImport(path.join(scratch, 'nowhere'), path.join(scratch, 'd'))).rejects.toThrow(/does not exist/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

it('a damaged export (a line cut short, a count that differs) loads nothing', async () => {
  const cloud = await start();
  await fill(cloud);
  const dir = path.join(scratch, 'export');
  expect((await exportTo(cloud, dir)).status).toBe(200);
  const file = path.join(dir, 'database', 'things.json');
  writeFileSync(file, readFileSync(file, 'utf8').split('\n').slice(0, 2).join('\n'));
  const dataDir = path.join(scratch, 'data');
  await expect(loadImport(dir, dataDir)).rejects.toThrow(/things\.json/);
  expect(existsSync(dataDir)).toBe(false);
});

it('export: replaces an earlier export, never a folder of other files; web pages are refused', async () => {
  const cloud = await start();
  await cloud.call('login', {}, ALICE);
  const dir = path.join(scratch, 'export');
  expect((await exportTo(cloud, dir)).status).toBe(200);
  await cloud.call('login', {}, { openid: 'oBob0000000000000000000000001' });
  expect((await exportTo(cloud, dir)).status).toBe(200);
  expect(
    readFileSync(path.join(dir, 'database', 'users.json'), 'utf8')
      .trim()
      .split('\n'),
  ).toHaveLength(2);

  const mine = path.join(scratch, 'mine');
  mkdirSync(mine);
  writeFileSync(path.join(mine, 'notes.txt'), 'keep me');
  const refused = await exportTo(cloud, mine);
  expect(refused.status).toBe(409);
  expect(refused.body).toEqual({ error: expect.stringMatching(/not empty and holds no emulator export/) });
  expect(readFileSync(path.join(mine, 'notes.txt'), 'utf8')).toBe('keep me');

  const page = await exportTo(cloud, path.join(scratch, 'page'), { Origin: 'https://evil.example' });
  expect(page.status).toBe(403);
  expect(existsSync(path.join(scratch, 'page'))).toBe(false);
  const text = await exportTo(cloud, path.join(scratch, 'text'), { 'Content-Type': 'text/plain' });
  expect(text.status).toBe(415);
});

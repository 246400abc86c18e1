/**
 * The console's admin API over HTTP, on an emulator running the project's built functions.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startTestCloud, type TestCloud } from '../e2e/harness';
import type { CallRecord, CallSummary } from './activity';

const OPENID = 'oConsoleUser000000000000001';

let cloud: TestCloud;
beforeAll(async () => {
  cloud = await startTestCloud();
});
afterAll(() => cloud.close());

const get = async (route: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${cloud.url}/emulator/admin/${route}`, { headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const post = (route: string, body: unknown, headers: Record<string, string> = {}) =>
  cloud.post(`/emulator/admin/${route}`, JSON.stringify(body), headers) as Promise<{
    status: number;
    body: Record<string, unknown>;
  }>;

describe('who may call it', () => {
  it('refuses a foreign Origin, on reads and on writes, and changes nothing', async () => {
    const before = await post('database', { op: 'browse', collection: 'users' });
    expect((await get('overview', { Origin: 'https://evil.example' })).status).toBe(403);
    const write = await post('database', { op: 'clear', collection: 'users' }, { Origin: 'http://127.0.0.1:1' });
    expect(write.status).toBe(403);
    expect((await post('database', { op: 'browse', collection: 'users' })).body.total).toBe(before.body.total);
  });

  it('accepts the emulator’s own origin', async () => {
    expect((await get('overview', { Origin: cloud.url })).status).toBe(200);
  });

  it('refuses a write that is not JSON (what a cross-site form sends)', async () => {
    const response = await fetch(`${cloud.url}/emulator/admin/database`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify({ op: 'clear', collection: 'users' }),
    });
    expect(response.status).toBe(415);
  });

  it('refuses a foreign Host (DNS rebinding)', async () => {
    const { request } = await import('http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${cloud.url}/emulator/admin/overview`, { headers: { Host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });
});

describe('requests', () => {
  it('shows a login with the SDK operations it made and its result', async () => {
    const login = await cloud.call('login', {}, { openid: OPENID });
    expect(login.status).toBe(200);
    const { body } = await get('requests');
    const calls = body.calls as CallSummary[];
    const call = calls.find((c) => c.functionName === 'login' && c.openid === OPENID)!;
    expect(call).toMatchObject({ status: 'ok', source: 'wx_client' });
    expect(call.durationMs).toBeGreaterThan(0);
    const detail = (await get(`requests/${call.requestId}`)).body as unknown as CallRecord;
    expect(detail.operations.length).toBeGreaterThan(0);
    expect(detail.operations.every((o) => o.code === 'OK')).toBe(true);
    expect(detail.operations.some((o) => o.action.startsWith('database.') && o.collection === 'users')).toBe(true);
    const overview = (await get('overview')).body;
    expect(overview.functions).toEqual(expect.arrayContaining(['login', 'getProfile']));
    expect(overview.recent).toEqual(expect.arrayContaining([expect.objectContaining({ requestId: call.requestId })]));
  });

  it('shows a failed call with its platform code', async () => {
    const added = await cloud.post(
      '/emulator/faults',
      JSON.stringify({ op: 'add', fault: { action: 'database.getDocument', times: 1, error: { code: 'SYS_ERR' } } }),
    );
    expect(added.status).toBe(200);
    await cloud.call('getProfile', {}, { openid: OPENID });
    const calls = (await get('requests')).body.calls as CallSummary[];
    const detail = (await get(`requests/${calls[0].requestId}`)).body as unknown as CallRecord;
    expect(detail.functionName).toBe('getProfile');
    expect(detail.operations.find((o) => o.action === 'database.getDocument')?.code).toBe('SYS_ERR');
  });

  it('answers 404 for a call it does not keep', async () => {
    expect((await get('requests/nope')).status).toBe(404);
  });
});

describe('database', () => {
  it('adds, browses with a query, replaces, deletes and clears documents', async () => {
    const collection = 'users';
    const added = await post('database', {
      op: 'add',
      collection,
      document: { _id: 'oAdded', nick: 'a', at: { $date: '2024-01-02T03:04:05.000Z' } },
    });
    expect(added).toMatchObject({ status: 200, body: { id: 'oAdded' } });
    const found = await post('database', { op: 'browse', collection, query: { nick: 'a' } });
    expect(found.body).toEqual({
      total: 1,
      documents: [{ _id: 'oAdded', nick: 'a', at: { $date: '2024-01-02T03:04:05.000Z' } }],
    });
    const replaced = await post('database', { op: 'replace', collection, id: 'oAdded', document: { nick: 'b' } });
    expect(replaced.body).toEqual({ matched: 1, updated: 1 });
    const changedId = await post('database', { op: 'replace', collection, id: 'oAdded', document: { _id: 'x' } });
    expect(changedId.status).toBe(400);
    expect((await post('database', { op: 'browse', collection, query: { _id: 'oAdded' } })).body.documents).toEqual([
      { _id: 'oAdded', nick: 'b' },
    ]);
    expect((await post('database', { op: 'delete', collection, id: 'oAdded' })).body).toEqual({ deleted: 1 });
    expect((await post('database', { op: 'browse', collection: 'nope' })).status).toBe(404);
    expect((await post('database', { op: 'browse', collection, limit: 1000 })).status).toBe(400);
    await post('database', { op: 'add', collection, document: { nick: 'c' } });
    const cleared = await post('database', { op: 'clear', collection });
    expect(cleared.body.deleted).toBeGreaterThan(0);
    expect((await post('database', { op: 'browse', collection })).body.total).toBe(0);
    const listed = (await get('collections')).body.collections as { name: string; count: number }[];
    expect(listed).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'users', count: 0 })]));
  });
});

describe('storage and users', () => {
  it('lists an uploaded avatar with a preview URL, shows it on its user, deletes it', async () => {
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    const uploaded = await cloud.upload(OPENID, `avatars/${OPENID}/a.png`, png);
    expect(uploaded.status).toBe(200);
    const { fileID } = uploaded.body as { fileID: string };
    const listed = await post('storage', { op: 'list', prefix: 'avatars/' });
    const files = listed.body.files as { fileID: string; url: string; contentType: string }[];
    const file = files.find((f) => f.fileID === fileID)!;
    expect(file.contentType).toBe('image/png');
    const served = await fetch(`${cloud.url}${file.url}`);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(png);

    await post('database', {
      op: 'add',
      collection: 'users',
      document: { _id: OPENID, profile: { nickName: '小明', avatarUrl: fileID }, phone: null },
    });
    const users = (await get('users')).body.users as Record<string, unknown>[];
    expect(users.find((u) => u.openid === OPENID)).toMatchObject({ nickName: '小明', avatarPreview: file.url });

    expect((await post('storage', { op: 'delete', fileID })).body).toEqual({ deleted: true });
    expect((await fetch(`${cloud.url}${file.url}`)).status).toBe(404);
    expect((await post('storage', { op: 'delete', fileID: '../x' })).status).toBe(400);
  });
});

describe('the console page', () => {
  let dist: string;
  beforeAll(() => {
    dist = mkdtempSync(path.join(os.tmpdir(), 'console-dist-'));
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>控制台</title>');
    writeFileSync(path.join(dist, 'assets', 'app-1a2b.js'), 'console.log(1)');
  });
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  it('serves files of the folder with their types and caching, and nothing outside it', async () => {
    const { serveConsole } = await import('./static-files');
    const http = await import('http');
    const server = http.createServer((req, res) => {
      serveConsole(req, res, (req.url ?? '/').split('?')[0], dist).catch((error: { status?: number }) => {
        res.writeHead(error.status ?? 500);
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const index = await fetch(`${base}/console/`);
      expect(index.status).toBe(200);
      expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(index.headers.get('cache-control')).toBe('no-cache');
      expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
      const asset = await fetch(`${base}/console/assets/app-1a2b.js`);
      expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(asset.headers.get('cache-control')).toContain('immutable');
      expect((await fetch(`${base}/console`, { redirect: 'manual' })).status).toBe(308);
      // Sent as is (fetch would resolve the dot segments itself).
      const raw = (rawPath: string) =>
        new Promise<number>((resolve, reject) => {
          const req = http.request(`${base}/`, { path: rawPath }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on('error', reject);
          req.end();
        });
      for (const attempt of [
        '/console/../package.json',
        '/console/%2e%2e/package.json',
        '/console/..%2fpackage.json',
        '/console/a%5c..%5cb',
        '/console/%00',
      ]) {
        expect(await raw(attempt)).toBe(403);
      }
      expect((await fetch(`${base}/console/missing.js`)).status).toBe(404);
    } finally {
      server.close();
    }
  });
});

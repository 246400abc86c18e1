/**
 * A web page open in the developer's browser must not drive the local cloud: no cross-site form
 * post, no foreign Origin, no DNS rebinding (a foreign Host), while the mini program's own
 * requests (wx.request / wx.uploadFile from the DevTools simulator, curl) keep working.
 */
import * as http from 'http';
import { startTestCloud, type TestCloud } from './harness';

const ALICE = { openid: 'oAlice0000000000000000000001' };
const PNG = Buffer.from('89504e470d0a1a0a', 'hex');
/** What the DevTools simulator sends with wx.request (observed: no Origin header). */
const SIMULATOR = {
  Referer: 'https://servicewechat.com/wx0123456789abcdef/devtools/page-frame.html',
  'User-Agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 15_0 like Mac OS X) wechatdevtools/1.06.2401020 webview/',
};

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

/** One request with exactly these headers (fetch would not let a test set Host); Host "" sends none. */
function send(
  cloud: TestCloud,
  method: string,
  route: string,
  headers: Record<string, string>,
  body?: Buffer | string,
): Promise<Answer> {
  const { Host, ...rest } = headers;
  const options = Host === '' ? { method, headers: rest, setHost: false } : { method, headers };
  return new Promise((resolve, reject) => {
    const request = http.request(`${cloud.url}${route}`, options, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // Not JSON: keep the text.
        }
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: parsed });
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

const loginBody = JSON.stringify({ data: {}, caller: ALICE });
const host = (cloud: TestCloud) => `127.0.0.1:${cloud.server.port}`;
const message = (answer: Answer) => (answer.body as { error?: unknown }).error;

/** A multipart body as a form or wx.uploadFile sends it. */
function multipart(fields: Record<string, string>, file: Buffer): { body: Buffer; type: string } {
  const boundary = '----localcloudtest';
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  const body = Buffer.concat([
    Buffer.from(parts.join('')),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

/** Whether Alice's record exists: a JSON login answers isNewUser for a user never seen. */
async function aliceWasCreated(cloud: TestCloud): Promise<boolean> {
  const { body } = await cloud.call('login', {}, ALICE);
  return !(body as { data: { isNewUser: boolean } }).data.isNewUser;
}

let cloud: TestCloud;
beforeEach(async () => {
  cloud = await startTestCloud();
});
afterEach(() => cloud.close());

describe('a cross-site form post', () => {
  it.each(['text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', ''])(
    'with content type "%s" is refused with 415 on /functions and changes nothing',
    async (type) => {
      const headers: Record<string, string> = { Host: host(cloud) };
      if (type) headers['Content-Type'] = type;
      const answer = await send(cloud, 'POST', '/functions/login', headers, loginBody);
      expect(answer.status).toBe(415);
      expect(message(answer)).toMatch(/application\/json/);
      expect(await aliceWasCreated(cloud)).toBe(false);
    },
  );

  it('is refused with 415 on /open-data/cloud-id', async () => {
    const body = JSON.stringify({ caller: ALICE, data: { nickName: 'x', avatarUrl: '', gender: 0 } });
    const answer = await send(cloud, 'POST', '/open-data/cloud-id', { 'Content-Type': 'text/plain' }, body);
    expect(answer.status).toBe(415);
  });

  it('is refused with 415 on /open-data/phone-code', async () => {
    const body = JSON.stringify({ caller: ALICE, phoneNumber: '13812345678' });
    const answer = await send(cloud, 'POST', '/open-data/phone-code', { 'Content-Type': 'text/plain' }, body);
    expect(answer.status).toBe(415);
  });

  it('to /storage/upload (multipart, no custom header) is refused with 403 and stores nothing', async () => {
    const path = `avatars/${ALICE.openid}/1.png`;
    const form = multipart({ cloudPath: path, openid: ALICE.openid }, PNG);
    const answer = await send(cloud, 'POST', '/storage/upload', { 'Content-Type': form.type }, form.body);
    expect(answer.status).toBe(403);
    expect(message(answer)).toMatch(/X-Local-Cloud/);
    expect((await send(cloud, 'GET', `/storage/files/${path}`, {})).status).toBe(404);
  });
});

describe('a foreign Origin', () => {
  it.each(['http://evil.example', 'null', `http://127.0.0.1:1`, 'https://servicewechat.com.evil.example'])(
    'is refused with 403 (%s) and changes nothing',
    async (origin) => {
      const answer = await send(
        cloud,
        'POST',
        '/functions/login',
        { 'Content-Type': 'application/json', Origin: origin },
        loginBody,
      );
      expect(answer.status).toBe(403);
      expect(message(answer)).toMatch(/origin/i);
      expect(cloud.logs).toContainEqual({
        level: 'warn',
        record: { event: 'request-refused', reason: 'origin', origin },
      });
      expect(JSON.stringify(cloud.logs)).not.toContain(ALICE.openid);
      expect(await aliceWasCreated(cloud)).toBe(false);
    },
  );

  it('is refused on an upload even with the custom header', async () => {
    const path = `avatars/${ALICE.openid}/2.png`;
    const form = multipart({ cloudPath: path, openid: ALICE.openid }, PNG);
    const headers = { 'Content-Type': form.type, 'X-Local-Cloud': '1', Origin: 'http://evil.example' };
    expect((await send(cloud, 'POST', '/storage/upload', headers, form.body)).status).toBe(403);
    expect((await send(cloud, 'GET', `/storage/files/${path}`, {})).status).toBe(404);
  });

  it('gets its CORS preflight refused, and an allowed one answered', async () => {
    const preflight = (origin: string) =>
      send(cloud, 'OPTIONS', '/functions/login', {
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      });
    const refused = await preflight('http://evil.example');
    expect(refused.status).toBe(403);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    const own = await preflight(`http://localhost:${cloud.server.port}`);
    expect(own.status).toBe(204);
    expect(own.headers['access-control-allow-origin']).toBe(`http://localhost:${cloud.server.port}`);
  });

  it('is accepted once configured, with CORS headers on the answer', async () => {
    await cloud.close();
    cloud = await startTestCloud({ config: { allowedOrigins: ['http://localhost:5173'] } });
    const answer = await send(
      cloud,
      'POST',
      '/functions/login',
      { 'Content-Type': 'application/json', Origin: 'http://localhost:5173' },
      loginBody,
    );
    expect(answer.status).toBe(200);
    expect(answer.headers['access-control-allow-origin']).toBe('http://localhost:5173');
  });
});

describe('DNS rebinding (a foreign Host)', () => {
  it.each(['evil.example', 'localhost.evil.example', '127.0.0.1.nip.io', 'LOCALHOST.', 'localhost:1'])(
    'is refused with 403 for Host "%s" and changes nothing',
    async (hostName) => {
      const value = hostName.includes(':') ? hostName : `${hostName}:${cloud.server.port}`;
      const answer = await send(
        cloud,
        'POST',
        '/functions/login',
        { 'Content-Type': 'application/json', Host: value },
        loginBody,
      );
      expect(answer.status).toBe(403);
      expect(message(answer)).toMatch(/host/i);
      expect(await aliceWasCreated(cloud)).toBe(false);
    },
  );

  it('refuses a request without Host (Node answers 400 itself)', async () => {
    const answer = await send(
      cloud,
      'POST',
      '/functions/login',
      { 'Content-Type': 'application/json', Host: '' },
      loginBody,
    );
    expect(answer.status).toBe(400);
    expect(await aliceWasCreated(cloud)).toBe(false);
  });

  it('cannot read stored files or health either', async () => {
    const path = `avatars/${ALICE.openid}/3.png`;
    expect((await cloud.upload(ALICE.openid, path, PNG)).status).toBe(200);
    const foreign = { Host: `evil.example:${cloud.server.port}` };
    expect((await send(cloud, 'GET', `/storage/files/${path}`, foreign)).status).toBe(403);
    expect((await send(cloud, 'GET', '/health', foreign)).status).toBe(403);
  });
});

describe('requests of the mini program and of curl', () => {
  it.each([
    ['the simulator (no Origin)', { ...SIMULATOR }],
    ['the simulator, if it sends its page-frame origin', { ...SIMULATOR, Origin: 'https://servicewechat.com' }],
    ['curl on localhost', { Host: 'localhost:PORT' }],
    ['curl on [::1] (Host only)', { Host: '[::1]:PORT' }],
    ['a charset parameter', { 'Content-Type': 'application/json; charset=UTF-8' }],
    ['the own origin', { Origin: 'http://127.0.0.1:PORT' }],
  ])('work: %s', async (_, extra: Record<string, string>) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    for (const [name, value] of Object.entries(extra)) headers[name] = value.replace('PORT', String(cloud.server.port));
    const answer = await send(cloud, 'POST', '/functions/login', headers, loginBody);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ ok: true, data: { openid: ALICE.openid, isNewUser: true } });
  });

  it('uploads with the custom header (what the mini program sends) or the WeChat Referer', async () => {
    const proofs: Array<Record<string, string>> = [{ 'x-local-cloud': '1' }, { Referer: SIMULATOR.Referer }];
    for (const [i, extra] of proofs.entries()) {
      const path = `avatars/${ALICE.openid}/ok${i}.png`;
      const form = multipart({ cloudPath: path, openid: ALICE.openid }, PNG);
      const answer = await send(cloud, 'POST', '/storage/upload', { 'Content-Type': form.type, ...extra }, form.body);
      expect(answer.status).toBe(200);
      expect((await send(cloud, 'GET', `/storage/files/${path}`, {})).status).toBe(200);
    }
  });

  it('show avatars to an <image> (a GET without Origin)', async () => {
    const path = `avatars/${ALICE.openid}/4.png`;
    expect((await cloud.upload(ALICE.openid, path, PNG)).status).toBe(200);
    const answer = await send(cloud, 'GET', `/storage/files/${path}`, { Referer: SIMULATOR.Referer });
    expect(answer.status).toBe(200);
  });
});

describe('caller ids that cannot be openids', () => {
  it.each([
    [{ openid: '007' }, /caller\.openid/],
    [{ openid: '7' }, /caller\.openid/],
    [{ openid: '-42' }, /caller\.openid/],
    [{ openid: '_oAlice' }, /caller\.openid/],
    [{ openid: ALICE.openid, unionid: '0042' }, /caller\.unionid/],
  ])('are refused with 400 naming the field: %j', async (caller, field) => {
    const answer = await cloud.call('login', {}, caller);
    expect(answer.status).toBe(400);
    expect((answer.body as { error: string }).error).toMatch(field);
    const mint = await cloud.post('/open-data/cloud-id', JSON.stringify({ caller, data: {} }));
    expect(mint.status).toBe(400);
    expect((mint.body as { error: string }).error).toMatch(field);
  });

  it('keep "007" and "7" from ever being one account', async () => {
    expect((await cloud.call('login', {}, { openid: '007' })).status).toBe(400);
    expect((await cloud.call('login', {}, { openid: '7' })).status).toBe(400);
  });

  it('are refused as an upload owner', async () => {
    const answer = await cloud.upload('007', 'avatars/007/1.png', PNG);
    expect(answer.status).toBe(400);
    expect((answer.body as { error: string }).error).toMatch(/openid/);
  });
});

describe("the emulator's own routes (mounted before the guard, which they do without)", () => {
  it("refuse a web page on the platform API, and anyone without this run's credential", async () => {
    const body = JSON.stringify({ action: 'database.getDocument', collectionName: 'users', envName: 'local-env' });
    const json = { 'Content-Type': 'application/json' };
    const page = await send(cloud, 'POST', '/tcb/api', { ...json, Origin: 'http://evil.example' }, body);
    expect(page.status).toBe(403);
    const rebound = await send(cloud, 'POST', '/tcb/api', { ...json, Host: 'evil.example:80' }, body);
    expect(rebound.status).toBe(403);
    const guessed = await send(
      cloud,
      'POST',
      '/tcb/api',
      { ...json, Authorization: 'TC3-HMAC-SHA256 Credential=AKIDguess/x' },
      body,
    );
    expect(guessed.status).toBe(401);
  });

  it('refuse a foreign web page on /emulator/faults: no fault is added', async () => {
    const fault = JSON.stringify({ op: 'add', fault: { action: 'database.getDocument', error: { code: 'SYS_ERR' } } });
    const json = { 'Content-Type': 'application/json' };
    expect(
      (await send(cloud, 'POST', '/emulator/faults', { ...json, Origin: 'http://evil.example' }, fault)).status,
    ).toBe(403);
    expect((await send(cloud, 'POST', '/emulator/faults', { ...json, Host: 'evil.example:80' }, fault)).status).toBe(
      403,
    );
    expect((await cloud.post('/emulator/faults', JSON.stringify({ op: 'list' }))).body).toEqual({ faults: [] });
    expect(await cloud.call('login', {}, ALICE)).toMatchObject({ status: 200, body: { ok: true } });
  });
});

/** login end to end: over HTTP, through the built function on the real SDK, into the emulator's database. */
import { APPID, startTestCloud, storedDocuments, type TestCloud } from './harness';

const ALICE = { openid: 'oAlice0000000000000000000001' };

let cloud: TestCloud;
beforeEach(async () => {
  cloud = await startTestCloud();
});
afterEach(() => cloud.close());

describe('login through the local cloud', () => {
  it('creates a new user on first login', async () => {
    const { status, body } = await cloud.call('login', {}, ALICE);
    expect(status).toBe(200);
    expect(body).toEqual({
      ok: true,
      data: { openid: ALICE.openid, appid: APPID, unionid: null, isNewUser: true, profile: null },
    });
  });

  it('recognises a returning user and counts the logins', async () => {
    await cloud.call('login', {}, ALICE);
    const { body } = await cloud.call('login', {}, { ...ALICE, unionid: 'uAlice' });
    expect(body).toEqual({
      ok: true,
      data: { openid: ALICE.openid, appid: APPID, unionid: 'uAlice', isNewUser: false, profile: null },
    });
    await cloud.stop();
    const users = await storedDocuments(cloud.dataDir, 'users');
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({
      _id: ALICE.openid,
      _openid: ALICE.openid,
      loginCount: 2,
      unionid: 'uAlice',
    });
  });

  it('takes identity from the caller only, never from the data', async () => {
    const { body } = await cloud.call('login', { openid: 'oForged', userInfo: { openId: 'oForged' } }, ALICE);
    expect(body).toMatchObject({ ok: true, data: { openid: ALICE.openid } });
  });

  it('leaves exactly one record after 50 concurrent first logins of one user', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, () => cloud.call('login', {}, ALICE)));
    expect(answers.every((a) => a.status === 200 && (a.body as { ok: boolean }).ok)).toBe(true);
    const newUsers = answers.filter((a) => (a.body as { data: { isNewUser: boolean } }).data.isNewUser);
    expect(newUsers).toHaveLength(1);
    await cloud.stop();
    const users = await storedDocuments(cloud.dataDir, 'users');
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ _id: ALICE.openid, loginCount: 50 });
  });

  it('never lets concurrent callers see each other’s identity', async () => {
    const callers = Array.from({ length: 40 }, (_, i) => ({
      openid: `oUser${String(i).padStart(23, '0')}`,
      unionid: `uUser${i}`,
    }));
    const rounds = await Promise.all(
      [...callers, ...callers, ...callers].map(async (caller) => ({
        caller,
        ...(await cloud.call('login', {}, caller)),
      })),
    );
    for (const { caller, body } of rounds) {
      expect(body).toMatchObject({ ok: true, data: { openid: caller.openid, unionid: caller.unionid, appid: APPID } });
    }
  });

  it('refuses an all-digit openid, which the SDK would turn into a number (so "007" would be "7")', async () => {
    const { status, body } = await cloud.call('login', {}, { openid: '1234567890' });
    expect(status).toBe(400);
    expect(body).toEqual({ error: expect.stringMatching(/^caller\.openid must start with a letter/) });
  });
});

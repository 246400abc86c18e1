import { USERS_COLLECTION } from '../users/user-record';
import { expectError, expectOk, useFakeCloud } from '../../testing/fake-cloud';
import { ALICE, APPID, BOB, profileOf } from '../../testing/fixtures';
import { main } from './login';

const cloud = useFakeCloud();

describe('login', () => {
  it('creates the record on first login and answers who the caller is', async () => {
    cloud()
      .withCollection(USERS_COLLECTION)
      .callAs({ ...ALICE, UNIONID: 'uAlice' });
    const data = expectOk(await main({}, {}));
    expect(data).toEqual({ openid: ALICE.OPENID, appid: APPID, unionid: 'uAlice', isNewUser: true, profile: null });
    const record = cloud().stored(USERS_COLLECTION, ALICE.OPENID);
    expect(record).toMatchObject({
      _id: ALICE.OPENID,
      _openid: ALICE.OPENID,
      appid: APPID,
      unionid: 'uAlice',
      loginCount: 1,
      profile: null,
    });
    expect(record?.createdAt).toBeInstanceOf(Date);
    expect(record?.lastLoginAt).toBeInstanceOf(Date);
  });

  it('answers unionid null when the context has none', async () => {
    cloud().withCollection(USERS_COLLECTION).callAs(ALICE);
    expect(expectOk(await main({})).unionid).toBeNull();
  });

  it('ignores every identity the event claims', async () => {
    cloud().withCollection(USERS_COLLECTION).callAs(ALICE);
    const forged = {
      openid: BOB.OPENID,
      _openid: BOB.OPENID,
      OPENID: BOB.OPENID,
      _id: BOB.OPENID,
      userInfo: { openId: BOB.OPENID, appId: 'wxforged' },
      unionid: 'uForged',
    };
    const data = expectOk(await main(forged));
    expect(data.openid).toBe(ALICE.OPENID);
    expect(data.unionid).toBeNull();
    expect(cloud().stored(USERS_COLLECTION, BOB.OPENID)).toBeUndefined();
    expect(cloud().stored(USERS_COLLECTION, ALICE.OPENID)).not.toHaveProperty('userInfo');
  });

  it('costs a returning user one write, counts logins and keeps createdAt', async () => {
    cloud().withCollection(USERS_COLLECTION).callAs(ALICE);
    await main({});
    const createdAt = cloud().stored(USERS_COLLECTION, ALICE.OPENID)?.createdAt;
    cloud().resetCounts();
    const data = expectOk(await main({}));
    expect(data.isNewUser).toBe(false);
    expect(cloud().writes).toBe(1);
    expect(cloud().reads).toBe(1);
    expect(cloud().stored(USERS_COLLECTION, ALICE.OPENID)).toMatchObject({ loginCount: 2, createdAt });
  });

  it('adds a UNIONID seen later', async () => {
    cloud().withCollection(USERS_COLLECTION).callAs(ALICE);
    await main({});
    cloud().callAs({ ...ALICE, UNIONID: 'uLater' });
    expect(expectOk(await main({})).unionid).toBe('uLater');
    expect(cloud().stored(USERS_COLLECTION, ALICE.OPENID)?.unionid).toBe('uLater');
  });

  it('answers the stored profile to a returning user', async () => {
    cloud().withCollection(USERS_COLLECTION).callAs(ALICE);
    await main({});
    const profile = profileOf('小明', 'https://thirdwx.qlogo.cn/a/132', 'getUserProfile');
    cloud().collections.get(USERS_COLLECTION)!.get(ALICE.OPENID)!.profile = profile;
    expect(expectOk(await main({})).profile).toEqual(profile);
  });

  it('never creates the users collection (-502005): answers INTERNAL and logs how to create it', async () => {
    cloud()
      .callAs({ ...ALICE, UNIONID: 'uAlice' })
      .failOn('get');
    const internal = await main({});
    const result = await main({});
    // The same envelope as any other failure: the client only learns to try again later.
    expect(result).toEqual(internal);
    expectError(result, 'INTERNAL');
    expect(cloud().counts.createCollection).toBe(0);
    expect(cloud().collections.has(USERS_COLLECTION)).toBe(false);
    const warnings = cloud().logs.filter((l) => l.record.event === 'users-collection-missing');
    expect(warnings).toEqual([
      {
        level: 'warn',
        record: expect.objectContaining({
          fn: 'login',
          hint: expect.stringContaining('npm run deploy -- --rules-only'),
        }),
      },
    ]);
    const logged = JSON.stringify(cloud().logs);
    expect(logged).not.toContain(ALICE.OPENID);
    expect(logged).not.toContain('uAlice');
  });

  it('leaves exactly one record and no error after concurrent first logins', async () => {
    cloud().withCollection(USERS_COLLECTION).callAs(ALICE);
    const results = await Promise.all(Array.from({ length: 20 }, () => main({})));
    for (const result of results) expect(result.ok).toBe(true);
    expect(results.filter((r) => r.ok && r.data.isNewUser)).toHaveLength(1);
    expect(cloud().collections.get(USERS_COLLECTION)!.size).toBe(1);
    expect(cloud().stored(USERS_COLLECTION, ALICE.OPENID)?.loginCount).toBe(20);
  });

  it('creates nothing when concurrent first logins meet a new environment', async () => {
    cloud().callAs(ALICE);
    const results = await Promise.all(Array.from({ length: 10 }, () => main({})));
    for (const result of results) expectError(result, 'INTERNAL');
    expect(cloud().counts.createCollection).toBe(0);
    expect(cloud().collections.has(USERS_COLLECTION)).toBe(false);
  });

  it('refuses a call without identity in the context', async () => {
    cloud().withCollection(USERS_COLLECTION).callAs({ APPID });
    expectError(await main({ openid: ALICE.OPENID }), 'UNAUTHENTICATED');
    expect(cloud().collections.get(USERS_COLLECTION)!.size).toBe(0);
  });

  it.each(['get', 'add'] as const)(
    'answers INTERNAL without a stack or a record when %s fails for a new user',
    async (op) => {
      cloud().withCollection(USERS_COLLECTION).callAs(ALICE).failOn(op);
      const result = await main({});
      expect(result).toEqual({ ok: false, error: { code: 'INTERNAL', message: expect.any(String) } });
      expect(JSON.stringify(result)).not.toMatch(/at .*\.ts|Error:/);
      expect(cloud().stored(USERS_COLLECTION, ALICE.OPENID)).toBeUndefined();
      expect(expectOk(await main({})).isNewUser).toBe(true);
    },
  );

  it('answers INTERNAL and keeps the record unchanged when the returning-user write fails', async () => {
    cloud().withCollection(USERS_COLLECTION).callAs(ALICE);
    await main({});
    const before = cloud().stored(USERS_COLLECTION, ALICE.OPENID);
    cloud().failOn('update');
    expectError(await main({}), 'INTERNAL');
    expect(cloud().stored(USERS_COLLECTION, ALICE.OPENID)).toEqual(before);
    expectOk(await main({}));
    expect(cloud().stored(USERS_COLLECTION, ALICE.OPENID)?.loginCount).toBe(2);
  });

  it('treats a non-object event as empty', async () => {
    cloud().withCollection(USERS_COLLECTION).callAs(ALICE);
    for (const event of [null, undefined, 'x', 42, []]) expect((await main(event)).ok).toBe(true);
  });
});

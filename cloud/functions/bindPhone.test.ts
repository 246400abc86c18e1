import { EmulatedSdkError } from '../../emulation/emulated-sdk-errors';
import { PHONE_CODE_TTL_MS } from '../../emulation/phone-codes';
import { expectError, expectOk, useFakeCloud } from '../../testing/fake-cloud';
import { ALICE, BOB } from '../../testing/fixtures';
import { ALICE_PHONE, aliceAndBob } from '../../testing/scenarios';
import { USERS_COLLECTION } from '../users/user-record';
import { main as bindPhone } from './bindPhone';
import { main as deleteAccount } from './deleteAccount';
import { main as getProfile } from './getProfile';
import { main as login } from './login';
import { main as unbindPhone } from './unbindPhone';

const cloud = useFakeCloud();

const storedPhone = () => cloud().stored(USERS_COLLECTION, ALICE.OPENID)?.phone;

async function aliceLoggedIn(): Promise<void> {
  await aliceAndBob(cloud());
  cloud().callAs(ALICE);
}

describe('bindPhone', () => {
  it('stores the number of a fresh code in one write and answers it masked', async () => {
    await aliceLoggedIn();
    const code = cloud().mintPhoneCode(ALICE.OPENID, ALICE_PHONE);
    cloud().resetCounts();
    expect(expectOk(await bindPhone({ code }))).toEqual({ maskedPhone: '138****5678' });
    expect(cloud().writes).toBe(1);
    expect(storedPhone()).toEqual({ purePhoneNumber: ALICE_PHONE, countryCode: '86', boundAt: expect.any(Date) });
    const profile = expectOk(await getProfile({}));
    expect(profile.phone).toEqual({ purePhoneNumber: ALICE_PHONE, countryCode: '86', boundAt: expect.any(Number) });
  });

  it('refuses a reused code and stores nothing more', async () => {
    await aliceLoggedIn();
    const code = cloud().mintPhoneCode(ALICE.OPENID, ALICE_PHONE);
    expectOk(await bindPhone({ code }));
    expectOk(await unbindPhone({}));
    expectError(await bindPhone({ code }), 'PHONE_CODE_INVALID');
    expect(storedPhone()).toBeUndefined();
  });

  it('refuses an expired code (5 minutes) and stores nothing', async () => {
    await aliceLoggedIn();
    const start = Date.now();
    const code = cloud().mintPhoneCode(ALICE.OPENID, ALICE_PHONE);
    cloud().now = () => start + PHONE_CODE_TTL_MS;
    expectError(await bindPhone({ code }), 'PHONE_CODE_INVALID');
    expect(storedPhone()).toBeUndefined();
  });

  it("refuses an unknown code and another user's code", async () => {
    await aliceLoggedIn();
    expectError(await bindPhone({ code: 'made-up' }), 'PHONE_CODE_INVALID');
    const bobs = cloud().mintPhoneCode(BOB.OPENID, '13900000000');
    expectError(await bindPhone({ code: bobs }), 'PHONE_CODE_INVALID');
    expect(storedPhone()).toBeUndefined();
    expect(cloud().stored(USERS_COLLECTION, BOB.OPENID)?.phone).toBeUndefined();
  });

  it.each<[Record<string, unknown>, string]>([
    [{}, 'no code'],
    [{ code: '' }, 'an empty code'],
    [{ code: 40029 }, 'a number'],
    [{ code: 'x'.repeat(257) }, 'an overlong code'],
  ])('refuses %p (%s) as INVALID_ARGUMENT without a cloud call', async (event) => {
    await aliceLoggedIn();
    cloud().resetCounts();
    expectError(await bindPhone(event), 'INVALID_ARGUMENT');
    expect(cloud().totalOperations).toBe(0);
  });

  it('refuses a number whose watermark names another mini program', async () => {
    await aliceLoggedIn();
    cloud().phoneWatermarkAppid = 'wxffffffffffffffff';
    expectError(await bindPhone({ code: cloud().mintPhoneCode(ALICE.OPENID, ALICE_PHONE) }), 'PHONE_MISMATCH');
    expect(storedPhone()).toBeUndefined();
  });

  it('answers INTERNAL when the platform fails (system busy), storing nothing', async () => {
    await aliceLoggedIn();
    cloud().failOn('getPhoneNumber', 1, new EmulatedSdkError('openapi.phonenumber.getPhoneNumber', -1, 'system error'));
    expectError(await bindPhone({ code: cloud().mintPhoneCode(ALICE.OPENID, ALICE_PHONE) }), 'INTERNAL');
    expect(storedPhone()).toBeUndefined();
  });

  it('answers NOT_FOUND before the first login', async () => {
    cloud().withCollection(USERS_COLLECTION).callAs(ALICE);
    expectError(await bindPhone({ code: cloud().mintPhoneCode(ALICE.OPENID, ALICE_PHONE) }), 'NOT_FOUND');
  });

  it('replaces a bound number with the new one', async () => {
    await aliceLoggedIn();
    expectOk(await bindPhone({ code: cloud().mintPhoneCode(ALICE.OPENID, ALICE_PHONE) }));
    expectOk(await bindPhone({ code: cloud().mintPhoneCode(ALICE.OPENID, '13900001111') }));
    expect(storedPhone()).toMatchObject({ purePhoneNumber: '13900001111' });
  });
});

describe('login', () => {
  it('answers the bound number masked, and nothing about a phone before binding', async () => {
    await aliceLoggedIn();
    expect(expectOk(await login({}))).not.toHaveProperty('maskedPhone');
    expectOk(await bindPhone({ code: cloud().mintPhoneCode(ALICE.OPENID, ALICE_PHONE) }));
    expect(expectOk(await login({})).maskedPhone).toBe('138****5678');
  });
});

describe('unbindPhone', () => {
  it('removes the number, then answers unbound: false', async () => {
    await aliceLoggedIn();
    expectOk(await bindPhone({ code: cloud().mintPhoneCode(ALICE.OPENID, ALICE_PHONE) }));
    expect(expectOk(await unbindPhone({}))).toEqual({ unbound: true });
    expect(storedPhone()).toBeUndefined();
    expect(expectOk(await getProfile({})).phone).toBeNull();
    expect(expectOk(await unbindPhone({}))).toEqual({ unbound: false });
  });
});

describe('deleteAccount', () => {
  it('deletes the number with the record', async () => {
    await aliceLoggedIn();
    expectOk(await bindPhone({ code: cloud().mintPhoneCode(ALICE.OPENID, ALICE_PHONE) }));
    expectOk(await deleteAccount({}));
    expect(cloud().stored(USERS_COLLECTION, ALICE.OPENID)).toBeUndefined();
  });
});

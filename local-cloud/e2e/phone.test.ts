/** bindPhone end to end: phone codes minted by the local cloud and redeemed by the emulated cloud call. */
import { startTestCloud, type TestCloud } from './harness';

const ALICE = { openid: 'oAlice0000000000000000000001' };
const BOB = { openid: 'oBob00000000000000000000000002' };
const PHONE = '13812345678';

let cloud: TestCloud;
beforeEach(async () => {
  cloud = await startTestCloud();
  await cloud.call('login', {}, ALICE);
});
afterEach(() => cloud.close());

async function mintPhoneCode(caller: { openid: string }, phoneNumber = PHONE): Promise<string> {
  const { status, body } = await cloud.post('/open-data/phone-code', JSON.stringify({ caller, phoneNumber }));
  if (status !== 200) throw new Error(`mint failed: ${status} ${JSON.stringify(body)}`);
  return (body as { code: string }).code;
}

const errorCode = (body: unknown) => (body as { error?: { code: string } }).error?.code;
const phoneOf = async (caller = ALICE) =>
  ((await cloud.call('getProfile', {}, caller)).body as { data: { phone: unknown } }).data.phone;

describe('bindPhone through emulated phone codes', () => {
  it('binds once per code, shows the number in getProfile, and unbinds', async () => {
    const code = await mintPhoneCode(ALICE);
    expect((await cloud.call('bindPhone', { code }, ALICE)).body).toEqual({
      ok: true,
      data: { maskedPhone: '138****5678' },
    });
    expect(await phoneOf()).toEqual({ purePhoneNumber: PHONE, countryCode: '86', boundAt: expect.any(Number) });
    expect(errorCode((await cloud.call('bindPhone', { code }, ALICE)).body)).toBe('PHONE_CODE_INVALID');
    expect((await cloud.call('unbindPhone', {}, ALICE)).body).toEqual({ ok: true, data: { unbound: true } });
    expect(await phoneOf()).toBeNull();
  });

  it("refuses an expired code and another caller's code, storing nothing", async () => {
    await cloud.call('login', {}, BOB);
    const expired = await mintPhoneCode(ALICE);
    cloud.advance(5 * 60 * 1000);
    expect(errorCode((await cloud.call('bindPhone', { code: expired }, ALICE)).body)).toBe('PHONE_CODE_INVALID');
    const alices = await mintPhoneCode(ALICE);
    expect(errorCode((await cloud.call('bindPhone', { code: alices }, BOB)).body)).toBe('PHONE_CODE_INVALID');
    expect(await phoneOf(ALICE)).toBeNull();
    expect(await phoneOf(BOB)).toBeNull();
  });

  it('refuses a mint without a valid number', async () => {
    const { status } = await cloud.post(
      '/open-data/phone-code',
      JSON.stringify({ caller: ALICE, phoneNumber: '12ab' }),
    );
    expect(status).toBe(400);
  });
});

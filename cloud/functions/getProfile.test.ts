import { USERS_COLLECTION } from '../users/user-record';
import { expectError, expectOk, useFakeCloud } from '../../testing/fake-cloud';
import { ALICE, BOB } from '../../testing/fixtures';
import { ALICE_PHONE, aliceWithStaleAvatar } from '../../testing/scenarios';
import { main as bindPhone } from './bindPhone';
import { main as getProfile } from './getProfile';

const cloud = useFakeCloud();

describe('getProfile', () => {
  it('answers everything stored about the caller, minus internal fields', async () => {
    const { second, first } = await aliceWithStaleAvatar(cloud());
    expectOk(await bindPhone({ code: cloud().mintPhoneCode(ALICE.OPENID, ALICE_PHONE) }));
    const data = expectOk(await getProfile({ openid: BOB.OPENID }));
    expect(data).toEqual({
      openid: ALICE.OPENID,
      appid: ALICE.APPID,
      unionid: 'uAlice',
      createdAt: expect.any(Number),
      lastLoginAt: expect.any(Number),
      loginCount: 1,
      profile: expect.objectContaining({ nickName: '小红', avatarUrl: second }),
      staleAvatarFiles: [first],
      phone: { purePhoneNumber: ALICE_PHONE, countryCode: '86', boundAt: expect.any(Number) },
    });
    // Every stored field is answered: the tracked avatar files as the current avatar (in
    // profile) and the replaced ones still waiting for deletion.
    const stored = cloud().stored(USERS_COLLECTION, ALICE.OPENID)!;
    expect(stored.avatarFiles).toEqual([first, second]);
    // Internal: the pending media check (its trace id is never answered to a client).
    const internal = ['_id', '_openid', 'avatarCheck'];
    const shownAs = (k: string) => (k === 'avatarFiles' ? 'staleAvatarFiles' : k);
    expect(
      Object.keys(stored)
        .filter((k) => !internal.includes(k))
        .map(shownAs)
        .sort(),
    ).toEqual(
      Object.keys(data)
        .filter((k) => k !== 'openid')
        .sort(),
    );
  });

  it('answers NOT_FOUND before the first login', async () => {
    cloud().withCollection(USERS_COLLECTION).callAs(ALICE);
    expectError(await getProfile({}), 'NOT_FOUND');
  });
});

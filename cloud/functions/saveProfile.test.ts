import { ANONYMOUS_AVATAR_PATH } from '@shared/profile';
import { avatarCloudPath } from '@shared/avatar-path';
import { USERS_COLLECTION } from '../users/user-record';
import { expectError, expectOk, useFakeCloud } from '../../testing/fake-cloud';
import {
  ALICE,
  ANONYMOUS_WECHAT_PROFILE,
  APPID,
  avatarFileID,
  BOB,
  BUCKET,
  ENV,
  unsetProfileFields,
  WECHAT_PROFILE,
} from '../../testing/fixtures';
import { PROFILE_FIELDS, RECORD_FIELDS } from '../../testing/user-state';
import { main as getProfile } from './getProfile';
import { main as login } from './login';
import { main as saveProfile } from './saveProfile';

const cloud = useFakeCloud();

async function loggedIn(caller = ALICE) {
  cloud().withCollection(USERS_COLLECTION).callAs(caller);
  expectOk(await login({}));
}

/** The event the platform hands the function after resolving `wx.cloud.CloudID(cloudID)`. */
function cloudIDEvent(cloudID: string, extra: Record<string, unknown> = {}) {
  return cloud().eventWithCloudIDs(
    { ...extra, userInfo: { openId: ALICE.OPENID, appId: APPID } },
    { profile: cloudID },
  );
}

const stored = () => cloud().stored(USERS_COLLECTION, ALICE.OPENID);

async function uploadAvatar(openid: string, timestamp: number) {
  const { fileID } = await cloud().uploadFile({
    cloudPath: avatarCloudPath(openid, timestamp, 'tmp.png'),
    fileContent: Buffer.from('png'),
  });
  return fileID;
}

describe('saveProfile, path A: CloudID open data', () => {
  it('stores the profile resolved by the platform and answers it', async () => {
    await loggedIn();
    const cloudID = cloud().mintCloudID(ALICE.OPENID, WECHAT_PROFILE);
    const { profile } = expectOk(await saveProfile(cloudIDEvent(cloudID)));
    expect(profile).toEqual({
      ...unsetProfileFields(),
      ...WECHAT_PROFILE,
      source: 'getUserProfile',
      updatedAt: expect.any(Number),
    });
    expect(stored()?.profile).toEqual(profile);
  });

  it('records the legacy getUserInfo button as the source', async () => {
    await loggedIn();
    const cloudID = cloud().mintCloudID(ALICE.OPENID, WECHAT_PROFILE);
    expect(expectOk(await saveProfile(cloudIDEvent(cloudID, { via: 'getUserInfo' }))).profile.source).toBe(
      'getUserInfo',
    );
    expectError(
      await saveProfile(cloudIDEvent(cloud().mintCloudID(ALICE.OPENID, WECHAT_PROFILE), { via: 'hack' })),
      'INVALID_ARGUMENT',
    );
  });

  it('resolves a bare cloudID string server-side with getOpenData', async () => {
    await loggedIn();
    const cloudID = cloud().mintCloudID(ALICE.OPENID, WECHAT_PROFILE);
    expect(expectOk(await saveProfile({ profile: cloudID })).profile.nickName).toBe('小明');
    expect(cloud().counts.getOpenData).toBe(1);
  });

  it('never stores a forged { cloudID, data } object that the platform did not fill', async () => {
    await loggedIn();
    const forged = {
      cloudID: 'fake',
      data: { ...WECHAT_PROFILE, nickName: '黑客', watermark: { appid: APPID, timestamp: 1 } },
    };
    expectError(await saveProfile({ profile: forged }), 'OPEN_DATA_UNVERIFIED');
    // Listed under another key does not help either.
    cloud().callAs({ ...ALICE, OPEN_DATA_INFO: JSON.stringify({ keys: ['other'] }) });
    expectError(await saveProfile({ profile: forged }), 'OPEN_DATA_UNVERIFIED');
    expect(stored()?.profile).toBeNull();
  });

  it('refuses open data watermarked for another mini program', async () => {
    await loggedIn();
    cloud().callAs({ ...ALICE, OPEN_DATA_INFO: JSON.stringify({ keys: ['profile'] }) });
    const other = { cloudID: 'x', data: { ...WECHAT_PROFILE, watermark: { appid: 'wxOTHERAPP', timestamp: 1 } } };
    expectError(await saveProfile({ profile: other }), 'OPEN_DATA_UNVERIFIED');
    const noWatermark = { cloudID: 'x', data: { ...WECHAT_PROFILE } };
    expectError(await saveProfile({ profile: noWatermark }), 'OPEN_DATA_UNVERIFIED');
    expect(stored()?.profile).toBeNull();
  });

  it('answers CLOUD_ID_EXPIRED for a cloudID older than 5 minutes', async () => {
    await loggedIn();
    const cloudID = cloud().mintCloudID(ALICE.OPENID, WECHAT_PROFILE);
    const start = Date.now();
    cloud().now = () => start + 5 * 60 * 1000 + 1;
    expectError(await saveProfile(cloudIDEvent(cloudID)), 'CLOUD_ID_EXPIRED');
    expectError(await saveProfile({ profile: cloudID }), 'CLOUD_ID_EXPIRED');
    expect(stored()?.profile).toBeNull();
  });

  it('answers CLOUD_ID_INVALID for an unknown cloudID', async () => {
    await loggedIn();
    expectError(await saveProfile(cloudIDEvent('nonexistent')), 'CLOUD_ID_INVALID');
    expectError(await saveProfile({ profile: 'nonexistent' }), 'CLOUD_ID_INVALID');
    expectError(await saveProfile({ profile: 'bad id with spaces' }), 'CLOUD_ID_INVALID');
    expect(cloud().writes).toBe(1); // the login only
  });

  it("answers CLOUD_ID_MISMATCH for another user's cloudID", async () => {
    await loggedIn();
    const bobs = cloud().mintCloudID(BOB.OPENID, { ...WECHAT_PROFILE, nickName: 'Bob' });
    expectError(await saveProfile(cloudIDEvent(bobs)), 'CLOUD_ID_MISMATCH');
    expect(stored()?.profile).toBeNull();
  });

  it('answers ANONYMOUS_PROFILE for the gray-avatar 微信用户 data and writes nothing', async () => {
    await loggedIn();
    const anonymous = ANONYMOUS_WECHAT_PROFILE;
    cloud().resetCounts();
    expectError(await saveProfile(cloudIDEvent(cloud().mintCloudID(ALICE.OPENID, anonymous))), 'ANONYMOUS_PROFILE');
    const otherSize = { ...anonymous, avatarUrl: `https://thirdwx.qlogo.cn${ANONYMOUS_AVATAR_PATH}/0` };
    expectError(await saveProfile(cloudIDEvent(cloud().mintCloudID(ALICE.OPENID, otherSize))), 'ANONYMOUS_PROFILE');
    expect(cloud().writes).toBe(0);
  });

  it('stores only whitelisted fields whatever the open data and the event carry', async () => {
    await loggedIn();
    const extra = { ...WECHAT_PROFILE, openId: 'oEvil', _openid: 'oEvil', isAdmin: true, nested: { deep: 1 } };
    const event = cloudIDEvent(cloud().mintCloudID(ALICE.OPENID, extra), {
      isAdmin: true,
      _id: BOB.OPENID,
      loginCount: 999,
    });
    expectOk(await saveProfile(event));
    expect(Object.keys(stored()!).sort()).toEqual(RECORD_FIELDS);
    expect(Object.keys(stored()!.profile as object).sort()).toEqual(PROFILE_FIELDS);
    expect(stored()).toMatchObject({ _openid: ALICE.OPENID, loginCount: 1 });
    expect(cloud().stored(USERS_COLLECTION, BOB.OPENID)).toBeUndefined();
  });

  it('rejects a wrong-typed profile field', async () => {
    await loggedIn();
    for (const profile of [null, 42, ['a'], true]) expectError(await saveProfile({ profile }), 'INVALID_ARGUMENT');
  });
});

describe('saveProfile, path B: avatar/nickname fill-in', () => {
  it('stores the trimmed nickname and the uploaded avatar fileID', async () => {
    await loggedIn();
    const avatarFileID = await uploadAvatar(ALICE.OPENID, 1700000000000);
    const { profile } = expectOk(await saveProfile({ nickName: '  小红  ', avatarFileID }));
    // Every field of the profile table that the fill-in does not set is stored unset.
    expect(profile).toEqual({
      ...unsetProfileFields(),
      nickName: '小红',
      avatarUrl: avatarFileID,
      source: 'chooseAvatar',
      updatedAt: expect.any(Number),
    });
    expect(stored()?.profile).toEqual(profile);
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['overlong', '长'.repeat(33)],
    ['control characters', 'a\u0000b'],
    ['a newline', 'a\nb'],
    ['a bidi override', 'abc\u202Edef'],
    ['a number', 123],
    ['an object', { toString: 'x' }],
  ])('rejects a nickname that is %s', async (_, nickName) => {
    await loggedIn();
    const avatarFileID = await uploadAvatar(ALICE.OPENID, 1);
    expectError(await saveProfile({ nickName, avatarFileID }), 'INVALID_ARGUMENT');
    expect(stored()?.profile).toBeNull();
  });

  it('accepts 32 characters, emoji counted as one', async () => {
    await loggedIn();
    const avatarFileID = await uploadAvatar(ALICE.OPENID, 1);
    expectOk(await saveProfile({ nickName: '😀'.repeat(32), avatarFileID }));
  });

  it.each([
    ['another user', () => avatarFileID('1.png', BOB.OPENID)],
    ['another environment', () => `cloud://other-env-9z.7465-other-1300000000/avatars/${ALICE.OPENID}/1.png`],
    ['outside the avatar folder', () => `cloud://${ENV}.${BUCKET}/uploads/${ALICE.OPENID}/1.png`],
    ['a path traversal', () => `cloud://${ENV}.${BUCKET}/avatars/${ALICE.OPENID}/../${BOB.OPENID}/1.png`],
    ['an https URL', () => 'https://example.com/a.png'],
    ['a temp file path', () => 'http://tmp/wx123.png'],
    ['not a string', () => 42],
  ])('rejects an avatar fileID of %s', async (_, fileID) => {
    await loggedIn();
    expectError(await saveProfile({ nickName: '小红', avatarFileID: fileID() }), 'INVALID_ARGUMENT');
    expect(stored()?.profile).toBeNull();
  });

  it('refuses an avatar fileID that was never uploaded, and stores nothing', async () => {
    await loggedIn();
    const before = stored();
    const neverUploaded = avatarFileID('1700000000000.png');
    expectError(await saveProfile({ nickName: '小红', avatarFileID: neverUploaded }), 'INVALID_ARGUMENT');
    expect(stored()).toEqual(before);
  });

  it('refuses a fileID of a foreign bucket that only shares the environment id', async () => {
    await loggedIn();
    const ours = await uploadAvatar(ALICE.OPENID, 1);
    const foreign = ours.replace(`.${BUCKET}/`, '.7465-test-env-1a2b3c-1399999999/');
    expect(foreign).not.toBe(ours);
    const before = stored();
    expectError(await saveProfile({ nickName: '小红', avatarFileID: foreign }), 'INVALID_ARGUMENT');
    expect(stored()).toEqual(before);
  });

  it('answers INTERNAL and stores nothing when the upload cannot be checked', async () => {
    await loggedIn();
    const avatarFileID = await uploadAvatar(ALICE.OPENID, 1);
    const before = stored();
    cloud().failOn('getTempFileURL');
    expectError(await saveProfile({ nickName: '小红', avatarFileID }), 'INTERNAL');
    expect(stored()).toEqual(before);
  });

  it("deletes the user's previous uploaded avatar when it is replaced", async () => {
    await loggedIn();
    const first = await uploadAvatar(ALICE.OPENID, 1);
    const second = await uploadAvatar(ALICE.OPENID, 2);
    expectOk(await saveProfile({ nickName: '小红', avatarFileID: first }));
    expectOk(await saveProfile({ nickName: '小红', avatarFileID: second }));
    expect(cloud().files.has(first)).toBe(false);
    expect(cloud().files.has(second)).toBe(true);
    // Saving the same avatar again keeps it.
    expectOk(await saveProfile({ nickName: '小红2', avatarFileID: second }));
    expect(cloud().files.has(second)).toBe(true);
  });

  it('refuses to bring back a replaced avatar that is waiting for deletion', async () => {
    await loggedIn();
    const first = await uploadAvatar(ALICE.OPENID, 1);
    const second = await uploadAvatar(ALICE.OPENID, 2);
    expectOk(await saveProfile({ nickName: '小红', avatarFileID: first }));
    cloud().failOn('deleteFile');
    expectOk(await saveProfile({ nickName: '小红', avatarFileID: second }));
    expectError(await saveProfile({ nickName: '小红', avatarFileID: first }), 'INVALID_ARGUMENT');
    expect((stored()?.profile as { avatarUrl: string }).avatarUrl).toBe(second);
  });

  it('moves the avatars of a record of the previous version into the tracked list and deletes them', async () => {
    await loggedIn();
    const first = await uploadAvatar(ALICE.OPENID, 1);
    const stale = await uploadAvatar(ALICE.OPENID, 2);
    expectOk(await saveProfile({ nickName: '小红', avatarFileID: first }));
    const legacy = cloud().collections.get(USERS_COLLECTION)!.get(ALICE.OPENID)!;
    delete legacy.avatarFiles;
    legacy.staleAvatarFiles = [stale];
    const next = await uploadAvatar(ALICE.OPENID, 3);
    expectOk(await saveProfile({ nickName: '小红', avatarFileID: next }));
    expect([...cloud().files.keys()].filter((f) => f.includes(ALICE.OPENID))).toEqual([next]);
    expect(stored()).toMatchObject({ avatarFiles: [next], staleAvatarFiles: [] });
  });

  it('deletes the uploaded avatar when the user switches to their WeChat profile', async () => {
    await loggedIn();
    const uploaded = await uploadAvatar(ALICE.OPENID, 1);
    expectOk(await saveProfile({ nickName: '小红', avatarFileID: uploaded }));
    expectOk(await saveProfile(cloudIDEvent(cloud().mintCloudID(ALICE.OPENID, WECHAT_PROFILE))));
    expect(cloud().files.has(uploaded)).toBe(false);
  });

  it('still saves when deleting the old avatar fails, and logs no personal data', async () => {
    await loggedIn();
    const first = await uploadAvatar(ALICE.OPENID, 1);
    const second = await uploadAvatar(ALICE.OPENID, 2);
    expectOk(await saveProfile({ nickName: '小红', avatarFileID: first }));
    cloud().failOn('deleteFile');
    expectOk(await saveProfile({ nickName: '小红', avatarFileID: second }));
    expect((stored()?.profile as { avatarUrl: string }).avatarUrl).toBe(second);
    const logged = JSON.stringify(cloud().logs);
    expect(logged).toContain('old-avatar-not-deleted');
    for (const secret of [ALICE.OPENID, first, '小红']) expect(logged).not.toContain(secret);
    // The file that could not be deleted is remembered, and deleted on the next save.
    expect(expectOk(await getProfile({})).staleAvatarFiles).toEqual([first]);
    const third = await uploadAvatar(ALICE.OPENID, 3);
    expectOk(await saveProfile({ nickName: '小红', avatarFileID: third }));
    expect(cloud().files.has(first)).toBe(false);
    expect(cloud().files.has(second)).toBe(false);
    expect(expectOk(await getProfile({})).staleAvatarFiles).toEqual([]);
  });

  it('keeps a replaced avatar remembered when its deletion fails with a message that merely contains 404', async () => {
    await loggedIn();
    const first = await uploadAvatar(ALICE.OPENID, 1);
    const second = await uploadAvatar(ALICE.OPENID, 2);
    expectOk(await saveProfile({ nickName: '小红', avatarFileID: first }));
    cloud().failDeletionOf(first, -501001, 'storage request fail, requestId 7f404e2c-0a1b');
    expectOk(await saveProfile({ nickName: '小红', avatarFileID: second }));
    expect(cloud().files.has(first)).toBe(true);
    expect(expectOk(await getProfile({})).staleAvatarFiles).toEqual([first]);
    // Retried, and forgotten only once storage confirms it is gone.
    const third = await uploadAvatar(ALICE.OPENID, 3);
    expectOk(await saveProfile({ nickName: '小红', avatarFileID: third }));
    expect(cloud().files.has(first)).toBe(false);
    expect(expectOk(await getProfile({})).staleAvatarFiles).toEqual([]);
  });

  it('counts a replaced avatar that storage reports as not existing (-503003) as deleted', async () => {
    await loggedIn();
    const first = await uploadAvatar(ALICE.OPENID, 1);
    const second = await uploadAvatar(ALICE.OPENID, 2);
    expectOk(await saveProfile({ nickName: '小红', avatarFileID: first }));
    cloud().files.delete(first);
    expectOk(await saveProfile({ nickName: '小红', avatarFileID: second }));
    expect(expectOk(await getProfile({})).staleAvatarFiles).toEqual([]);
  });
});

describe('saveProfile, request shape and failures', () => {
  it('rejects both paths at once, and neither', async () => {
    await loggedIn();
    const avatarFileID = await uploadAvatar(ALICE.OPENID, 1);
    expectError(await saveProfile({ profile: 'cid', nickName: 'x', avatarFileID }), 'INVALID_ARGUMENT');
    expectError(await saveProfile({}), 'INVALID_ARGUMENT');
    expectError(await saveProfile({ userInfo: { openId: ALICE.OPENID } }), 'INVALID_ARGUMENT');
  });

  it('names the refused field of the request, and touches nothing before deciding', async () => {
    await loggedIn();
    const avatarFileID = await uploadAvatar(ALICE.OPENID, 1);
    cloud().resetCounts();
    const refusals: Array<[Record<string, unknown>, string]> = [
      [{ nickName: '', avatarFileID }, 'nickName'],
      [{ nickName: '\u3164', avatarFileID }, 'nickName'],
      [{ nickName: '小红', avatarFileID: 42 }, 'avatarFileID'],
      [{ nickName: '小红' }, 'avatarFileID'],
      [{ profile: 42 }, 'profile'],
      [{ profile: 'cid', via: 'hack' }, 'via'],
    ];
    for (const [event, field] of refusals) {
      const answer = await saveProfile(event);
      expect({ event, answer }).toEqual({
        event,
        answer: { ok: false, error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(`^${field} `) } },
      });
    }
    expect(cloud().totalOperations).toBe(0);
  });

  it('answers NOT_FOUND before the first login and creates nothing', async () => {
    cloud().withCollection(USERS_COLLECTION).callAs(ALICE);
    const avatarFileID = await uploadAvatar(ALICE.OPENID, 1);
    expectError(await saveProfile({ nickName: '小红', avatarFileID }), 'NOT_FOUND');
    expect(cloud().collections.get(USERS_COLLECTION)!.size).toBe(0);
    // Refused, so no record will ever point at it: the upload is not left behind.
    expect(cloud().files.has(avatarFileID)).toBe(false);
  });

  it.each(['get', 'update'] as const)('leaves the record untouched when %s fails, and a retry succeeds', async (op) => {
    await loggedIn();
    const avatarFileID = await uploadAvatar(ALICE.OPENID, 1);
    const before = stored();
    cloud().failOn(op);
    expectError(await saveProfile({ nickName: '小红', avatarFileID }), 'INTERNAL');
    expect(stored()).toEqual(before);
    expectOk(await saveProfile({ nickName: '小红', avatarFileID }));
  });

  it('answers INTERNAL when getOpenData fails on the network', async () => {
    await loggedIn();
    cloud().failOn('getOpenData');
    expectError(await saveProfile({ profile: cloud().mintCloudID(ALICE.OPENID, WECHAT_PROFILE) }), 'INTERNAL');
    expect(stored()?.profile).toBeNull();
  });
});

import { avatarCloudPath } from '../../miniprogram/shared/avatar-path';
import { ALICE, BOB, expectError, expectOk, useFakeCloud } from '../../test/fake-cloud';
import { main as deleteAccount } from './deleteAccount';
import { main as getProfile } from './getProfile';
import { main as login } from './login';
import { main as saveProfile } from './saveProfile';

const cloud = useFakeCloud();

async function upload(openid: string, timestamp: number) {
  const cloudPath = avatarCloudPath(openid, timestamp, 'a.png');
  return (await cloud().uploadFile({ cloudPath, fileContent: Buffer.from('png') })).fileID;
}

/** Alice with a saved avatar, a stale one, and Bob beside her. */
async function aliceWithAvatars() {
  cloud().withCollection('users').callAs(BOB);
  expectOk(await login({}));
  const bobs = await upload(BOB.OPENID!, 1);
  expectOk(await saveProfile({ nickName: 'Bob', avatarFileID: bobs }));
  cloud().callAs({ ...ALICE, UNIONID: 'uAlice' });
  expectOk(await login({}));
  const first = await upload(ALICE.OPENID!, 1);
  const second = await upload(ALICE.OPENID!, 2);
  expectOk(await saveProfile({ nickName: '小红', avatarFileID: first }));
  cloud().failOn('deleteFile');
  expectOk(await saveProfile({ nickName: '小红', avatarFileID: second }));
  return { bobs, first, second };
}

describe('deleteAccount', () => {
  it("removes the caller's record and every avatar file of theirs, and nothing of anyone else", async () => {
    const { bobs, first, second } = await aliceWithAvatars();
    expect(expectOk(await deleteAccount({ openid: BOB.OPENID }))).toEqual({ deleted: true, filesDeleted: 2 });
    expect(cloud().stored('users', ALICE.OPENID!)).toBeUndefined();
    expect(cloud().files.has(first)).toBe(false);
    expect(cloud().files.has(second)).toBe(false);
    expect(cloud().stored('users', BOB.OPENID!)).toBeDefined();
    expect(cloud().files.has(bobs)).toBe(true);
  });

  it('is idempotent, and the next login starts a new, empty user', async () => {
    await aliceWithAvatars();
    expectOk(await deleteAccount({}));
    expect(expectOk(await deleteAccount({}))).toEqual({ deleted: false, filesDeleted: 0 });
    const again = expectOk(await login({}));
    expect(again).toMatchObject({ isNewUser: true, profile: null });
    expect(cloud().stored('users', ALICE.OPENID!)).toMatchObject({
      loginCount: 1,
      profile: null,
      avatarFiles: [],
    });
  });

  it('keeps the record when files cannot be deleted, and a retry completes the deletion', async () => {
    const { first, second } = await aliceWithAvatars();
    cloud().failOn('deleteFile');
    expectError(await deleteAccount({}), 'INTERNAL');
    expect(cloud().stored('users', ALICE.OPENID!)).toBeDefined();
    cloud().failOn('remove');
    expectError(await deleteAccount({}), 'INTERNAL');
    expect(expectOk(await deleteAccount({})).deleted).toBe(true);
    expect(cloud().files.has(first) || cloud().files.has(second)).toBe(false);
  });

  it('refuses saves to an account whose deletion failed part-way, without leaving their uploads', async () => {
    const { second } = await aliceWithAvatars();
    cloud().failOn('deleteFile');
    expectError(await deleteAccount({}), 'INTERNAL');
    const late = await upload(ALICE.OPENID!, 3);
    expectError(await saveProfile({ nickName: '小红', avatarFileID: late }), 'NOT_FOUND');
    expect(cloud().files.has(late)).toBe(false);
    expect((cloud().stored('users', ALICE.OPENID!)?.profile as { avatarUrl: string }).avatarUrl).toBe(second);
    expect(expectOk(await deleteAccount({})).deleted).toBe(true);
  });

  it('keeps the account when a file deletion fails with a message that merely contains 404', async () => {
    const { second } = await aliceWithAvatars();
    cloud().failDeletionOf(second, -501001, 'storage request fail, requestId 7f404e2c-0a1b');
    expectError(await deleteAccount({}), 'INTERNAL');
    expect(cloud().stored('users', ALICE.OPENID!)).toBeDefined();
    expect(cloud().files.has(second)).toBe(true);
    expect(expectOk(await deleteAccount({})).deleted).toBe(true);
    expect(cloud().files.has(second)).toBe(false);
  });

  it('deletes every avatar a record of the previous version remembers', async () => {
    const { first, second } = await aliceWithAvatars();
    const legacy = cloud().collections.get('users')!.get(ALICE.OPENID!)!;
    delete legacy.avatarFiles;
    legacy.staleAvatarFiles = [first];
    expect(expectOk(await deleteAccount({}))).toEqual({ deleted: true, filesDeleted: 2 });
    expect(cloud().files.has(first) || cloud().files.has(second)).toBe(false);
  });

  it('answers deleted: false on a new environment without a users collection', async () => {
    cloud().callAs(ALICE);
    expect(expectOk(await deleteAccount({}))).toEqual({ deleted: false, filesDeleted: 0 });
  });
});

describe('getProfile', () => {
  it('answers everything stored about the caller, minus internal fields', async () => {
    const { second, first } = await aliceWithAvatars();
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
    });
    // Every stored field is answered: the tracked avatar files as the current avatar (in
    // profile) and the replaced ones still waiting for deletion.
    const stored = cloud().stored('users', ALICE.OPENID!)!;
    expect(stored.avatarFiles).toEqual([first, second]);
    const internal = ['_id', '_openid'];
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
    cloud().withCollection('users').callAs(ALICE);
    expectError(await getProfile({}), 'NOT_FOUND');
  });
});

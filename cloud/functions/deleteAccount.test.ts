import { avatarCloudPath } from '@shared/avatar-path';
import { USERS_COLLECTION } from '../users/user-record';
import { expectError, expectOk, useFakeCloud } from '../../testing/fake-cloud';
import { ALICE, BOB } from '../../testing/fixtures';
import { aliceWithStaleAvatar } from '../../testing/scenarios';
import { main as deleteAccount } from './deleteAccount';
import { main as login } from './login';
import { main as saveProfile } from './saveProfile';

const cloud = useFakeCloud();
const aliceWithAvatars = () => aliceWithStaleAvatar(cloud());

async function upload(openid: string, timestamp: number) {
  const cloudPath = avatarCloudPath(openid, timestamp, 'a.png');
  return (await cloud().uploadFile({ cloudPath, fileContent: Buffer.from('png') })).fileID;
}

describe('deleteAccount', () => {
  it("removes the caller's record and every avatar file of theirs, and nothing of anyone else", async () => {
    const { bobs, first, second } = await aliceWithAvatars();
    expect(expectOk(await deleteAccount({ openid: BOB.OPENID }))).toEqual({ deleted: true, filesDeleted: 2 });
    expect(cloud().stored(USERS_COLLECTION, ALICE.OPENID)).toBeUndefined();
    expect(cloud().files.has(first)).toBe(false);
    expect(cloud().files.has(second)).toBe(false);
    expect(cloud().stored(USERS_COLLECTION, BOB.OPENID)).toBeDefined();
    expect(cloud().files.has(bobs)).toBe(true);
  });

  it('is idempotent, and the next login starts a new, empty user', async () => {
    await aliceWithAvatars();
    expectOk(await deleteAccount({}));
    expect(expectOk(await deleteAccount({}))).toEqual({ deleted: false, filesDeleted: 0 });
    const again = expectOk(await login({}));
    expect(again).toMatchObject({ isNewUser: true, profile: null });
    expect(cloud().stored(USERS_COLLECTION, ALICE.OPENID)).toMatchObject({
      loginCount: 1,
      profile: null,
      avatarFiles: [],
    });
  });

  it('keeps the record when files cannot be deleted, and a retry completes the deletion', async () => {
    const { first, second } = await aliceWithAvatars();
    cloud().failOn('deleteFile');
    expectError(await deleteAccount({}), 'INTERNAL');
    expect(cloud().stored(USERS_COLLECTION, ALICE.OPENID)).toBeDefined();
    cloud().failOn('remove');
    expectError(await deleteAccount({}), 'INTERNAL');
    expect(expectOk(await deleteAccount({})).deleted).toBe(true);
    expect(cloud().files.has(first) || cloud().files.has(second)).toBe(false);
  });

  it('refuses saves to an account whose deletion failed part-way, without leaving their uploads', async () => {
    const { second } = await aliceWithAvatars();
    cloud().failOn('deleteFile');
    expectError(await deleteAccount({}), 'INTERNAL');
    const late = await upload(ALICE.OPENID, 3);
    expectError(await saveProfile({ nickName: '小红', avatarFileID: late }), 'NOT_FOUND');
    expect(cloud().files.has(late)).toBe(false);
    expect((cloud().stored(USERS_COLLECTION, ALICE.OPENID)?.profile as { avatarUrl: string }).avatarUrl).toBe(second);
    expect(expectOk(await deleteAccount({})).deleted).toBe(true);
  });

  it('keeps the account when a file deletion fails with a message that merely contains 404', async () => {
    const { second } = await aliceWithAvatars();
    cloud().failDeletionOf(second, -501001, 'storage request fail, requestId 7f404e2c-0a1b');
    expectError(await deleteAccount({}), 'INTERNAL');
    expect(cloud().stored(USERS_COLLECTION, ALICE.OPENID)).toBeDefined();
    expect(cloud().files.has(second)).toBe(true);
    expect(expectOk(await deleteAccount({})).deleted).toBe(true);
    expect(cloud().files.has(second)).toBe(false);
  });

  it('deletes every avatar a record of the previous version remembers', async () => {
    const { first, second } = await aliceWithAvatars();
    const legacy = cloud().collections.get(USERS_COLLECTION)!.get(ALICE.OPENID)!;
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

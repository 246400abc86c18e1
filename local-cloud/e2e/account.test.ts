/**
 * getProfile and deleteAccount end to end: the stored record, and its files removed from storage.
 * Runs on the emulator of `npm run emulator:exec` when there is one (npm run test:e2e).
 */
import { avatarCloudPath } from '@shared/avatar-path';
import { uniqueCaller, useRunningCloud, type CloudClient } from './harness';

const ALICE = uniqueCaller('Alice');

let cloud: CloudClient;
beforeEach(async () => {
  cloud = await useRunningCloud();
});
afterEach(() => cloud.close());

async function uploadedAvatar(timestamp: number): Promise<string> {
  const { body } = await cloud.upload(
    ALICE.openid,
    avatarCloudPath(ALICE.openid, timestamp, 'a.png'),
    Buffer.from('x'),
  );
  return (body as { fileID: string }).fileID;
}

describe('getProfile and deleteAccount through the local cloud', () => {
  it('answers the stored record, then deletes the account and its avatar file', async () => {
    await cloud.call('login', {}, ALICE);
    const avatarFileID = await uploadedAvatar(7);
    await cloud.call('saveProfile', { nickName: '小红', avatarFileID }, ALICE);

    const profile = await cloud.call('getProfile', {}, ALICE);
    expect(profile.body).toMatchObject({
      ok: true,
      data: {
        openid: ALICE.openid,
        loginCount: 1,
        createdAt: expect.any(Number),
        profile: { avatarUrl: avatarFileID },
      },
    });

    const deleted = await cloud.call('deleteAccount', {}, ALICE);
    expect(deleted.body).toEqual({ ok: true, data: { deleted: true, filesDeleted: 1 } });
    expect((await fetch(`${cloud.url}/storage/files/avatars/${ALICE.openid}/7.png`)).status).toBe(404);
    expect((await cloud.call('getProfile', {}, ALICE)).body).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await cloud.call('login', {}, ALICE)).body).toMatchObject({ ok: true, data: { isNewUser: true } });
  });
});

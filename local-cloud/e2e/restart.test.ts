/** Data survives a restart of the local cloud on the same folder. */
import { rmSync } from 'fs';
import { avatarCloudPath } from '@shared/avatar-path';
import { startTestCloud, tempDataDir } from './harness';

const ALICE = { openid: 'oAlice0000000000000000000001' };

it('keeps users, profiles and files across a restart', async () => {
  const dataDir = tempDataDir();
  try {
    const first = await startTestCloud({ dataDir });
    await first.call('login', {}, ALICE);
    const upload = await first.upload(ALICE.openid, avatarCloudPath(ALICE.openid, 5, 'a.png'), Buffer.from('avatar'));
    const avatarFileID = (upload.body as { fileID: string }).fileID;
    await first.call('saveProfile', { nickName: '小红', avatarFileID }, ALICE);
    await first.stop();

    const second = await startTestCloud({ dataDir });
    const { body } = await second.call('login', {}, ALICE);
    expect(body).toMatchObject({
      ok: true,
      data: { isNewUser: false, profile: { nickName: '小红', avatarUrl: avatarFileID } },
    });
    const served = await fetch(`${second.url}/storage/files/avatars/${ALICE.openid}/5.png`);
    expect(await served.text()).toBe('avatar');
    await second.stop();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

/** saveProfile end to end: CloudIDs minted and resolved by the local cloud, and the fill-in with an upload. */
import { existsSync } from 'fs';
import * as http from 'http';
import * as path from 'path';
import { avatarCloudPath } from '@shared/avatar-path';
import { WECHAT_PROFILE } from '../../testing/fixtures';
import { startTestCloud, type TestCloud } from './harness';

const ALICE = { openid: 'oAlice0000000000000000000001' };
const BOB = { openid: 'oBob00000000000000000000000002' };

let cloud: TestCloud;
beforeEach(async () => {
  cloud = await startTestCloud();
  await cloud.call('login', {}, ALICE);
});
afterEach(() => cloud.close());

const saveWithCloudID = (cloudID: string, caller = ALICE) =>
  cloud.call('saveProfile', { profile: { $cloudID: cloudID } }, caller);

const errorCode = (body: unknown) => (body as { error?: { code: string } }).error?.code;

describe('saveProfile through a minted cloudID', () => {
  it('stores the open data resolved for the caller, and login answers it', async () => {
    const cloudID = await cloud.mintCloudID(ALICE, WECHAT_PROFILE);
    const { status, body } = await saveWithCloudID(cloudID);
    expect(status).toBe(200);
    expect(body).toEqual({
      ok: true,
      data: { profile: { ...WECHAT_PROFILE, source: 'getUserProfile', updatedAt: expect.any(Number) } },
    });
    const again = await cloud.call('login', {}, ALICE);
    expect(again.body).toMatchObject({ ok: true, data: { isNewUser: false, profile: { nickName: '小明' } } });
  });

  it('answers CLOUD_ID_EXPIRED after 5 minutes', async () => {
    const cloudID = await cloud.mintCloudID(ALICE, WECHAT_PROFILE);
    cloud.advance(5 * 60 * 1000 + 1);
    expect(errorCode((await saveWithCloudID(cloudID)).body)).toBe('CLOUD_ID_EXPIRED');
  });

  it('answers CLOUD_ID_INVALID for an unknown cloudID', async () => {
    expect(errorCode((await saveWithCloudID('no-such-cloud-id')).body)).toBe('CLOUD_ID_INVALID');
  });

  it("answers CLOUD_ID_MISMATCH for another caller's cloudID", async () => {
    await cloud.call('login', {}, BOB);
    const alices = await cloud.mintCloudID(ALICE, WECHAT_PROFILE);
    expect(errorCode((await saveWithCloudID(alices, BOB)).body)).toBe('CLOUD_ID_MISMATCH');
  });

  it('rejects forged open data sent as a plain object (not listed in OPEN_DATA_INFO)', async () => {
    const forged = {
      cloudID: 'x',
      data: { ...WECHAT_PROFILE, watermark: { appid: 'wxlocal0000000000', timestamp: 1 } },
    };
    const { body } = await cloud.call('saveProfile', { profile: forged }, ALICE);
    expect(errorCode(body)).toBe('OPEN_DATA_UNVERIFIED');
  });

  it('does not resolve a nested CloudID', async () => {
    const cloudID = await cloud.mintCloudID(ALICE, WECHAT_PROFILE);
    const { body } = await cloud.call('saveProfile', { profile: { inner: { $cloudID: cloudID } } }, ALICE);
    expect(errorCode(body)).toBe('OPEN_DATA_UNVERIFIED');
  });

  it('refuses more than 5 CloudID fields in one call with a 400', async () => {
    const data = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`f${i}`, { $cloudID: `id${i}` }]));
    const { status } = await cloud.call('saveProfile', data, ALICE);
    expect(status).toBe(400);
  });
});

describe('saveProfile through the fill-in with an uploaded avatar', () => {
  it('stores the avatar fileID, serves the file, and deletes the old avatar on replacement', async () => {
    const first = await cloud.upload(
      ALICE.openid,
      avatarCloudPath(ALICE.openid, 1700000000000, 'tmp.png'),
      Buffer.from('one'),
    );
    expect(first.status).toBe(200);
    const firstID = (first.body as { fileID: string }).fileID;
    expect(firstID).toMatch(
      /^cloud:\/\/local-env\.[A-Za-z0-9-]+\/avatars\/oAlice0000000000000000000001\/1700000000000\.png$/,
    );
    const saved = await cloud.call('saveProfile', { nickName: '小红', avatarFileID: firstID }, ALICE);
    expect(saved.body).toMatchObject({
      ok: true,
      data: { profile: { nickName: '小红', avatarUrl: firstID, source: 'chooseAvatar' } },
    });

    const served = await fetch(`${cloud.url}/storage/files/avatars/${ALICE.openid}/1700000000000.png`);
    expect(served.status).toBe(200);
    expect(await served.text()).toBe('one');

    const second = await cloud.upload(
      ALICE.openid,
      avatarCloudPath(ALICE.openid, 1700000000001, 'tmp.png'),
      Buffer.from('two'),
    );
    const secondID = (second.body as { fileID: string }).fileID;
    const replaced = await cloud.call('saveProfile', { nickName: '小红', avatarFileID: secondID }, ALICE);
    expect(replaced.body).toMatchObject({ ok: true, data: { profile: { avatarUrl: secondID } } });
    const storage = path.join(cloud.dataDir, 'storage', 'avatars', ALICE.openid);
    expect(existsSync(path.join(storage, '1700000000000.png'))).toBe(false);
    expect(existsSync(path.join(storage, '1700000000001.png'))).toBe(true);
    expect((await fetch(`${cloud.url}/storage/files/avatars/${ALICE.openid}/1700000000000.png`)).status).toBe(404);
  });

  it("refuses another user's avatar file", async () => {
    const bobs = await cloud.upload(BOB.openid, avatarCloudPath(BOB.openid, 1, 'a.png'), Buffer.from('b'));
    const { body } = await cloud.call(
      'saveProfile',
      { nickName: '小红', avatarFileID: (bobs.body as { fileID: string }).fileID },
      ALICE,
    );
    expect(errorCode(body)).toBe('INVALID_ARGUMENT');
  });

  it('rejects path traversal in uploads and file reads', async () => {
    for (const cloudPath of [
      '../escape.png',
      'avatars/../../escape.png',
      '/abs.png',
      'a//b.png',
      'a/./b.png',
      '.hidden',
    ]) {
      expect((await cloud.upload(ALICE.openid, cloudPath, Buffer.from('x'))).status).toBe(400);
    }
    expect(existsSync(path.join(cloud.dataDir, 'escape.png'))).toBe(false);
    for (const raw of [
      '/storage/files/../db/users.db',
      '/storage/files/%2E%2E/db/users.db',
      '/storage/files/a%2F..%2F..%2Fdb%2Fusers.db',
    ]) {
      expect(await rawGetStatus(cloud.url, raw)).toBe(400);
    }
  });
});

/** A GET with the path sent as written (fetch would normalise the dot segments away). */
function rawGetStatus(url: string, rawPath: string): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const request = http.request({ hostname, port, path: rawPath, method: 'GET' }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.end();
  });
}

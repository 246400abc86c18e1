/**
 * Issue 11 from the user's side, through the emulated content security: saveProfile checks the
 * nickname with msgSecCheck and submits an uploaded avatar to mediaCheckAsync; a risky verdict
 * pushed to onMediaCheck removes the avatar, and the next login says so once.
 */
import { existsSync } from 'fs';
import * as path from 'path';
import { avatarCloudPath } from '@shared/avatar-path';
import { startTestCloud, type TestCloud } from './harness';

const ALICE = { openid: 'oAlice0000000000000000000001' };

let cloud: TestCloud;
beforeEach(async () => {
  cloud = await startTestCloud();
  await cloud.call('login', {}, ALICE);
});
afterEach(() => cloud.close());

const errorCode = (body: unknown) => (body as { error?: { code: string } }).error?.code;
const profileOf = async () =>
  ((await cloud.call('getProfile', {}, ALICE)).body as { data: { profile: { nickName?: string } | null } }).data
    .profile;
const pendingChecks = async () =>
  (
    (await (await fetch(`${cloud.url}/emulator/media-checks`)).json()) as {
      checks: Array<{ traceId: string; fileID: string | null }>;
    }
  ).checks;

const avatarFile = (at: number) => path.join(cloud.dataDir, 'storage', 'avatars', ALICE.openid, `${at}.png`);

async function uploadAvatar(at: number): Promise<string> {
  const uploaded = await cloud.upload(ALICE.openid, avatarCloudPath(ALICE.openid, at, 'tmp.png'), Buffer.from('png'));
  return (uploaded.body as { fileID: string }).fileID;
}

describe('content safety of a saved profile', () => {
  it('refuses a risky nickname with CONTENT_REJECTED, storing nothing and discarding the upload', async () => {
    const before = await profileOf();
    const fileID = await uploadAvatar(1700000000000);
    const { body } = await cloud.call('saveProfile', { nickName: '我是违禁词', avatarFileID: fileID }, ALICE);
    expect(errorCode(body)).toBe('CONTENT_REJECTED');
    expect(await profileOf()).toEqual(before);
    expect(await pendingChecks()).toEqual([]);
    expect(existsSync(avatarFile(1700000000000))).toBe(false);
  });

  it('submits a saved avatar; a risky verdict removes it and the next login says so once', async () => {
    const fileID = await uploadAvatar(1700000000000);
    const saved = await cloud.call('saveProfile', { nickName: '小红', avatarFileID: fileID }, ALICE);
    expect(saved.body).toMatchObject({ ok: true, data: { profile: { avatarUrl: fileID } } });
    const checks = await pendingChecks();
    expect(checks).toEqual([expect.objectContaining({ fileID })]);

    const delivered = await cloud.post(
      '/emulator/media-checks/deliver',
      JSON.stringify({ traceId: checks[0].traceId, suggest: 'risky' }),
    );
    expect(delivered).toMatchObject({
      status: 200,
      body: { function: 'onMediaCheck', result: { ok: true, data: { handled: true } } },
    });
    expect(await profileOf()).not.toMatchObject({ avatarUrl: fileID });
    expect(existsSync(avatarFile(1700000000000))).toBe(false);

    expect((await cloud.call('login', {}, ALICE)).body).toMatchObject({ ok: true, data: { avatarRemoved: true } });
    expect((await cloud.call('login', {}, ALICE)).body).not.toMatchObject({ data: { avatarRemoved: true } });
  });

  it('answers CONTENT_CHECK_UNAVAILABLE when msgSecCheck fails, storing nothing and discarding the upload', async () => {
    const before = await profileOf();
    const fault = {
      action: 'wx.openApi',
      apiName: 'security.msgSecCheck',
      error: { code: 'SYS_ERR', message: 'down' },
    };
    expect((await cloud.post('/emulator/faults', JSON.stringify({ op: 'add', fault }))).status).toBe(200);
    const fileID = await uploadAvatar(1700000000001);
    const { body } = await cloud.call('saveProfile', { nickName: '小红', avatarFileID: fileID }, ALICE);
    expect(errorCode(body)).toBe('CONTENT_CHECK_UNAVAILABLE');
    expect(await profileOf()).toEqual(before);
    expect(existsSync(avatarFile(1700000000001))).toBe(false);
    // The function's warning reaches its log (through the real SDK's logger), without the nickname.
    const functionLogs = cloud.logs
      .filter(({ record }) => record.event === 'function-log')
      .map(({ record }) => String(record.text));
    expect(functionLogs.some((text) => text.includes('content-check-failed'))).toBe(true);
    expect(functionLogs.join('\n')).not.toContain('小红');
  });

  it('saves the current avatar again under a new nickname, and not once its verdict removed it', async () => {
    const fileID = await uploadAvatar(1700000000002);
    expect((await cloud.call('saveProfile', { nickName: '小红', avatarFileID: fileID }, ALICE)).body).toMatchObject({
      ok: true,
    });
    const again = await cloud.call('saveProfile', { nickName: '小红二', avatarFileID: fileID }, ALICE);
    expect(again.body).toMatchObject({ ok: true, data: { profile: { nickName: '小红二', avatarUrl: fileID } } });
    expect(await pendingChecks()).toEqual([expect.objectContaining({ fileID })]);

    const [check] = await pendingChecks();
    await cloud.post('/emulator/media-checks/deliver', JSON.stringify({ traceId: check.traceId, suggest: 'risky' }));
    const refused = await cloud.call('saveProfile', { nickName: '小红三', avatarFileID: fileID }, ALICE);
    expect(errorCode(refused.body)).toBe('INVALID_ARGUMENT');
    expect(await profileOf()).toMatchObject({ nickName: '小红二', avatarUrl: '' });
  });
});

/**
 * Content safety in saveProfile: the nickname (and every typed field) is checked with
 * security.msgSecCheck on both paths before anything is stored; an uploaded avatar is submitted
 * to security.mediaCheckAsync with its temp URL, and the check's trace id is stored with the
 * profile. What a failing check does follows CONTENT_CHECK_ON_FAILURE (refuse by default).
 */
import { avatarCloudPath } from '@shared/avatar-path';
import { USERS_COLLECTION } from '../users/user-record';
import { expectError, expectOk, useFakeCloud } from '../../testing/fake-cloud';
import { ALICE, APPID, WECHAT_PROFILE } from '../../testing/fixtures';
import { untrackedFiles } from '../../testing/user-state';
import { main as login } from './login';
import { main as saveProfile } from './saveProfile';

const cloud = useFakeCloud();
const stored = () => cloud().stored(USERS_COLLECTION, ALICE.OPENID);
const POLICY = 'CONTENT_CHECK_ON_FAILURE';

afterEach(() => {
  delete process.env[POLICY];
});

async function upload(timestamp: number): Promise<string> {
  const cloudPath = avatarCloudPath(ALICE.OPENID, timestamp, 'a.png');
  return (await cloud().uploadFile({ cloudPath, fileContent: Buffer.from('png') })).fileID;
}

/** Alice logged in with a saved profile (avatar `first`); answers the record as it is. */
async function aliceWithProfile(): Promise<{ first: string; before: unknown }> {
  cloud().withCollection(USERS_COLLECTION).callAs(ALICE);
  expectOk(await login({}));
  const first = await upload(1);
  expectOk(await saveProfile({ nickName: '小红', avatarFileID: first }));
  return { first, before: stored() };
}

const openDataEvent = (nickName: string) =>
  cloud().eventWithCloudIDs(
    { userInfo: { openId: ALICE.OPENID, appId: APPID } },
    { profile: cloud().mintCloudID(ALICE.OPENID, { ...WECHAT_PROFILE, nickName, watermark: { appid: APPID } }) },
  );

type Path = 'fill-in' | 'CloudID';

/** A save of `nickName` on the path, with a new upload on the fill-in; answers the upload. */
async function save(path: Path, nickName: string) {
  const fresh = path === 'fill-in' ? await upload(2) : null;
  const answer = await saveProfile(fresh ? { nickName, avatarFileID: fresh } : openDataEvent(nickName));
  return { answer, fresh };
}

describe.each<Path>(['fill-in', 'CloudID'])('saveProfile, %s path: the nickname is checked', (path) => {
  it('refuses a risky nickname with CONTENT_REJECTED: nothing stored, the new upload deleted', async () => {
    const { first, before } = await aliceWithProfile();
    const { answer, fresh } = await save(path, '我是违禁词');
    expectError(answer, 'CONTENT_REJECTED');
    expect(stored()).toEqual(before);
    if (fresh) expect(cloud().files.has(fresh)).toBe(false);
    expect(cloud().files.has(first)).toBe(true);
    expect(untrackedFiles(cloud(), ALICE.OPENID)).toEqual([]);
    expect(cloud().counts.mediaCheckAsync).toBe(1); // only the first save's avatar
  });

  it('checks version 2, scene 1, as the caller, with the nickname', async () => {
    await aliceWithProfile();
    expectOk((await save(path, '小蓝')).answer);
    expect(cloud().textChecks.at(-1)).toEqual({
      version: 2,
      openid: ALICE.OPENID,
      scene: 1,
      content: '小蓝',
      nickname: '小蓝',
    });
  });

  it('stores a nickname WeChat suggests reviewing (review is not a refusal)', async () => {
    await aliceWithProfile();
    expectOk((await save(path, '待审词')).answer);
    expect(stored()?.profile).toMatchObject({ nickName: '待审词' });
    expect(stored()).not.toHaveProperty('contentCheckSkippedAt');
  });

  it.each([
    ['over quota', 45009],
    ['system busy', -1],
  ])('refuses by default when the check fails (%s): CONTENT_CHECK_UNAVAILABLE, nothing stored', async (_, code) => {
    const { before } = await aliceWithProfile();
    cloud().failContentCheck('msgSecCheck', code);
    const { answer, fresh } = await save(path, '小蓝');
    expectError(answer, 'CONTENT_CHECK_UNAVAILABLE');
    expect(stored()).toEqual(before);
    if (fresh) expect(cloud().files.has(fresh)).toBe(false);
    expect(untrackedFiles(cloud(), ALICE.OPENID)).toEqual([]);
  });

  it.each([
    ['over quota', 45009],
    ['system busy', -1],
  ])('with policy accept, stores an unchecked profile marked for a later check (%s)', async (_, code) => {
    await aliceWithProfile();
    process.env[POLICY] = 'accept';
    cloud().failContentCheck('msgSecCheck', code);
    expectOk((await save(path, '小蓝')).answer);
    expect(stored()?.profile).toMatchObject({ nickName: '小蓝' });
    expect(stored()?.contentCheckSkippedAt).toBeInstanceOf(Date);
    // The next save that is checked clears the mark.
    expectOk((await save(path, '小绿')).answer);
    expect(stored()).not.toHaveProperty('contentCheckSkippedAt');
  });

  it('refuses when the policy is refuse, set explicitly', async () => {
    await aliceWithProfile();
    process.env[POLICY] = 'refuse';
    cloud().failContentCheck('msgSecCheck', -604101);
    expectError((await save(path, '小蓝')).answer, 'CONTENT_CHECK_UNAVAILABLE');
  });
});

describe('saveProfile: the other typed fields are checked with the nickname', () => {
  it('sends every typed fill-in field joined with the nickname', async () => {
    await aliceWithProfile();
    const avatarFileID = await upload(2);
    // The fill-in has no other typed field today: the content is the nickname alone.
    expectOk(await saveProfile({ nickName: '小蓝', avatarFileID }));
    expect(cloud().textChecks.at(-1)?.content).toBe('小蓝');
  });
});

describe('saveProfile: an uploaded avatar is submitted to the media check', () => {
  it('submits the temp URL it confirmed the upload with and stores the trace id with the profile', async () => {
    await aliceWithProfile();
    const avatarFileID = await upload(2);
    cloud().resetCounts();
    expectOk(await saveProfile({ nickName: '小红', avatarFileID }));
    expect(cloud().counts.getTempFileURL).toBe(1);
    const [check] = [...cloud().mediaChecks.values()].filter((c) => c.fileID === avatarFileID);
    expect(check).toEqual({
      traceId: expect.any(String),
      openid: ALICE.OPENID,
      mediaUrl: expect.stringMatching(/^https:\/\//),
      fileID: avatarFileID,
    });
    expect(stored()?.avatarCheck).toEqual({
      traceId: check.traceId,
      fileID: avatarFileID,
      submittedAt: expect.any(Date),
    });
    expect(stored()?.profile).toMatchObject({ avatarUrl: avatarFileID });
  });

  it('answers no trace id to the client', async () => {
    await aliceWithProfile();
    const answer = await saveProfile({ nickName: '小红', avatarFileID: await upload(2) });
    const traceId = (stored()?.avatarCheck as { traceId: string }).traceId;
    expect(JSON.stringify(answer)).not.toContain(traceId);
  });

  it("does not submit a getUserProfile avatar (WeChat's own image) and forgets a pending check", async () => {
    await aliceWithProfile();
    expectOk(await saveProfile(openDataEvent('小明')));
    expect(cloud().counts.mediaCheckAsync).toBe(1);
    expect(stored()).not.toHaveProperty('avatarCheck');
  });

  it('does not submit again an avatar saved again unchanged, and keeps its pending check', async () => {
    const { first } = await aliceWithProfile();
    const pending = stored()?.avatarCheck;
    expectOk(await saveProfile({ nickName: '小蓝', avatarFileID: first }));
    expect(cloud().counts.mediaCheckAsync).toBe(1);
    expect(stored()?.avatarCheck).toEqual(pending);
  });

  it('keeps the current avatar file when a save reusing it is refused', async () => {
    const { first, before } = await aliceWithProfile();
    expectError(await saveProfile({ nickName: '违禁词', avatarFileID: first }), 'CONTENT_REJECTED');
    expect(cloud().files.has(first)).toBe(true);
    expect(stored()).toEqual(before);
  });

  it.each([
    ['over quota', 45009],
    ['system busy', -1],
  ])('refuses by default when the submission fails (%s): nothing stored, the upload deleted', async (_, code) => {
    const { before } = await aliceWithProfile();
    const avatarFileID = await upload(2);
    cloud().failContentCheck('mediaCheckAsync', code);
    expectError(await saveProfile({ nickName: '小红', avatarFileID }), 'CONTENT_CHECK_UNAVAILABLE');
    expect(stored()).toEqual(before);
    expect(cloud().files.has(avatarFileID)).toBe(false);
    expect(untrackedFiles(cloud(), ALICE.OPENID)).toEqual([]);
  });

  it.each([
    ['over quota', 45009],
    ['system busy', -1],
  ])('with policy accept, stores the avatar with a check without trace id (%s)', async (_, code) => {
    await aliceWithProfile();
    process.env[POLICY] = 'accept';
    const avatarFileID = await upload(2);
    cloud().failContentCheck('mediaCheckAsync', code);
    expectOk(await saveProfile({ nickName: '小红', avatarFileID }));
    expect(stored()?.profile).toMatchObject({ avatarUrl: avatarFileID });
    expect(stored()?.avatarCheck).toEqual({ traceId: null, fileID: avatarFileID, submittedAt: expect.any(Date) });
    expect(untrackedFiles(cloud(), ALICE.OPENID)).toEqual([]);
  });
});

/**
 * onMediaCheck: the verdict of an avatar's media check, pushed by the platform as the
 * `wxa_media_check` event (no user in the call context). The record is found by the check's
 * trace id, never by anything the event claims.
 */
import { avatarCloudPath } from '@shared/avatar-path';
import { USERS_COLLECTION } from '../users/user-record';
import { expectError, expectOk, useFakeCloud } from '../../testing/fake-cloud';
import { ALICE, BOB } from '../../testing/fixtures';
import { deliverMediaVerdict, traceIdOf } from '../../testing/media-check-delivery';
import { snapshot, untrackedFiles } from '../../testing/user-state';
import { main as getProfile } from './getProfile';
import { main as login } from './login';
import { main as onMediaCheck } from './onMediaCheck';
import { main as saveProfile } from './saveProfile';

const cloud = useFakeCloud();
const stored = (openid = ALICE.OPENID) => cloud().stored(USERS_COLLECTION, openid);

async function upload(openid: string, timestamp: number): Promise<string> {
  const cloudPath = avatarCloudPath(openid, timestamp, 'a.png');
  return (await cloud().uploadFile({ cloudPath, fileContent: Buffer.from('png') })).fileID;
}

/** Alice and Bob, each with an uploaded avatar whose check is pending; answers Alice's file and trace id. */
async function world(): Promise<{ file: string; traceId: string; bobsFile: string }> {
  cloud().withCollection(USERS_COLLECTION);
  cloud().callAs(BOB);
  expectOk(await login({}));
  const bobsFile = await upload(BOB.OPENID, 1);
  expectOk(await saveProfile({ nickName: 'Bob', avatarFileID: bobsFile }));
  cloud().callAs(ALICE);
  expectOk(await login({}));
  const file = await upload(ALICE.OPENID, 1);
  expectOk(await saveProfile({ nickName: '小红', avatarFileID: file }));
  return { file, traceId: traceIdOf(cloud(), file), bobsFile };
}

describe('onMediaCheck', () => {
  it('on risky: the avatar back to none, the file deleted and forgotten, the record marked', async () => {
    const { file, traceId } = await world();
    const bob = stored(BOB.OPENID);
    expect(expectOk(await deliverMediaVerdict(cloud(), traceId, 'risky', 20002))).toEqual({ handled: true });
    const record = stored()!;
    expect(record.profile).toMatchObject({ nickName: '小红', avatarUrl: '' });
    expect(record).not.toHaveProperty('avatarCheck');
    expect(record.avatarRemoved).toEqual({ at: expect.any(Date), label: 20002, traceId, fileID: file });
    expect(record.avatarFiles).toEqual([]);
    expect(cloud().files.has(file)).toBe(false);
    expect(untrackedFiles(cloud(), ALICE.OPENID)).toEqual([]);
    expect(stored(BOB.OPENID)).toEqual(bob);
  });

  it('keeps the profile (nickname and fields) readable after the avatar is removed', async () => {
    const { traceId } = await world();
    expectOk(await deliverMediaVerdict(cloud(), traceId, 'risky'));
    const data = expectOk(await getProfile({}));
    expect(data.profile).toMatchObject({ nickName: '小红', avatarUrl: '' });
    expect(JSON.stringify(data)).not.toContain(traceId);
  });

  it.each(['pass', 'review'] as const)('on %s: the pending check cleared, the avatar kept', async (suggest) => {
    const { file, traceId } = await world();
    expect(expectOk(await deliverMediaVerdict(cloud(), traceId, suggest))).toEqual({ handled: true });
    expect(stored()).not.toHaveProperty('avatarCheck');
    expect(stored()).not.toHaveProperty('avatarRemoved');
    expect(stored()?.profile).toMatchObject({ avatarUrl: file });
    expect(cloud().files.has(file)).toBe(true);
  });

  it('changes nothing for an unknown trace id', async () => {
    await world();
    const before = snapshot(cloud());
    expect(expectOk(await deliverMediaVerdict(cloud(), 'no-such-trace', 'risky'))).toEqual({ handled: false });
    expect(snapshot(cloud())).toEqual(before);
  });

  it('changes nothing for an avatar already replaced', async () => {
    const { traceId } = await world();
    const second = await upload(ALICE.OPENID, 2);
    expectOk(await saveProfile({ nickName: '小红', avatarFileID: second }));
    const before = snapshot(cloud());
    expect(expectOk(await deliverMediaVerdict(cloud(), traceId, 'risky'))).toEqual({ handled: false });
    expect(snapshot(cloud())).toEqual(before);
    expect(stored()?.profile).toMatchObject({ avatarUrl: second });
    expect(cloud().files.has(second)).toBe(true);
  });

  it('answers a second delivery of the same verdict with handled false', async () => {
    const { traceId } = await world();
    expectOk(await deliverMediaVerdict(cloud(), traceId, 'risky'));
    const before = snapshot(cloud());
    expect(expectOk(await deliverMediaVerdict(cloud(), traceId, 'risky'))).toEqual({ handled: false });
    expect(snapshot(cloud())).toEqual(before);
  });

  it("lets no client touch another user's record with a forged event", async () => {
    const { file } = await world();
    const before = snapshot(cloud());
    cloud().callAs(BOB);
    const forged = [
      // Everything a client can know about Alice, but not her trace id (never answered to anyone).
      { ...cloud().mediaCheckEvent('guessed', 'risky'), FromUserName: ALICE.OPENID, openid: ALICE.OPENID },
      { ...cloud().mediaCheckEvent(file, 'risky') },
      { ...cloud().mediaCheckEvent(ALICE.OPENID, 'risky') },
    ];
    for (const event of forged) expect(expectOk(await onMediaCheck(event))).toEqual({ handled: false });
    expect(snapshot(cloud())).toEqual(before);
  });

  it('refuses an event that is not a media check verdict, changing nothing', async () => {
    const { traceId } = await world();
    const before = snapshot(cloud());
    const event = cloud().mediaCheckEvent(traceId, 'risky');
    for (const bad of [
      { ...event, Event: 'user_enter_tempsession' },
      { ...event, MsgType: 'text' },
      { ...event, trace_id: 42 },
      { ...event, result: { suggest: 'bad', label: 1 } },
      { ...event, result: null },
      {},
    ]) {
      expectError(await onMediaCheck(bad), 'INVALID_ARGUMENT');
    }
    expect(snapshot(cloud())).toEqual(before);
  });

  it('keeps a file whose deletion failed tracked, and the next save deletes it', async () => {
    const { file, traceId } = await world();
    cloud().failDeletionOf(file);
    expect(expectOk(await deliverMediaVerdict(cloud(), traceId, 'risky'))).toEqual({ handled: true });
    expect(stored()?.profile).toMatchObject({ avatarUrl: '' });
    expect(cloud().files.has(file)).toBe(true);
    expect(expectOk(await getProfile({})).staleAvatarFiles).toEqual([file]);
    expectOk(await saveProfile({ nickName: '小红', avatarFileID: await upload(ALICE.OPENID, 3) }));
    expect(cloud().files.has(file)).toBe(false);
    expect(untrackedFiles(cloud(), ALICE.OPENID)).toEqual([]);
  });

  it('finishes a failed deletion when the same verdict is delivered again', async () => {
    const { file, traceId } = await world();
    cloud().failDeletionOf(file);
    expectOk(await deliverMediaVerdict(cloud(), traceId, 'risky'));
    expect(cloud().files.has(file)).toBe(true);
    expect(expectOk(await deliverMediaVerdict(cloud(), traceId, 'risky'))).toEqual({ handled: true });
    expect(cloud().files.has(file)).toBe(false);
    expect(stored()?.avatarFiles).toEqual([]);
  });

  it('logs neither the trace id nor anything personal', async () => {
    const { traceId } = await world();
    cloud().failOn('deleteFile');
    expectOk(await deliverMediaVerdict(cloud(), traceId, 'risky'));
    const logged = JSON.stringify(cloud().logs);
    for (const secret of [traceId, ALICE.OPENID, '小红', 'avatars/']) expect(logged).not.toContain(secret);
  });
});

describe('login after an avatar was removed', () => {
  it('answers avatarRemoved once and clears the mark in its one write', async () => {
    const { traceId } = await world();
    expectOk(await deliverMediaVerdict(cloud(), traceId, 'risky'));
    cloud().resetCounts();
    const first = expectOk(await login({}));
    expect(first.avatarRemoved).toBe(true);
    expect(cloud().writes).toBe(1);
    expect(stored()).not.toHaveProperty('avatarRemoved');
    expect(expectOk(await login({}))).not.toHaveProperty('avatarRemoved');
  });

  it('does not answer avatarRemoved to a user whose avatar passed', async () => {
    const { traceId } = await world();
    expectOk(await deliverMediaVerdict(cloud(), traceId, 'pass'));
    expect(expectOk(await login({}))).not.toHaveProperty('avatarRemoved');
  });
});

/**
 * The database and storage fail at each operation of each function in turn: the answer is a
 * typed envelope, no record is half-written (each stays as before or as after), no uploaded file
 * is left without a record pointing at it, no personal data is logged, and the same call retried
 * afterwards succeeds and ends where an undisturbed call ends.
 */
import { avatarCloudPath } from '../../miniprogram/shared/avatar-path';
import { ERROR_CODES, type Result } from '../../miniprogram/shared/errors';
import type { FakeWxServerSdk } from '../../emulation/fake-wx-server-sdk';
import { ALICE, BOB, expectOk, useFakeCloud } from '../../test/fake-cloud';
import { WECHAT_PROFILE } from '../../test/fixtures';
import { assertWellFormedRecord, snapshot, untrackedFiles } from '../../test/user-state';
import { main as deleteAccount } from './deleteAccount';
import { main as getProfile } from './getProfile';
import { main as login } from './login';
import { main as saveProfile } from './saveProfile';

const cloud = useFakeCloud();
const SECRETS = [ALICE.OPENID!, 'uAlice', '小明', '小红', 'thirdwx', 'avatars/'];

async function upload(sdk: FakeWxServerSdk, openid: string, timestamp: number) {
  return (
    await sdk.uploadFile({ cloudPath: avatarCloudPath(openid, timestamp, 'a.png'), fileContent: Buffer.from('x') })
  ).fileID;
}

/** Alice logged in with an uploaded avatar, Bob beside her. */
async function withUsers(sdk: FakeWxServerSdk) {
  sdk.withCollection('users').callAs(BOB);
  expectOk(await login({}));
  sdk.callAs({ ...ALICE, UNIONID: 'uAlice' });
  expectOk(await login({}));
  const avatar = await upload(sdk, ALICE.OPENID!, 1);
  expectOk(await saveProfile({ nickName: '小红', avatarFileID: avatar }));
}

type Call = () => Promise<Result<unknown>>;
const SCENARIOS: Record<string, (sdk: FakeWxServerSdk) => Promise<Call>> = {
  'login, new user': async (sdk) => (sdk.withCollection('users').callAs(ALICE), () => login({})),
  'login, returning user with a new unionid': async (sdk) => {
    await withUsers(sdk);
    sdk.callAs({ ...ALICE, UNIONID: 'uAliceNew' });
    return () => login({});
  },
  'saveProfile, CloudID resolved by the platform': async (sdk) => {
    await withUsers(sdk);
    const event = sdk.eventWithCloudIDs({}, { profile: sdk.mintCloudID(ALICE.OPENID!, WECHAT_PROFILE) });
    return () => saveProfile(event);
  },
  'saveProfile, bare cloudID through getOpenData': async (sdk) => {
    await withUsers(sdk);
    const cloudID = sdk.mintCloudID(ALICE.OPENID!, WECHAT_PROFILE);
    return () => saveProfile({ profile: cloudID });
  },
  'saveProfile, fill-in replacing an uploaded avatar': async (sdk) => {
    await withUsers(sdk);
    const avatarFileID = await upload(sdk, ALICE.OPENID!, 2);
    return () => saveProfile({ nickName: '小红', avatarFileID });
  },
  'saveProfile, fill-in on a record of the previous version': async (sdk) => {
    await withUsers(sdk);
    const legacy = sdk.collections.get('users')!.get(ALICE.OPENID!)!;
    delete legacy.avatarFiles;
    legacy.staleAvatarFiles = [await upload(sdk, ALICE.OPENID!, 2)];
    const avatarFileID = await upload(sdk, ALICE.OPENID!, 3);
    return () => saveProfile({ nickName: '小红', avatarFileID });
  },
  'deleteAccount of a record of the previous version': async (sdk) => {
    await withUsers(sdk);
    const legacy = sdk.collections.get('users')!.get(ALICE.OPENID!)!;
    delete legacy.avatarFiles;
    legacy.staleAvatarFiles = [await upload(sdk, ALICE.OPENID!, 2)];
    return () => deleteAccount({});
  },
  getProfile: async (sdk) => (await withUsers(sdk), () => getProfile({})),
  deleteAccount: async (sdk) => (await withUsers(sdk), () => deleteAccount({})),
};

describe.each(Object.entries(SCENARIOS))('%s', (_, setUp) => {
  it('fails safely at every database and storage operation, and a retry succeeds', async () => {
    const undisturbed = cloud();
    const call = await setUp(undisturbed);
    const before = undisturbed.totalOperations;
    expectOk(await call());
    const operations = undisturbed.totalOperations - before;
    const after = snapshot(undisturbed);
    expect(operations).toBeGreaterThan(0);

    for (let nth = 1; nth <= operations; nth++) {
      const { FakeWxServerSdk } = jest.requireActual(
        '../../emulation/fake-wx-server-sdk',
      ) as typeof import('../../emulation/fake-wx-server-sdk');
      const sdk = new FakeWxServerSdk();
      require('../../test/sdk-target').setSdkTarget(sdk);
      const retry = await setUp(sdk);
      const initial = snapshot(sdk);
      const initialOrphans = [ALICE.OPENID!, BOB.OPENID!].flatMap((openid) => untrackedFiles(sdk, openid));
      sdk.failOnAnyOperation(nth);
      const answer = await retry();
      const context = `operation ${nth} of ${operations}`;
      if (!answer.ok)
        expect({ context, code: ERROR_CODES.includes(answer.error.code) }).toEqual({ context, code: true });
      const now = snapshot(sdk);
      for (const [id, record] of Object.entries(now.users)) {
        assertWellFormedRecord(id, sdk.stored('users', id)!);
        // A failed call leaves each record as it was or as a finished call leaves it (a failed
        // deleteAccount: marked for deletion); a call that answered ok may only differ in the
        // avatar files it still tracks for a later deletion.
        const allowed = answer.ok
          ? [after.users[id]]
          : [initial.users[id], after.users[id], initial.users[id] && { ...initial.users[id], deletingAt: 'DATE' }];
        const comparable = answer.ok
          ? {
              ...record,
              avatarFiles: after.users[id]?.avatarFiles,
              staleAvatarFiles: after.users[id]?.staleAvatarFiles,
            }
          : record;
        const same = allowed.some((r) => JSON.stringify(r) === JSON.stringify(comparable));
        expect({ context, id, same }).toEqual({ context, id, same: true });
      }
      // Whatever failed, the call orphaned no file: every file it accepted is tracked.
      for (const openid of [ALICE.OPENID!, BOB.OPENID!]) {
        const orphans = untrackedFiles(sdk, openid).filter((f) => !initialOrphans.includes(f));
        expect({ context, orphans }).toEqual({ context, orphans: [] });
      }
      const logged = JSON.stringify(sdk.logs);
      for (const secret of SECRETS)
        expect({ context, leaked: logged.includes(secret) ? secret : null }).toEqual({ context, leaked: null });

      expectOk(await retry());
      expect({ context, state: snapshot(sdk) }).toEqual({ context, state: after });
    }
  });
});

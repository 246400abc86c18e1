/**
 * The database and storage fail at each operation of each function in turn: the answer is a
 * typed envelope, no record is half-written (each stays as before or as after), no uploaded file
 * is left without a record pointing at it, no personal data is logged, and the same call retried
 * afterwards succeeds and ends where an undisturbed call ends. Every function's scenario runs,
 * and a few more cases of the same functions. The content checks (msgSecCheck, mediaCheckAsync)
 * are operations like the others: their failures are faults too.
 */
import { ERROR_CODES } from '@shared/errors';
import { USERS_COLLECTION } from '../users/user-record';
import type { FakeWxServerSdk } from '../../testing/fake-wx-server-sdk';
import { expectOk, useFakeCloud } from '../../testing/fake-cloud';
import { ALICE, BOB, WECHAT_PROFILE } from '../../testing/fixtures';
import { assertWellFormedRecord, snapshot, untrackedFiles } from '../../testing/user-state';
import {
  ALICE_NICKNAME,
  ALICE_UNIONID,
  aliceAndBob,
  pushContext,
  SCENARIOS,
  uploadAgain,
  uploadAvatar,
  type AnyScenario,
} from '../../testing/scenarios';
import { traceIdOf } from '../../testing/media-check-delivery';

const cloud = useFakeCloud();
const SECRETS = [ALICE.OPENID, ALICE_UNIONID, '小明', ALICE_NICKNAME, 'thirdwx', 'avatars/'];

/** Turns a record of the world into one the previous version wrote: a stale list, no avatarFiles. */
async function makeLegacy(sdk: FakeWxServerSdk): Promise<void> {
  const legacy = sdk.collections.get(USERS_COLLECTION)!.get(ALICE.OPENID)!;
  delete legacy.avatarFiles;
  legacy.staleAvatarFiles = [await uploadAvatar(sdk, ALICE.OPENID, 2)];
}

const MORE_CASES: Record<string, AnyScenario> = {
  'login, new user': {
    main: SCENARIOS.login.main,
    setUp: async (sdk) => (sdk.withCollection(USERS_COLLECTION).callAs(ALICE), {}),
  },
  'saveProfile, CloudID resolved by the platform': {
    main: SCENARIOS.saveProfile.main,
    setUp: async (sdk) => {
      await aliceAndBob(sdk);
      return sdk.eventWithCloudIDs({}, { profile: sdk.mintCloudID(ALICE.OPENID, WECHAT_PROFILE) });
    },
  },
  'saveProfile, bare cloudID through getOpenData': {
    main: SCENARIOS.saveProfile.main,
    setUp: async (sdk) => {
      await aliceAndBob(sdk);
      return { profile: sdk.mintCloudID(ALICE.OPENID, WECHAT_PROFILE) };
    },
  },
  'saveProfile, fill-in on a record of the previous version': {
    main: SCENARIOS.saveProfile.main,
    setUp: async (sdk) => {
      await aliceAndBob(sdk);
      await makeLegacy(sdk);
      return { nickName: ALICE_NICKNAME, avatarFileID: await uploadAvatar(sdk, ALICE.OPENID, 3) };
    },
    again: uploadAgain,
  },
  'onMediaCheck, a pass verdict': {
    main: SCENARIOS.onMediaCheck.main,
    setUp: async (sdk) => {
      await aliceAndBob(sdk);
      const avatar = (sdk.stored(USERS_COLLECTION, ALICE.OPENID)?.profile as { avatarUrl: string }).avatarUrl;
      const event = sdk.mediaCheckEvent(traceIdOf(sdk, avatar), 'pass');
      pushContext(sdk);
      return event;
    },
  },
  'deleteAccount of a record of the previous version': {
    main: SCENARIOS.deleteAccount.main,
    setUp: async (sdk) => {
      await aliceAndBob(sdk);
      await makeLegacy(sdk);
      return {};
    },
  },
};

const CASES: Array<[string, AnyScenario]> = [...Object.entries(SCENARIOS), ...Object.entries(MORE_CASES)];

describe.each(CASES)('%s', (_, { main, setUp, again }) => {
  it('fails safely at every database and storage operation, and a retry succeeds', async () => {
    const undisturbed = cloud();
    const event = await setUp(undisturbed);
    const before = undisturbed.totalOperations;
    expectOk(await main(event));
    const operations = undisturbed.totalOperations - before;
    const after = snapshot(undisturbed);
    expect(operations).toBeGreaterThan(0);

    for (let nth = 1; nth <= operations; nth++) {
      const { FakeWxServerSdk } = jest.requireActual(
        '../../testing/fake-wx-server-sdk',
      ) as typeof import('../../testing/fake-wx-server-sdk');
      const sdk = new FakeWxServerSdk();
      require('../../testing/sdk-target').setSdkTarget(sdk);
      const retryEvent = await setUp(sdk);
      const retry = () => main(retryEvent);
      const initial = snapshot(sdk);
      const initialOrphans = [ALICE.OPENID, BOB.OPENID].flatMap((openid) => untrackedFiles(sdk, openid));
      sdk.failOnAnyOperation(nth);
      const answer = await retry();
      const context = `operation ${nth} of ${operations}`;
      if (!answer.ok)
        expect({ context, code: ERROR_CODES.includes(answer.error.code) }).toEqual({ context, code: true });
      const now = snapshot(sdk);
      for (const [id, record] of Object.entries(now.users)) {
        assertWellFormedRecord(id, sdk.stored(USERS_COLLECTION, id)!);
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
      for (const openid of [ALICE.OPENID, BOB.OPENID]) {
        const orphans = untrackedFiles(sdk, openid).filter((f) => !initialOrphans.includes(f));
        expect({ context, orphans }).toEqual({ context, orphans: [] });
      }
      const logged = JSON.stringify(sdk.logs);
      for (const secret of SECRETS)
        expect({ context, leaked: logged.includes(secret) ? secret : null }).toEqual({ context, leaked: null });

      expectOk(await main(again ? again(sdk, retryEvent) : retryEvent));
      expect({ context, state: snapshot(sdk) }).toEqual({ context, state: after });
    }
  });
});

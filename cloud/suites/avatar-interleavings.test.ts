/**
 * Avatar files under concurrency: one user's saveProfile calls (each with its own uploaded file)
 * race each other, a path-A save and possibly deleteAccount, in orders chosen by fast-check's
 * scheduler (the double yields before every database and storage operation). Whatever the order,
 * no file the server accepted is left in storage without a record pointing at it, and after
 * deleteAccount no file of the user is left at all.
 */
import fc from 'fast-check';
import { parseAvatarFileID } from '@shared/avatar-path';
import { ERROR_CODES, type Result } from '@shared/errors';
import { main as deleteAccount } from '../functions/deleteAccount';
import { main as login } from '../functions/login';
import { main as saveProfile } from '../functions/saveProfile';
import { USERS_COLLECTION } from '../users/user-record';
import { FakeWxServerSdk } from '../../testing/fake-wx-server-sdk';
import { setSdkTarget } from '../../testing/sdk-target';
import { expectOk } from '../../testing/fake-cloud';
import { ALICE, WECHAT_PROFILE } from '../../testing/fixtures';
import { interleaved } from '../../testing/interleavings';
import { uploadAvatar } from '../../testing/scenarios';
import { avatarFilesOf, untrackedFiles } from '../../testing/user-state';

const RUNS = Number(process.env.INTERLEAVING_RUNS ?? 150);
const OPENID = ALICE.OPENID;

type Start = 'no profile' | 'an avatar' | 'a legacy record';

interface Plan {
  start: Start;
  saves: number;
  openDataSave: boolean;
  deleteAccount: boolean;
  resaveCurrent: boolean;
}

const plan: fc.Arbitrary<Plan> = fc.record({
  start: fc.constantFrom<Start>('no profile', 'an avatar', 'a legacy record'),
  saves: fc.integer({ min: 2, max: 5 }),
  openDataSave: fc.boolean(),
  deleteAccount: fc.boolean(),
  // The current avatar (when there is one) saved again with a new nickname, racing the others.
  resaveCurrent: fc.boolean(),
});

/** Alice logged in, in the starting state the plan asks for. */
async function aliceStarting(sdk: FakeWxServerSdk, start: Start): Promise<void> {
  sdk.withCollection(USERS_COLLECTION).callAs(ALICE);
  expectOk(await login({}));
  if (start === 'no profile') return;
  const current = await uploadAvatar(sdk, OPENID, 1);
  expectOk(await saveProfile({ nickName: '小红', avatarFileID: current }));
  if (start === 'a legacy record') {
    // What the previous version stored: the current avatar untracked, a failed deletion remembered.
    const stale = await uploadAvatar(sdk, OPENID, 2);
    const record = sdk.collections.get(USERS_COLLECTION)!.get(OPENID)!;
    delete record.avatarFiles;
    record.staleAvatarFiles = [stale];
  }
}

/** The stored profile's avatar, or '' without a profile. */
function currentAvatar(sdk: FakeWxServerSdk): string {
  const profile = sdk.stored(USERS_COLLECTION, OPENID)?.profile as { avatarUrl?: string } | null | undefined;
  return profile?.avatarUrl ?? '';
}

describe('avatar files under any interleaving of concurrent calls', () => {
  it(`are always recorded, and all gone after deleteAccount (${RUNS} interleavings)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), plan, async (s, p) => {
        const sdk = new FakeWxServerSdk();
        setSdkTarget(sdk);
        await aliceStarting(sdk, p.start);
        const uploads = await Promise.all(
          Array.from({ length: p.saves }, (_, i) => uploadAvatar(sdk, OPENID, 100 + i)),
        );
        const event = p.openDataSave
          ? sdk.eventWithCloudIDs({}, { profile: sdk.mintCloudID(OPENID, WECHAT_PROFILE) })
          : undefined;

        const current = currentAvatar(sdk);
        const resaves = p.resaveCurrent && current !== '';
        const answers = await interleaved(sdk, s, () => {
          const calls: Array<Promise<Result<unknown>>> = uploads.map((avatarFileID) =>
            saveProfile({ nickName: '小红', avatarFileID }),
          );
          if (event) calls.push(saveProfile(event));
          if (resaves) calls.push(saveProfile({ nickName: '小红二', avatarFileID: current }));
          if (p.deleteAccount) calls.push(deleteAccount({}));
          return calls;
        });
        const resave = resaves ? answers[uploads.length + (event ? 1 : 0)] : null;

        for (const answer of answers) {
          if (answer.ok) continue;
          expect(ERROR_CODES).toContain(answer.error.code);
          // Saving the current avatar again may lose to a newer avatar: it was replaced meanwhile.
          if (answer === resave && answer.error.code === 'INVALID_ARGUMENT') continue;
          // Only a save that lost the race with deleteAccount may fail: the account is gone.
          expect({ deleteAccount: p.deleteAccount, code: answer.error.code }).toEqual({
            deleteAccount: true,
            code: 'NOT_FOUND',
          });
        }

        if (p.deleteAccount) {
          const deletion = answers[answers.length - 1];
          if (!deletion.ok) expectOk(await deleteAccount({}));
          expect({ record: sdk.stored(USERS_COLLECTION, OPENID), files: avatarFilesOf(sdk, OPENID) }).toEqual({
            record: undefined,
            files: [],
          });
          return;
        }

        expect({ untracked: untrackedFiles(sdk, OPENID) }).toEqual({ untracked: [] });
        // Once every call has finished, only the current avatar (if it is an upload) is kept.
        const avatar = currentAvatar(sdk);
        expect(avatarFilesOf(sdk, OPENID)).toEqual(parseAvatarFileID(avatar) ? [avatar] : []);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});

/**
 * A risky verdict on the current avatar (the wxa_media_check push, possibly delivered twice)
 * races saves of new avatars and possibly deleteAccount, in orders chosen by fast-check's
 * scheduler. Whatever the order: no file is left untracked, the profile never points at a
 * deleted file, a pending check always belongs to the current avatar, and after deleteAccount
 * nothing of the user is left.
 */
import fc from 'fast-check';
import { ERROR_CODES, type Result } from '@shared/errors';
import { main as deleteAccount } from '../functions/deleteAccount';
import { main as login } from '../functions/login';
import { main as saveProfile } from '../functions/saveProfile';
import { USERS_COLLECTION } from '../users/user-record';
import { FakeWxServerSdk } from '../../testing/fake-wx-server-sdk';
import { setSdkTarget } from '../../testing/sdk-target';
import { expectOk } from '../../testing/fake-cloud';
import { ALICE } from '../../testing/fixtures';
import { deliverMediaVerdict, traceIdOf } from '../../testing/media-check-delivery';
import { interleaved } from '../../testing/interleavings';
import { uploadAvatar } from '../../testing/scenarios';
import { assertWellFormedRecord, avatarFilesOf, untrackedFiles } from '../../testing/user-state';

const RUNS = Number(process.env.INTERLEAVING_RUNS ?? 150);
const OPENID = ALICE.OPENID;

const plan = fc.record({
  saves: fc.integer({ min: 1, max: 3 }),
  deliveries: fc.integer({ min: 1, max: 2 }),
  deleteAccount: fc.boolean(),
  // The current (checked) avatar saved again with a new nickname, racing its own verdict.
  resaveCurrent: fc.boolean(),
});

describe('a risky avatar verdict under any interleaving with saves and deleteAccount', () => {
  it(`leaves no orphan and no profile pointing at a deleted file (${RUNS} interleavings)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), plan, async (s, p) => {
        const sdk = new FakeWxServerSdk();
        setSdkTarget(sdk);
        sdk.withCollection(USERS_COLLECTION).callAs(ALICE);
        expectOk(await login({}));
        const first = await uploadAvatar(sdk, OPENID, 1);
        expectOk(await saveProfile({ nickName: '小红', avatarFileID: first }));
        const traceId = traceIdOf(sdk, first);
        const uploads = await Promise.all(
          Array.from({ length: p.saves }, (_, i) => uploadAvatar(sdk, OPENID, 100 + i)),
        );

        const answers = await interleaved(sdk, s, () => {
          const calls: Array<Promise<Result<unknown>>> = [
            ...uploads.map((avatarFileID) => saveProfile({ nickName: '小红', avatarFileID })),
            ...Array.from({ length: p.deliveries }, () => deliverMediaVerdict(sdk, traceId, 'risky')),
          ];
          if (p.resaveCurrent) calls.push(saveProfile({ nickName: '小红二', avatarFileID: first }));
          if (p.deleteAccount) calls.push(deleteAccount({}));
          return calls;
        });
        const resave = p.resaveCurrent ? answers[uploads.length + p.deliveries] : null;

        for (const answer of answers) {
          if (answer.ok) continue;
          // Saving the checked avatar again may lose to its verdict or to a newer avatar.
          if (answer === resave && answer.error.code === 'INVALID_ARGUMENT') continue;
          expect(ERROR_CODES).toContain(answer.error.code);
          expect({ deleteAccount: p.deleteAccount, code: answer.error.code }).toEqual({
            deleteAccount: true,
            code: 'NOT_FOUND',
          });
        }

        if (p.deleteAccount) {
          if (!answers[answers.length - 1].ok) expectOk(await deleteAccount({}));
          expect({ record: sdk.stored(USERS_COLLECTION, OPENID), files: avatarFilesOf(sdk, OPENID) }).toEqual({
            record: undefined,
            files: [],
          });
          return;
        }

        const record = sdk.stored(USERS_COLLECTION, OPENID)!;
        assertWellFormedRecord(OPENID, record);
        expect({ untracked: untrackedFiles(sdk, OPENID) }).toEqual({ untracked: [] });
        const current = (record.profile as { avatarUrl: string }).avatarUrl;
        // The avatar is a stored file or none; once every call has finished, only it is kept.
        if (current !== '') expect(sdk.files.has(current)).toBe(true);
        expect(avatarFilesOf(sdk, OPENID)).toEqual(current === '' ? [] : [current]);
        // The risky file itself is never the avatar again, and the verdict never removes a newer
        // avatar: every save of a new upload succeeded, so the last one written is the avatar.
        expect(current).not.toBe(first);
        if (!p.resaveCurrent) expect(uploads).toContain(current);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});

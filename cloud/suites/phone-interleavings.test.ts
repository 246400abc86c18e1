/**
 * The phone number under concurrency: bindPhone calls (each with its own code), unbindPhone and
 * possibly deleteAccount race in orders chosen by fast-check's scheduler. Whatever the order, the
 * record ends with one of the numbers bound or none, well formed; after deleteAccount the number
 * is gone with the record, never written back.
 */
import fc from 'fast-check';
import { ERROR_CODES, type Result } from '@shared/errors';
import { main as bindPhone } from '../functions/bindPhone';
import { main as deleteAccount } from '../functions/deleteAccount';
import { main as login } from '../functions/login';
import { main as unbindPhone } from '../functions/unbindPhone';
import { USERS_COLLECTION } from '../users/user-record';
import { expectOk } from '../../testing/fake-cloud';
import { FakeWxServerSdk } from '../../testing/fake-wx-server-sdk';
import { interleaved } from '../../testing/interleavings';
import { ALICE } from '../../testing/fixtures';
import { setSdkTarget } from '../../testing/sdk-target';
import { assertWellFormedRecord } from '../../testing/user-state';

const RUNS = Number(process.env.INTERLEAVING_RUNS ?? 150);

const plan = fc.record({
  binds: fc.integer({ min: 1, max: 3 }),
  unbind: fc.boolean(),
  deleteAccount: fc.boolean(),
});

describe('the phone number under any interleaving of concurrent calls', () => {
  it(`ends bound to one of the numbers or none, and gone after deleteAccount (${RUNS} interleavings)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), plan, async (s, p) => {
        const sdk = new FakeWxServerSdk();
        setSdkTarget(sdk);
        sdk.withCollection(USERS_COLLECTION).callAs(ALICE);
        expectOk(await login({}));
        const numbers = Array.from({ length: p.binds }, (_, i) => `1380000000${i}`);
        const codes = numbers.map((n) => sdk.mintPhoneCode(ALICE.OPENID, n));

        const answers = await interleaved(sdk, s, () => {
          const calls: Array<Promise<Result<unknown>>> = codes.map((code) => bindPhone({ code }));
          if (p.unbind) calls.push(unbindPhone({}));
          if (p.deleteAccount) calls.push(deleteAccount({}));
          return calls;
        });

        for (const answer of answers) {
          if (answer.ok) continue;
          expect(ERROR_CODES).toContain(answer.error.code);
          // Only a call that lost the race with deleteAccount may fail: the account is gone.
          expect({ deleteAccount: p.deleteAccount, code: answer.error.code }).toEqual({
            deleteAccount: true,
            code: 'NOT_FOUND',
          });
        }
        const record = sdk.stored(USERS_COLLECTION, ALICE.OPENID);
        if (p.deleteAccount) {
          expect(record).toBeUndefined();
          return;
        }
        assertWellFormedRecord(ALICE.OPENID, record!);
        const phone = record!.phone as { purePhoneNumber: string } | undefined;
        if (!p.unbind) expect(numbers).toContain(phone?.purePhoneNumber);
        else if (phone) expect(numbers).toContain(phone.purePhoneNumber);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});

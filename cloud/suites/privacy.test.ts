/**
 * No openid, unionid, nickname, avatar, phone or media-check trace id reaches any log: the platform logger (captured by the
 * double) or the console, whether each function's call succeeds or fails at any operation (with
 * an error whose text carries the user's data).
 */
import { FUNCTION_NAMES } from '@shared/api';
import { FakeWxServerSdk } from '../../testing/fake-wx-server-sdk';
import { setSdkTarget } from '../../testing/sdk-target';
import { ALICE } from '../../testing/fixtures';
import { ALICE_NICKNAME, ALICE_PHONE, ALICE_UNIONID, SCENARIOS } from '../../testing/scenarios';

// The phone number whole and in its parts (a log of the masked form would show its last 4 digits).
const PERSONAL = [ALICE.OPENID, ALICE_UNIONID, ALICE_NICKNAME, 'avatars/', ALICE_PHONE, ALICE_PHONE.slice(-4)];

let consoleOutput: string[] = [];
beforeEach(() => {
  consoleOutput = [];
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      consoleOutput.push(
        args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : JSON.stringify(a))).join(' '),
      );
    });
  }
});
afterEach(() => jest.restoreAllMocks());

/** A fresh world for the function's scenario, with the event to call it with. */
async function world(name: (typeof FUNCTION_NAMES)[number]) {
  const sdk = new FakeWxServerSdk();
  setSdkTarget(sdk);
  const event = await SCENARIOS[name].setUp(sdk);
  return { sdk, call: () => SCENARIOS[name].main(event) };
}

describe.each(FUNCTION_NAMES)('%s', (name) => {
  it('logs nothing personal, on success or on a failure at any operation', async () => {
    const logs: unknown[] = [];
    // The media checks' trace ids (internal: they find a user's record) must not be logged either.
    const traceIds: string[] = [];
    const undisturbed = await world(name);
    const before = undisturbed.sdk.totalOperations;
    await undisturbed.call();
    const operations = undisturbed.sdk.totalOperations - before;
    logs.push(...undisturbed.sdk.logs);
    traceIds.push(...undisturbed.sdk.mediaChecks.keys());
    expect(operations).toBeGreaterThan(0);

    for (let nth = 1; nth <= operations; nth++) {
      const { sdk, call } = await world(name);
      const secret = `boom ${ALICE.OPENID} ${ALICE_NICKNAME} ${ALICE_UNIONID}`;
      sdk.failOnAnyOperation(nth, Object.assign(new Error(secret), { errCode: -501001 }));
      await call();
      logs.push(...sdk.logs);
      traceIds.push(...sdk.mediaChecks.keys());
    }

    expect(logs.length).toBeGreaterThan(0);
    const everything = JSON.stringify(logs) + consoleOutput.join('\n');
    expect(traceIds.length).toBeGreaterThan(0);
    for (const secret of [...PERSONAL, ...traceIds]) {
      expect({ secret, logged: everything.includes(secret) }).toEqual({ secret, logged: false });
    }
  });
});

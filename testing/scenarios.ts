/**
 * One typical call of every function, in the world it needs. The cross-function suites
 * (hostile input, faults, privacy) and the bench run every function through this table, keyed
 * by FunctionName: a function without its scenario, or with another function's main, does
 * not compile.
 */
import type { FunctionName } from '@shared/api';
import { avatarCloudPath } from '@shared/avatar-path';
import type { CloudMain } from '../cloud/core/handler';
import { main as bindPhone } from '../cloud/functions/bindPhone';
import { main as deleteAccount } from '../cloud/functions/deleteAccount';
import { main as getProfile } from '../cloud/functions/getProfile';
import { main as login } from '../cloud/functions/login';
import { main as onMediaCheck } from '../cloud/functions/onMediaCheck';
import { main as saveProfile } from '../cloud/functions/saveProfile';
import { main as unbindPhone } from '../cloud/functions/unbindPhone';
import { USERS_COLLECTION } from '../cloud/users/user-record';
import type { FakeWxServerSdk } from './fake-wx-server-sdk';
import { ALICE, BOB } from './fixtures';
import { traceIdOf } from './media-check-delivery';

interface Scenario<N extends FunctionName> {
  main: CloudMain<N>;
  /** Sets the double up for the call (caller, records, files) and answers the event to send. */
  setUp(sdk: FakeWxServerSdk): Promise<Record<string, unknown>>;
  /**
   * The event of the user's next try after a failed call, when it differs from the first: a
   * phone code is single use, so trying bindPhone again is a new tap and a new code.
   */
  again?(sdk: FakeWxServerSdk, event: Record<string, unknown>): Record<string, unknown>;
}

/**
 * A refused save deletes its new upload; the client uploads the file again from its local copy
 * (same path) before it tries again.
 */
export function uploadAgain(sdk: FakeWxServerSdk, event: Record<string, unknown>): Record<string, unknown> {
  const { avatarFileID } = event;
  if (typeof avatarFileID === 'string' && !sdk.files.has(avatarFileID)) sdk.files.set(avatarFileID, Buffer.from('x'));
  return event;
}

/** The call context of a platform push (消息推送): no user. */
export function pushContext(sdk: FakeWxServerSdk): void {
  sdk.context = { ENV: sdk.env };
}

export type AnyScenario = Scenario<FunctionName>;

/** Alice's personal data in the scenarios' world: none of it may reach a log. */
export const ALICE_UNIONID = 'uAlice';
export const ALICE_NICKNAME = '小红';
export const ALICE_PHONE = '13812345678';

/** Alice and Bob as in aliceAndBob, Alice's phone number bound. */
export async function aliceWithPhone(sdk: FakeWxServerSdk): Promise<void> {
  await aliceAndBob(sdk);
  await succeed(bindPhone({ code: sdk.mintPhoneCode(ALICE.OPENID, ALICE_PHONE) }));
}

export async function uploadAvatar(sdk: FakeWxServerSdk, openid: string, timestamp: number): Promise<string> {
  const cloudPath = avatarCloudPath(openid, timestamp, 'a.png');
  return (await sdk.uploadFile({ cloudPath, fileContent: Buffer.from('x') })).fileID;
}

/** Unwraps a success of a set-up step, throwing (with the code only) otherwise. */
async function succeed(answer: Promise<{ ok: boolean; error?: { code: string } }>): Promise<void> {
  const result = await answer;
  if (!result.ok) throw new Error(`set-up call failed: ${result.error?.code}`);
}

/** Bob logged in; Alice logged in (with a unionid) and her profile saved with an uploaded avatar. */
export async function aliceAndBob(sdk: FakeWxServerSdk): Promise<void> {
  sdk.withCollection(USERS_COLLECTION).callAs(BOB);
  await succeed(login({}));
  sdk.callAs({ ...ALICE, UNIONID: ALICE_UNIONID });
  await succeed(login({}));
  const avatarFileID = await uploadAvatar(sdk, ALICE.OPENID, 1);
  await succeed(saveProfile({ nickName: ALICE_NICKNAME, avatarFileID }));
}

/**
 * Alice with her current avatar and a replaced one whose deletion failed (still tracked), Bob
 * with his own avatar beside her. Answers the three fileIDs.
 */
export async function aliceWithStaleAvatar(
  sdk: FakeWxServerSdk,
): Promise<{ bobs: string; first: string; second: string }> {
  sdk.withCollection(USERS_COLLECTION).callAs(BOB);
  await succeed(login({}));
  const bobs = await uploadAvatar(sdk, BOB.OPENID, 1);
  await succeed(saveProfile({ nickName: 'Bob', avatarFileID: bobs }));
  sdk.callAs({ ...ALICE, UNIONID: ALICE_UNIONID });
  await succeed(login({}));
  const first = await uploadAvatar(sdk, ALICE.OPENID, 1);
  const second = await uploadAvatar(sdk, ALICE.OPENID, 2);
  await succeed(saveProfile({ nickName: ALICE_NICKNAME, avatarFileID: first }));
  sdk.failOn('deleteFile');
  await succeed(saveProfile({ nickName: ALICE_NICKNAME, avatarFileID: second }));
  return { bobs, first, second };
}

export const SCENARIOS: { readonly [N in FunctionName]: Scenario<N> } = {
  login: {
    main: login,
    // A returning user with a unionid seen for the first time: a read and a write.
    setUp: async (sdk) => {
      await aliceAndBob(sdk);
      sdk.callAs({ ...ALICE, UNIONID: `${ALICE_UNIONID}New` });
      return {};
    },
  },
  saveProfile: {
    main: saveProfile,
    // The fill-in replacing an uploaded avatar: check the upload, write, delete the old file.
    setUp: async (sdk) => {
      await aliceAndBob(sdk);
      return { nickName: ALICE_NICKNAME, avatarFileID: await uploadAvatar(sdk, ALICE.OPENID, 2) };
    },
    again: uploadAgain,
  },
  getProfile: { main: getProfile, setUp: async (sdk) => (await aliceWithPhone(sdk), {}) },
  deleteAccount: { main: deleteAccount, setUp: async (sdk) => (await aliceWithPhone(sdk), {}) },
  bindPhone: {
    main: bindPhone,
    // The exchange of a fresh code (the cloud call) and one write.
    setUp: async (sdk) => {
      await aliceAndBob(sdk);
      return { code: sdk.mintPhoneCode(ALICE.OPENID, ALICE_PHONE) };
    },
    again: (sdk) => ({ code: sdk.mintPhoneCode(ALICE.OPENID, ALICE_PHONE) }),
  },
  unbindPhone: { main: unbindPhone, setUp: async (sdk) => (await aliceWithPhone(sdk), {}) },
  onMediaCheck: {
    main: onMediaCheck,
    // WeChat's push of a risky verdict on Alice's avatar: the avatar removed, its file deleted.
    setUp: async (sdk) => {
      await aliceAndBob(sdk);
      const avatar = (sdk.stored(USERS_COLLECTION, ALICE.OPENID)?.profile as { avatarUrl: string }).avatarUrl;
      const event = sdk.mediaCheckEvent(traceIdOf(sdk, avatar), 'risky');
      pushContext(sdk);
      return event;
    },
  },
};

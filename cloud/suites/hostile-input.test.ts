/**
 * Property-based: thousands of random and hostile events per function (every function of the
 * contract, through its scenario's main). Each answers the error envelope or a valid result,
 * never throws, never stores a field outside the whitelist, and never touches another user's
 * record or files.
 */
import fc from 'fast-check';
import { FUNCTION_NAMES } from '@shared/api';
import { ERROR_CODES, type Result } from '@shared/errors';
import { USERS_COLLECTION } from '../users/user-record';
import { FakeWxServerSdk } from '../../testing/fake-wx-server-sdk';
import { setSdkTarget } from '../../testing/sdk-target';
import { expectOk } from '../../testing/fake-cloud';
import { ALICE, APPID, BOB, BUCKET, ENV } from '../../testing/fixtures';
import { assertWellFormedRecord } from '../../testing/user-state';
import { SCENARIOS } from '../../testing/scenarios';

const RUNS = Number(process.env.HOSTILE_RUNS ?? 1500);
const login = SCENARIOS.login.main;
const saveProfile = SCENARIOS.saveProfile.main;
const FORGED_IDS = [BOB.OPENID, 'oEvil', '', '../x', { $ne: null }];

const hostileKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  '_openid',
  '_id',
  'openid',
  'OPENID',
  'userInfo',
  'unionid',
  'loginCount',
  'profile',
  'nickName',
  'avatarFileID',
  'via',
  'staleAvatarFiles',
  'avatarFiles',
  'deletingAt',
  '$where',
  'avatarCheck',
  'avatarRemoved',
  'MsgType',
  'Event',
  'trace_id',
  'result',
  'FromUserName',
);
const hugeString = fc.integer({ min: 1000, max: 200_000 }).map((n) => 'x'.repeat(n));
const deep = fc.integer({ min: 50, max: 2000 }).map((depth) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { nested: value };
  return value;
});
const cloudIDShaped = fc.record({
  cloudID: fc.string(),
  data: fc.record({
    nickName: fc.oneof(fc.string(), fc.constant('小明')),
    avatarUrl: fc.oneof(fc.webUrl(), fc.constant('https://thirdwx.qlogo.cn/a/132')),
    gender: fc.oneof(fc.integer(), fc.constant(1)),
    watermark: fc.record({
      appid: fc.oneof(fc.constant('wxOTHER'), fc.string(), fc.constant(APPID)),
      timestamp: fc.integer(),
    }),
    openId: fc.constantFrom(...(FORGED_IDS.filter((f) => typeof f === 'string') as string[])),
  }),
  errCode: fc.option(fc.integer({ min: -700000, max: 0 }), { nil: undefined }),
});
const fileIDs = fc.oneof(
  fc.constantFrom(
    `cloud://${ENV}.${BUCKET}/avatars/${BOB.OPENID}/1.png`,
    `cloud://other-env.${BUCKET}/avatars/${ALICE.OPENID}/1.png`,
    `cloud://${ENV}.${BUCKET}/avatars/${ALICE.OPENID}/../${BOB.OPENID}/1.png`,
    `cloud://${ENV}.${BUCKET}/avatars/${ALICE.OPENID}/2.png`,
  ),
  fc.string(),
  fc.webUrl(),
);
const leafValue = fc.oneof(fc.anything(), hugeString, deep, cloudIDShaped, fileIDs, fc.constantFrom(...FORGED_IDS));
const hostileObject = fc.dictionary(fc.oneof(hostileKey, fc.string()), leafValue, { maxKeys: 8 });
const withProtoKeys = hostileObject.map(
  (o) =>
    JSON.parse(
      `{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}, ${JSON.stringify(o).slice(1)}`.replace(
        /, }$/,
        '}',
      ),
    ) as unknown,
);
/** Shaped like the wxa_media_check push, with forged or malformed fields (no real trace id is known). */
const mediaCheckShaped = fc.record({
  MsgType: fc.oneof(fc.constant('event'), fc.anything()),
  Event: fc.oneof(fc.constant('wxa_media_check'), fc.string()),
  trace_id: fc.oneof(fc.string(), hugeString, fc.constantFrom(...FORGED_IDS), fileIDs, fc.anything()),
  FromUserName: fc.constantFrom(...FORGED_IDS),
  result: fc.oneof(
    fc.record({
      suggest: fc.constantFrom('risky', 'pass', 'review', 'x'),
      label: fc.oneof(fc.integer(), fc.anything()),
    }),
    fc.anything(),
  ),
});
const event = fc.oneof(fc.anything(), hostileObject, withProtoKeys, deep, hugeString, mediaCheckShaped);
/** Sometimes the platform says it resolved `profile`: the watermark and data checks still apply. */
const openDataInfo = fc.option(
  fc.constantFrom(JSON.stringify({ keys: ['profile'] }), 'not json', JSON.stringify({ keys: 'profile' })),
  { nil: undefined },
);

async function world() {
  const sdk = new FakeWxServerSdk().withCollection(USERS_COLLECTION);
  setSdkTarget(sdk);
  sdk.callAs(BOB);
  expectOk(await login({}));
  const bobsAvatar = (await sdk.uploadFile({ cloudPath: `avatars/${BOB.OPENID}/1.png`, fileContent: Buffer.from('b') }))
    .fileID;
  expectOk(await saveProfile({ nickName: 'Bob', avatarFileID: bobsAvatar }));
  sdk.callAs(ALICE);
  expectOk(await login({}));
  await sdk.uploadFile({ cloudPath: `avatars/${ALICE.OPENID}/2.png`, fileContent: Buffer.from('a') });
  return { sdk, bob: JSON.stringify(sdk.stored(USERS_COLLECTION, BOB.OPENID)), bobsAvatar };
}

let tried = 0;
afterAll(() => console.log(`hostile-input: ${tried} cases tried across ${FUNCTION_NAMES.length} functions`));

describe.each(FUNCTION_NAMES)('%s under hostile input', (name) => {
  const main: (event: unknown) => Promise<Result<unknown>> = SCENARIOS[name].main;
  it(`answers an envelope, stores only whitelisted fields and leaves other users alone (${RUNS} cases)`, async () => {
    const { sdk, bob, bobsAvatar } = await world();
    await fc.assert(
      fc.asyncProperty(event, openDataInfo, async (input, info) => {
        tried += 1;
        sdk.callAs({ ...ALICE, OPEN_DATA_INFO: info });
        let answer: Result<unknown>;
        try {
          answer = await main(input);
        } catch (error) {
          throw new Error(`${name} threw: ${String(error)}`, { cause: error });
        }
        if (answer.ok) expect(answer.data).toBeDefined();
        else {
          expect(ERROR_CODES).toContain(answer.error.code);
          expect(typeof answer.error.message).toBe('string');
          expect(answer.error.message).not.toMatch(/\n\s+at /);
        }
        expect(JSON.stringify(sdk.stored(USERS_COLLECTION, BOB.OPENID))).toBe(bob);
        expect(sdk.files.has(bobsAvatar)).toBe(true);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        const users = sdk.collections.get(USERS_COLLECTION)!;
        for (const id of users.keys()) assertWellFormedRecord(id, sdk.stored(USERS_COLLECTION, id)!);
        expect([...users.keys()].every((id) => id === ALICE.OPENID || id === BOB.OPENID)).toBe(true);
        if (!sdk.stored(USERS_COLLECTION, ALICE.OPENID)) {
          sdk.callAs(ALICE);
          expectOk(await login({}));
        }
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});

/**
 * Every cloud call (`cloud.openapi.*`) a function makes must be declared in its
 * `cloudfunctions/<name>/config.json` `permissions.openapi`: the platform answers an undeclared
 * call with -604101, and only after deployment. Each function runs its scenario and the other
 * paths that reach a cloud call, through the double, which records the calls made; the suite
 * fails on a call the function does not declare, and on a declaration no path uses.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FUNCTION_NAMES, type FunctionName } from '@shared/api';
import { FakeWxServerSdk } from '../../testing/fake-wx-server-sdk';
import { setSdkTarget } from '../../testing/sdk-target';
import { ALICE, WECHAT_PROFILE } from '../../testing/fixtures';
import { aliceAndBob, pushContext, SCENARIOS, type AnyScenario } from '../../testing/scenarios';
import { traceIdOf } from '../../testing/media-check-delivery';
import { USERS_COLLECTION } from '../users/user-record';

const ROOT = path.resolve(__dirname, '..', '..');

function declaredApis(name: FunctionName): string[] {
  const file = path.join(ROOT, 'cloudfunctions', name, 'config.json');
  const config = JSON.parse(fs.readFileSync(file, 'utf8')) as { permissions?: { openapi?: unknown } };
  const apis = config.permissions?.openapi;
  if (!Array.isArray(apis) || !apis.every((a) => typeof a === 'string')) {
    throw new Error(`${name}/config.json: permissions.openapi must be a list of API names`);
  }
  return apis;
}

/** More paths to cloud calls than the scenarios take. */
const MORE_CASES: Array<[FunctionName, string, AnyScenario]> = [
  [
    'saveProfile',
    'CloudID path (text check only)',
    {
      main: SCENARIOS.saveProfile.main,
      setUp: async (sdk) => {
        await aliceAndBob(sdk);
        return sdk.eventWithCloudIDs({}, { profile: sdk.mintCloudID(ALICE.OPENID, WECHAT_PROFILE) });
      },
    },
  ],
  [
    'onMediaCheck',
    'a pass verdict',
    {
      main: SCENARIOS.onMediaCheck.main,
      setUp: async (sdk) => {
        await aliceAndBob(sdk);
        const avatar = (sdk.stored(USERS_COLLECTION, ALICE.OPENID)?.profile as { avatarUrl: string }).avatarUrl;
        const event = sdk.mediaCheckEvent(traceIdOf(sdk, avatar), 'pass');
        pushContext(sdk);
        return event;
      },
    },
  ],
];

const CASES: Array<[FunctionName, string, AnyScenario]> = [
  ...FUNCTION_NAMES.map((name): [FunctionName, string, AnyScenario] => [name, 'its scenario', SCENARIOS[name]]),
  ...MORE_CASES,
];

/** The cloud calls each case of `name` makes (the set-up's own calls excluded). */
async function callsOf(name: FunctionName): Promise<string[]> {
  const calls: string[] = [];
  for (const [fn, , { main, setUp }] of CASES.filter(([fn]) => fn === name)) {
    const sdk = new FakeWxServerSdk();
    setSdkTarget(sdk);
    const event = await setUp(sdk);
    const from = sdk.cloudCalls.length;
    const answer = await main(event);
    if (!answer.ok) throw new Error(`${fn}: ${answer.error.code}`);
    calls.push(...sdk.cloudCalls.slice(from));
  }
  return [...new Set(calls)].sort();
}

/** What disagrees between the calls a function makes and what it declares. */
function problems(name: FunctionName, calls: string[], declared: string[]): string[] {
  return [
    ...calls.filter((api) => !declared.includes(api)).map((api) => `${name} calls ${api} without declaring it`),
    ...declared.filter((api) => !calls.includes(api)).map((api) => `${name} declares ${api} but never calls it`),
  ];
}

describe.each(FUNCTION_NAMES)('%s/config.json', (name) => {
  it('declares exactly the cloud calls the function makes', async () => {
    expect(problems(name, await callsOf(name), declaredApis(name))).toEqual([]);
  });
});

describe('the check', () => {
  it('fails when a declaration is removed', async () => {
    const calls = await callsOf('saveProfile');
    expect(calls).toEqual(['security.mediaCheckAsync', 'security.msgSecCheck']);
    const withoutOne = declaredApis('saveProfile').filter((api) => api !== 'security.msgSecCheck');
    expect(problems('saveProfile', calls, withoutOne)).toEqual([
      'saveProfile calls security.msgSecCheck without declaring it',
    ]);
  });

  it('fails when a function declares a call it does not make', async () => {
    expect(problems('login', await callsOf('login'), ['security.msgSecCheck'])).toEqual([
      'login declares security.msgSecCheck but never calls it',
    ]);
  });
});

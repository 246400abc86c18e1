/**
 * The profile table drives the functions: a field added to it (one line in
 * miniprogram/shared/profile.ts, here in memory) is stored by both ways of saving, read back,
 * answered by login and getProfile, refused when mistyped, and checked by the test helpers.
 */
import type * as Fixtures from '../../testing/fixtures';
import { addProfileField, PROFILE_TABLE_FILE } from '../../testing/scratch-profile-field';

type Main = (event: unknown) => Promise<{ ok: boolean; data?: unknown; error?: { code: string; message: string } }>;

/** The functions and the test helpers, loaded after the table gained `bio`. */
function loadWithBio() {
  jest.resetModules();
  addProfileField("bio: { kind: 'text', label: '个人简介', fillIn: true },");
  const load = <T>(module: string): T => require(module) as T;
  const { FakeWxServerSdk } = load<typeof import('../../testing/fake-wx-server-sdk')>(
    '../../testing/fake-wx-server-sdk',
  );
  const sdk = new FakeWxServerSdk();
  load<typeof import('../../testing/sdk-target')>('../../testing/sdk-target').setSdkTarget(sdk);
  const main = (name: string) => load<{ main: Main }>(`../functions/${name}`).main;
  return {
    sdk,
    login: main('login'),
    saveProfile: main('saveProfile'),
    getProfile: main('getProfile'),
    fixtures: load<typeof Fixtures>('../../testing/fixtures'),
    userState: load<typeof import('../../testing/user-state')>('../../testing/user-state'),
    USERS_COLLECTION: load<typeof import('../users/user-record')>('../users/user-record').USERS_COLLECTION,
  };
}

afterEach(() => {
  jest.dontMock(PROFILE_TABLE_FILE);
  jest.resetModules();
});

it('stores, reads back and answers a field added to the table, and refuses it mistyped', async () => {
  const { sdk, login, saveProfile, getProfile, fixtures, userState, USERS_COLLECTION } = loadWithBio();
  const { ALICE, WECHAT_PROFILE } = fixtures;
  sdk.withCollection(USERS_COLLECTION).callAs(ALICE);
  expect((await login({})).ok).toBe(true);
  const stored = () => sdk.stored(USERS_COLLECTION, ALICE.OPENID)!;

  // Path A (WeChat's data has no bio): stored empty.
  const event = sdk.eventWithCloudIDs({}, { profile: sdk.mintCloudID(ALICE.OPENID, WECHAT_PROFILE) });
  expect(await saveProfile(event)).toMatchObject({ ok: true, data: { profile: { bio: '' } } });
  expect(userState.PROFILE_FIELDS).toContain('bio');
  userState.assertWellFormedRecord(ALICE.OPENID, stored());

  // Path B: typed in the fill-in, trimmed; refused when it is not text, naming the field.
  const { fileID } = await sdk.uploadFile({
    cloudPath: `avatars/${ALICE.OPENID}/1.png`,
    fileContent: Buffer.from('x'),
  });
  expect(await saveProfile({ nickName: '小红', avatarFileID: fileID, bio: 42 })).toEqual({
    ok: false,
    error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/^bio /) },
  });
  expect(await saveProfile({ nickName: '小红', avatarFileID: fileID, bio: ' 喜欢爬山 ' })).toMatchObject({
    ok: true,
    data: { profile: { nickName: '小红', bio: '喜欢爬山' } },
  });
  expect(stored().profile).toMatchObject({ bio: '喜欢爬山' });
  userState.assertWellFormedRecord(ALICE.OPENID, stored());
  expect(await getProfile({})).toMatchObject({ ok: true, data: { profile: { bio: '喜欢爬山' } } });

  // A record written before the field existed reads back with the field empty.
  delete (sdk.collections.get(USERS_COLLECTION)!.get(ALICE.OPENID)!.profile as Record<string, unknown>).bio;
  expect(await login({})).toMatchObject({ ok: true, data: { profile: { nickName: '小红', bio: '' } } });
  expect(() => userState.assertWellFormedRecord(ALICE.OPENID, stored())).toThrow(/profile fields/);
});

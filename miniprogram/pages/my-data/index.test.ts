import type { GetProfileData } from '../../shared/api';
import type { ErrorCode } from '../../shared/errors';
import { MESSAGES } from '../../services/messages';
import type { FakeWx } from '../../testing/fake-wx';
import { ALICE, avatarFileID, profileOf } from '../../../testing/fixtures';
import { addProfileField, PROFILE_TABLE_FILE } from '../../../testing/scratch-profile-field';
import { has, launchApp, prop, render, settle, tap, textOf, type LaunchOptions } from '../../testing/harness';

// Built from local-time parts so the expected text holds in any time zone.
const CREATED = new Date(2024, 0, 2, 3, 4).getTime();
const LAST_LOGIN = new Date(2024, 10, 12, 21, 30).getTime();

function stored(change: Partial<GetProfileData> = {}): GetProfileData {
  return {
    openid: ALICE.OPENID,
    appid: 'wxtest',
    unionid: 'oUnion000000000000000000001',
    createdAt: CREATED,
    lastLoginAt: LAST_LOGIN,
    loginCount: 7,
    profile: { ...profileOf('阿花', avatarFileID()), province: '广东', city: '深圳', language: 'zh_CN' },
    staleAvatarFiles: [],
    phone: null,
    ...change,
  };
}

async function openMyData(options: LaunchOptions = {}) {
  const fake = launchApp(options);
  const page = render('pages/my-data/index');
  await settle();
  return { fake, page };
}

function rowText(page: ReturnType<typeof render>, key: string): string {
  const node = page.querySelector(`#row-${key}`);
  if (!node) throw new Error(`no row ${key}`);
  // The label and the value, which render as adjacent text.
  return Array.from(node.dom?.children ?? [], (child) => (child.textContent ?? '').trim()).join(' ');
}

function getProfileCalls(fake: FakeWx) {
  return fake.wx.cloud.callFunction.mock.calls.filter(([param]) => param.name === 'getProfile');
}

describe('我的数据 page', () => {
  test('lists every stored field in Chinese, from one getProfile call', async () => {
    const { fake, page } = await openMyData({
      prepare: (fake) => fake.answer('getProfile', () => ({ ok: true, data: stored() })),
    });
    expect(getProfileCalls(fake)).toHaveLength(1);
    expect(rowText(page, 'nickName')).toBe('昵称 阿花');
    expect(rowText(page, 'avatarUrl')).toBe(`头像 ${avatarFileID()}`);
    expect(prop(page, '.avatar', 'src')).toBe(avatarFileID());
    expect(rowText(page, 'source')).toBe('来源 自行填写');
    expect(rowText(page, 'updatedAt')).toContain('资料更新');
    expect(rowText(page, 'gender')).toBe('性别 未知');
    expect(rowText(page, 'region')).toBe('地区 广东 深圳');
    expect(rowText(page, 'language')).toBe('语言 zh_CN');
    expect(rowText(page, 'openid')).toBe(`OpenID ${ALICE.OPENID}`);
    expect(rowText(page, 'unionid')).toBe('UnionID oUnion000000000000000000001');
    expect(rowText(page, 'appid')).toBe('小程序 AppID wxtest');
    expect(rowText(page, 'createdAt')).toBe('首次登录 2024-01-02 03:04');
    expect(rowText(page, 'lastLoginAt')).toBe('最近登录 2024-11-12 21:30');
    expect(rowText(page, 'loginCount')).toBe('登录次数 7 次');
    expect(rowText(page, 'staleAvatarFiles')).toBe('待删除的旧头像 无');
    expect(rowText(page, 'phone')).toBe('手机号 无');
    expect(has(page, '#message')).toBe(false);
  });

  test('shows the bound phone number in full', async () => {
    const phone = { purePhoneNumber: '13812345678', countryCode: '86', boundAt: CREATED };
    const { page } = await openMyData({
      prepare: (fake) => fake.answer('getProfile', () => ({ ok: true, data: stored({ phone }) })),
    });
    expect(rowText(page, 'phone')).toBe('手机号 +86 13812345678（2024-01-02 03:04 绑定）');
  });

  test('a user without a profile or unionid, with files left to clean up, and unknown times', async () => {
    const stale = avatarFileID('old.jpg');
    const { page } = await openMyData({
      prepare: (fake) =>
        fake.answer('getProfile', () => ({
          ok: true,
          data: stored({ profile: null, unionid: null, createdAt: null, staleAvatarFiles: [stale] }),
        })),
    });
    expect(rowText(page, 'nickName')).toBe('昵称 未设置');
    expect(rowText(page, 'avatarUrl')).toBe('头像 未设置');
    expect(has(page, '.avatar')).toBe(false);
    expect(has(page, '#row-source')).toBe(false);
    expect(rowText(page, 'unionid')).toBe('UnionID 无');
    expect(rowText(page, 'createdAt')).toBe('首次登录 未知');
    expect(rowText(page, 'staleAvatarFiles')).toBe(`待删除的旧头像 ${stale}`);
  });

  test('while getProfile runs: says so', async () => {
    const { page } = await openMyData({
      prepare: (fake) => fake.answer('getProfile', () => new Promise(() => undefined)),
    });
    expect(textOf(page)).toContain('加载中…');
  });

  test('NOT_FOUND (never logged in, or deleted): a message instead of the list', async () => {
    const { page } = await openMyData({
      prepare: (fake) =>
        fake.answer('getProfile', () => ({ ok: false, error: { code: 'NOT_FOUND', message: '用户不存在，请先登录' } })),
    });
    expect(textOf(page)).toContain(MESSAGES.NOT_FOUND);
    expect(has(page, '#row-openid')).toBe(false);
  });

  test.each<ErrorCode>(['INTERNAL', 'NETWORK'])('%s: the message, and a tap on 重试 asks once more', async (code) => {
    const { fake, page } = await openMyData({
      prepare: (fake) =>
        fake.answer('getProfile', () => {
          if (code === 'NETWORK') throw { errMsg: 'cloud.callFunction:fail request:fail' };
          return { ok: false, error: { code, message: 'x' } };
        }),
    });
    expect(textOf(page)).toContain(MESSAGES[code]);
    expect(getProfileCalls(fake)).toHaveLength(1);

    fake.answer('getProfile', () => ({ ok: true, data: stored() }));
    await tap(page, '#retry');
    expect(getProfileCalls(fake)).toHaveLength(2);
    expect(rowText(page, 'nickName')).toBe('昵称 阿花');
    expect(has(page, '#message')).toBe(false);
  });

  describe('a field added to the profile table (one line in shared/profile.ts)', () => {
    const bio = { bio: '喜欢爬山' };
    beforeEach(() => addProfileField("bio: { kind: 'text', label: '个人简介', fillIn: true },"));
    afterEach(() => jest.dontMock(PROFILE_TABLE_FILE));

    test('is listed with its label, beside the others', async () => {
      const profile = { ...profileOf('阿花', avatarFileID()), ...bio };
      const { page } = await openMyData({
        prepare: (fake) => fake.answer('getProfile', () => ({ ok: true, data: stored({ profile }) })),
      });
      expect(rowText(page, 'bio')).toBe('个人简介 喜欢爬山');
      expect(rowText(page, 'nickName')).toBe('昵称 阿花');
    });

    test('is shown empty as 无, and not at all without a profile', async () => {
      const profile = { ...profileOf('阿花', avatarFileID()), bio: '' };
      const { page } = await openMyData({
        prepare: (fake) => fake.answer('getProfile', () => ({ ok: true, data: stored({ profile }) })),
      });
      expect(rowText(page, 'bio')).toBe('个人简介 无');
      const empty = await openMyData({
        prepare: (fake) => fake.answer('getProfile', () => ({ ok: true, data: stored({ profile: null }) })),
      });
      expect(has(empty.page, '#row-bio')).toBe(false);
    });
  });

  test('has a row for every field of the profile table', async () => {
    const { PROFILE_FIELDS } = jest.requireActual<typeof import('../../shared/profile')>('../../shared/profile');
    const { page } = await openMyData({
      prepare: (fake) => fake.answer('getProfile', () => ({ ok: true, data: stored() })),
    });
    for (const [field, spec] of Object.entries(PROFILE_FIELDS)) {
      const key = 'row' in spec ? spec.row : field;
      expect({ field, shown: has(page, `#row-${key}`) }).toEqual({ field, shown: true });
    }
  });
});

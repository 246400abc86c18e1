import { ERROR_CODES, type ErrorCode } from '../../shared/errors';
import { MESSAGES } from '../../services/messages';
import { PROFILE_DESC } from '../../services/profile';
import {
  ANONYMOUS_USER_INFO,
  avatarFileID,
  openDataAnswer,
  profileOf,
  REAL_USER_INFO,
  TEST_OPENID,
  type FakeWx,
} from '../../testing/fake-wx';
import { fire, has, launchApp, prop, render, settle, tap, textOf, type LaunchOptions } from '../../testing/harness';

const GETUSERPROFILE_LIBRARY = '2.16.0'; // getUserProfile, no fill-in yet
const GETUSERINFO_LIBRARY = '2.9.0'; // neither

function loginWith(profile: ReturnType<typeof profileOf> | null) {
  return () => ({ ok: true, data: { openid: TEST_OPENID, appid: 'wxtest', unionid: null, isNewUser: false, profile } });
}

function savedProfile(nickName = REAL_USER_INFO.nickName, avatarUrl = REAL_USER_INFO.avatarUrl) {
  return () => ({ ok: true, data: { profile: profileOf(nickName, avatarUrl, 'getUserProfile') } });
}

async function openMe(options: LaunchOptions = {}) {
  const fake = launchApp(options);
  const page = render('pages/me/index');
  await settle();
  return { fake, page };
}

function refuse(fake: FakeWx, errMsg: string) {
  fake.wx.getUserProfile!.mockImplementationOnce((param) => param.fail?.({ errMsg }));
}

describe('我的 page states', () => {
  test('without a profile: gray avatar, anonymous name, a button to set one', async () => {
    const { page } = await openMe();
    expect(prop(page, '.avatar', 'src')).toBe('/assets/default-avatar.svg');
    expect(textOf(page)).toContain('未设置昵称');
    expect(textOf(page)).toContain('设置头像昵称');
    expect(textOf(page)).toContain('退出登录');
  });

  test('while the first login runs: says so', async () => {
    const { page } = await openMe({ prepare: (fake) => fake.answer('login', () => new Promise(() => undefined)) });
    expect(textOf(page)).toContain('登录中…');
  });

  test('with a profile: the saved avatar and nickname, and an edit button', async () => {
    const avatar = avatarFileID();
    const { page } = await openMe({ prepare: (fake) => fake.answer('login', loginWith(profileOf('阿花', avatar))) });
    expect(prop(page, '.avatar', 'src')).toBe(avatar);
    expect(textOf(page)).toContain('阿花');
    expect(textOf(page)).toContain('编辑头像昵称');
    expect(textOf(page)).not.toContain('未设置昵称');
  });

  test('a returning user sees the cached profile at once, then the one login answered', async () => {
    const cache = { session: { version: 1, openid: TEST_OPENID, profile: profileOf('旧昵称', avatarFileID('1.jpg')) } };
    let answerLogin: (value: unknown) => void = () => undefined;
    const { fake, page } = await openMe({
      storage: cache,
      prepare: (fake) => fake.answer('login', () => new Promise((resolve) => (answerLogin = resolve))),
    });
    expect(textOf(page)).toContain('旧昵称');
    expect(textOf(page)).not.toContain('登录中');

    answerLogin(loginWith(profileOf('新昵称', avatarFileID('2.jpg')))());
    await settle();
    expect(textOf(page)).toContain('新昵称');
    expect(prop(page, '.avatar', 'src')).toBe(avatarFileID('2.jpg'));
    expect(fake.wx.getUserProfile).not.toHaveBeenCalled();
  });

  test.each<ErrorCode>(['NETWORK', 'INTERNAL', 'UNAUTHENTICATED'])(
    'a failed login (%s) shows why and retries once on tap',
    async (code) => {
      const { fake, page } = await openMe({
        prepare: (fake) =>
          fake.answer('login', () => {
            if (code === 'NETWORK') throw { errMsg: 'cloud.callFunction:fail request:fail' };
            return { ok: false, error: { code, message: 'x' } };
          }),
      });
      expect(textOf(page)).toContain(`登录失败：${MESSAGES[code]}`);

      fake.answer('login', loginWith(profileOf('阿花', avatarFileID())));
      await tap(page, '#retry-login');
      expect(fake.wx.cloud.callFunction).toHaveBeenCalledTimes(2);
      expect(textOf(page)).toContain('阿花');
      expect(has(page, '#retry-login')).toBe(false);
    },
  );

  test('logout asks, clears the cache and shows the anonymous card; login brings the profile back', async () => {
    const { fake, page } = await openMe({
      prepare: (fake) => fake.answer('login', loginWith(profileOf('阿花', avatarFileID()))),
    });
    expect(fake.storage.has('session')).toBe(true);

    await tap(page, '#logout');
    expect(fake.wx.showModal).toHaveBeenCalledTimes(1);
    expect(fake.storage.has('session')).toBe(false);
    expect(textOf(page)).toContain('未设置昵称');
    expect(textOf(page)).toContain('未登录');
    expect(fake.toasts()).toContain('已退出登录');

    await tap(page, '#login');
    expect(textOf(page)).toContain('阿花');
  });

  test('logout cancelled keeps everything', async () => {
    const { fake, page } = await openMe({
      prepare: (fake) => fake.answer('login', loginWith(profileOf('阿花', avatarFileID()))),
    });
    fake.wx.showModal.mockImplementationOnce((param) => param.success?.({ confirm: false, cancel: true }));
    await tap(page, '#logout');
    expect(textOf(page)).toContain('阿花');
    expect(fake.storage.has('session')).toBe(true);
  });

  test('opens the privacy guide', async () => {
    const { fake, page } = await openMe();
    await tap(page, '#privacy-contract');
    expect(fake.wx.openPrivacyContract).toHaveBeenCalledTimes(1);
  });
});

describe('setting the profile: fill-in (base library 2.21.2+)', () => {
  test('the button opens the profile editor and calls no profile API', async () => {
    const { fake, page } = await openMe();
    await tap(page, '#set-profile');
    expect(fake.navigations()).toEqual(['/pages/profile-edit/index']);
    expect(fake.wx.getUserProfile).not.toHaveBeenCalled();
  });
});

describe('setting the profile: getUserProfile (base library 2.10.4 to 2.21.1)', () => {
  const options: LaunchOptions = { sdkVersion: GETUSERPROFILE_LIBRARY };

  test('on tap: asks with a short desc, sends the CloudID as the top-level profile field, shows the result', async () => {
    const { fake, page } = await openMe({ ...options, prepare: (fake) => fake.answer('saveProfile', savedProfile()) });
    expect(textOf(page)).toContain('使用微信头像昵称');

    await tap(page, '#set-profile');
    const [[param]] = fake.wx.getUserProfile!.mock.calls;
    expect(param.desc).toBe(PROFILE_DESC);
    expect(Array.from(param.desc).length).toBeLessThanOrEqual(30);
    expect(fake.wx.cloud.CloudID).toHaveBeenCalledWith('cloud-id-from-wechat');
    expect(fake.savedRequests()).toEqual([
      { profile: { $cloudIDObject: 'cloud-id-from-wechat' }, via: 'getUserProfile' },
    ]);
    expect(textOf(page)).toContain('小明');
    expect(prop(page, '.avatar', 'src')).toBe(REAL_USER_INFO.avatarUrl);
    expect(fake.toasts()).toEqual(['已保存']);
    expect(fake.storage.get('session')).toMatchObject({ profile: { nickName: '小明' } });
  });

  test.each([
    ['getUserProfile:fail auth deny', MESSAGES.AUTH_DENIED],
    ['getUserProfile:fail auth cancel', MESSAGES.CANCELLED],
    ['getUserProfile:fail privacy permission is not authorized', MESSAGES.PRIVACY_DENIED],
    ['getUserProfile:fail api scope is not declared in the privacy agreement', MESSAGES.PRIVACY_UNDECLARED],
    ['getUserProfile:fail can only be invoked by user TAP gesture.', MESSAGES.PROFILE_UNAVAILABLE],
  ])('%s: a message, nothing saved, and the user can try again', async (errMsg, message) => {
    const { fake, page } = await openMe({ ...options, prepare: (fake) => fake.answer('saveProfile', savedProfile()) });
    refuse(fake, errMsg);
    await tap(page, '#set-profile');
    expect(fake.toasts()).toEqual([message]);
    expect(fake.savedRequests()).toEqual([]);
    expect(textOf(page)).toContain('未设置昵称');

    await tap(page, '#set-profile');
    expect(fake.wx.getUserProfile).toHaveBeenCalledTimes(2);
    expect(textOf(page)).toContain('小明');
  });

  test('a second tap while the first request runs starts nothing', async () => {
    const { fake, page } = await openMe({ ...options, prepare: (fake) => fake.answer('saveProfile', savedProfile()) });
    fake.wx.getUserProfile!.mockImplementationOnce(() => undefined); // the popup stays open
    await tap(page, '#set-profile');
    await tap(page, '#set-profile');
    expect(fake.wx.getUserProfile).toHaveBeenCalledTimes(1);
  });

  test('anonymous data (微信用户, gray avatar) goes to the fill-in page without saving', async () => {
    const { fake, page } = await openMe(options);
    fake.wx.getUserProfile!.mockImplementationOnce((param) =>
      param.success?.(openDataAnswer(ANONYMOUS_USER_INFO, 'cloud-id-anonymous')),
    );
    await tap(page, '#set-profile');
    expect(fake.savedRequests()).toEqual([]);
    expect(fake.navigations()).toEqual(['/pages/profile-edit/index?reason=anonymous']);
  });

  test.each(ERROR_CODES.filter((code) => code !== 'ANONYMOUS_PROFILE'))(
    'saveProfile answering %s reaches the user as a message',
    async (code) => {
      const { fake, page } = await openMe({
        ...options,
        prepare: (fake) =>
          fake.answer('saveProfile', () => {
            if (code === 'NETWORK') throw { errMsg: 'cloud.callFunction:fail request:fail timeout' };
            return { ok: false, error: { code, message: 'server text' } };
          }),
      });
      await tap(page, '#set-profile');
      expect(fake.toasts()).toEqual([MESSAGES[code]]);
      expect(fake.wx.hideLoading).toHaveBeenCalled();
      expect(textOf(page)).toContain('使用微信头像昵称');
    },
  );

  test('saveProfile answering ANONYMOUS_PROFILE switches to the fill-in page', async () => {
    const { fake, page } = await openMe({
      ...options,
      prepare: (fake) =>
        fake.answer('saveProfile', () => ({ ok: false, error: { code: 'ANONYMOUS_PROFILE', message: 'x' } })),
    });
    await tap(page, '#set-profile');
    expect(fake.navigations()).toEqual(['/pages/profile-edit/index?reason=anonymous']);
    const editor = render('pages/profile-edit/index', { reason: 'anonymous' });
    await settle();
    expect(textOf(editor)).toContain(MESSAGES.ANONYMOUS_PROFILE);
  });

  test('an expired cloudID: a message, and a new tap gets a new one', async () => {
    let calls = 0;
    const { fake, page } = await openMe({
      ...options,
      prepare: (fake) =>
        fake.answer('saveProfile', () =>
          ++calls === 1 ? { ok: false, error: { code: 'CLOUD_ID_EXPIRED', message: 'x' } } : savedProfile()(),
        ),
    });
    await tap(page, '#set-profile');
    expect(fake.toasts()).toEqual([MESSAGES.CLOUD_ID_EXPIRED]);
    await tap(page, '#set-profile');
    expect(fake.wx.getUserProfile).toHaveBeenCalledTimes(2);
    expect(textOf(page)).toContain('小明');
  });
});

describe('setting the profile: the getUserInfo button (before 2.10.4)', () => {
  const options: LaunchOptions = { sdkVersion: GETUSERINFO_LIBRARY, getUserProfile: false };

  test('is an open-type button whose cloudID is saved the same way', async () => {
    const { fake, page } = await openMe({ ...options, prepare: (fake) => fake.answer('saveProfile', savedProfile()) });
    expect(prop(page, '#set-profile', 'openType')).toBe('getUserInfo');

    await fire(page, '#set-profile', 'getuserinfo', {
      ...openDataAnswer(REAL_USER_INFO, 'cloud-id-button'),
      errMsg: 'getUserInfo:ok',
    });
    expect(fake.savedRequests()).toEqual([{ profile: { $cloudIDObject: 'cloud-id-button' }, via: 'getUserInfo' }]);
    expect(textOf(page)).toContain('小明');
  });

  test('refusal: a message and nothing saved', async () => {
    const { fake, page } = await openMe(options);
    await fire(page, '#set-profile', 'getuserinfo', { errMsg: 'getUserInfo:fail auth deny' });
    expect(fake.toasts()).toEqual([MESSAGES.AUTH_DENIED]);
    expect(fake.savedRequests()).toEqual([]);
  });

  test('anonymous data goes to the fill-in page', async () => {
    const { fake, page } = await openMe(options);
    await fire(page, '#set-profile', 'getuserinfo', {
      ...openDataAnswer(ANONYMOUS_USER_INFO, 'id'),
      errMsg: 'getUserInfo:ok',
    });
    expect(fake.navigations()).toEqual(['/pages/profile-edit/index?reason=anonymous']);
  });
});

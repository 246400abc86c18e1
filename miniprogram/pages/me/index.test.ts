import { ERROR_CODES, type ErrorCode } from '../../shared/errors';
import { DELETE_ACCOUNT_CONFIRM, MY_DATA_URL } from '../../services/account';
import { MESSAGES } from '../../services/messages';
import { PROFILE_DESC } from '../../services/profile';
import { loginWith, openDataAnswer, type FakeWx } from '../../testing/fake-wx';
import { ALICE, ANONYMOUS_WECHAT_PROFILE, avatarFileID, profileOf, WECHAT_PROFILE } from '../../../testing/fixtures';
import {
  find,
  fire,
  has,
  launchApp,
  prop,
  render,
  settle,
  tap,
  textOf,
  type LaunchOptions,
} from '../../testing/harness';

const GETUSERPROFILE_LIBRARY = '2.16.0'; // getUserProfile, no fill-in yet
const GETUSERINFO_LIBRARY = '2.9.0'; // neither

function savedProfile(nickName = WECHAT_PROFILE.nickName, avatarUrl = WECHAT_PROFILE.avatarUrl) {
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
    const cache = {
      session: { version: 1, openid: ALICE.OPENID, profile: profileOf('旧昵称', avatarFileID('1.jpg')) },
    };
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

describe('注销账号 and 我的数据', () => {
  const withProfile: LaunchOptions = {
    prepare: (fake) => fake.answer('login', loginWith(profileOf('阿花', avatarFileID()))),
  };

  function deleteCalls(fake: FakeWx) {
    return fake.wx.cloud.callFunction.mock.calls.filter(([param]) => param.name === 'deleteAccount');
  }

  test('both entries show only when logged in; 注销账号 is styled as a danger action', async () => {
    const { page } = await openMe(withProfile);
    expect(has(page, '#my-data')).toBe(true);
    expect(find(page, '#delete-account').dom?.className).toContain('danger');

    await tap(page, '#logout');
    expect(has(page, '#my-data')).toBe(false);
    expect(has(page, '#delete-account')).toBe(false);
  });

  test('我的数据 opens the data page', async () => {
    const { fake, page } = await openMe(withProfile);
    await tap(page, '#my-data');
    expect(fake.navigations()).toEqual([MY_DATA_URL]);
  });

  test('the confirmation names what is deleted and that it cannot be undone', async () => {
    const { fake, page } = await openMe(withProfile);
    fake.wx.showModal.mockImplementationOnce(() => undefined); // the modal stays open
    await tap(page, '#delete-account');
    const [[param]] = fake.wx.showModal.mock.calls as unknown as Array<[{ title: string; content: string }]>;
    expect(param.title).toBe('注销账号');
    expect(param.content).toBe(DELETE_ACCOUNT_CONFIRM);
    for (const item of ['账号记录', '微信身份标识', '登录记录', '头像昵称', '上传到云存储的头像文件', '无法恢复']) {
      expect(param.content).toContain(item);
    }
    expect(deleteCalls(fake)).toEqual([]);
  });

  test('cancel calls nothing and keeps everything', async () => {
    const { fake, page } = await openMe(withProfile);
    fake.wx.showModal.mockImplementationOnce((param) => param.success?.({ confirm: false, cancel: true }));
    await tap(page, '#delete-account');
    expect(deleteCalls(fake)).toEqual([]);
    expect(fake.wx.showLoading).not.toHaveBeenCalled();
    expect(fake.storage.has('session')).toBe(true);
    expect(textOf(page)).toContain('阿花');
  });

  test('confirm deletes, clears the cache, shows the logged-out card; the next login is a new, empty user', async () => {
    const { fake, page } = await openMe(withProfile);
    fake.answer('deleteAccount', () => ({ ok: true, data: { deleted: true, filesDeleted: 1 } }));
    expect(fake.storage.has('session')).toBe(true);

    await tap(page, '#delete-account');
    expect(deleteCalls(fake)).toHaveLength(1);
    expect(fake.wx.showLoading).toHaveBeenCalledTimes(1);
    expect(fake.wx.hideLoading).toHaveBeenCalledTimes(1);
    expect(fake.storage.has('session')).toBe(false);
    expect(fake.toasts()).toEqual(['账号已注销']);
    expect(textOf(page)).toContain('未登录');
    expect(textOf(page)).toContain('未设置昵称');
    expect(textOf(page)).not.toContain('阿花');
    expect(prop(page, '.avatar', 'src')).toBe('/assets/default-avatar.svg');
    expect(has(page, '#delete-account')).toBe(false);

    fake.answer('login', () => ({
      ok: true,
      data: { openid: ALICE.OPENID, appid: 'wxtest', unionid: null, isNewUser: true, profile: null },
    }));
    await tap(page, '#login');
    expect(textOf(page)).toContain('未设置昵称');
    expect(textOf(page)).toContain('设置头像昵称');
    expect(textOf(page)).not.toContain('编辑头像昵称');
    expect(has(page, '#delete-account')).toBe(true);
    expect(fake.storage.get('session')).toEqual({ version: 1, openid: ALICE.OPENID, profile: null });
    expect(deleteCalls(fake)).toHaveLength(1);
  });

  test.each<ErrorCode>(['INTERNAL', 'NETWORK', 'UNAUTHENTICATED'])(
    'deleteAccount failing (%s): the message, the account kept, no retry until the next tap',
    async (code) => {
      const { fake, page } = await openMe(withProfile);
      fake.answer('deleteAccount', () => {
        if (code === 'NETWORK') throw { errMsg: 'cloud.callFunction:fail request:fail timeout' };
        return { ok: false, error: { code, message: '头像文件删除失败，账号未注销，请稍后重试' } };
      });
      await tap(page, '#delete-account');
      expect(deleteCalls(fake)).toHaveLength(1);
      expect(fake.toasts()).toEqual([MESSAGES[code]]);
      expect(fake.wx.hideLoading).toHaveBeenCalledTimes(1);
      expect(fake.storage.get('session')).toMatchObject({ profile: { nickName: '阿花' } });
      expect(textOf(page)).toContain('阿花');
      expect(has(page, '#delete-account')).toBe(true);

      fake.answer('deleteAccount', () => ({ ok: true, data: { deleted: true, filesDeleted: 1 } }));
      await tap(page, '#delete-account');
      expect(deleteCalls(fake)).toHaveLength(2);
      expect(fake.storage.has('session')).toBe(false);
      expect(textOf(page)).toContain('未登录');
    },
  );

  test('nothing left to delete (already deleted) still forgets the account here', async () => {
    const { fake, page } = await openMe(withProfile);
    fake.answer('deleteAccount', () => ({ ok: true, data: { deleted: false, filesDeleted: 0 } }));
    await tap(page, '#delete-account');
    expect(fake.storage.has('session')).toBe(false);
    expect(textOf(page)).toContain('未登录');
  });

  test('a second tap while the first deletion runs starts nothing', async () => {
    const { fake, page } = await openMe(withProfile);
    fake.answer('deleteAccount', () => new Promise(() => undefined));
    await tap(page, '#delete-account');
    await tap(page, '#delete-account');
    expect(fake.wx.showModal).toHaveBeenCalledTimes(1);
    expect(deleteCalls(fake)).toHaveLength(1);
  });

  test('with a cached session and the launch login still running, deletion waits for that login', async () => {
    const order: string[] = [];
    let answerLogin: (value: unknown) => void = () => undefined;
    const { fake, page } = await openMe({
      storage: { session: { version: 1, openid: ALICE.OPENID, profile: profileOf('阿花', avatarFileID()) } },
      prepare: (fake) => {
        fake.answer('login', () => new Promise((resolve) => (answerLogin = resolve)));
        fake.answer('deleteAccount', () => {
          order.push('deleteAccount');
          return { ok: true, data: { deleted: true, filesDeleted: 0 } };
        });
      },
    });
    await tap(page, '#delete-account');
    expect(deleteCalls(fake)).toEqual([]);

    order.push('login answered');
    answerLogin(loginWith(profileOf('阿花', avatarFileID()))());
    await settle();
    expect(order).toEqual(['login answered', 'deleteAccount']);
    expect(fake.storage.has('session')).toBe(false);
    expect(textOf(page)).toContain('未登录');
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
    expect(prop(page, '.avatar', 'src')).toBe(WECHAT_PROFILE.avatarUrl);
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
      param.success?.(openDataAnswer(ANONYMOUS_WECHAT_PROFILE, 'cloud-id-anonymous')),
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
      ...openDataAnswer(WECHAT_PROFILE, 'cloud-id-button'),
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
      ...openDataAnswer(ANONYMOUS_WECHAT_PROFILE, 'id'),
      errMsg: 'getUserInfo:ok',
    });
    expect(fake.navigations()).toEqual(['/pages/profile-edit/index?reason=anonymous']);
  });
});

import { loginWith } from './testing/fake-wx';
import { profileOf } from '../testing/fixtures';
import { launchApp, render, settle, textOf } from './testing/harness';

describe('launch', () => {
  test('initialises the cloud with the configured environment and logs in once, silently', async () => {
    const fake = launchApp({ envId: 'prod-1a2b3c' });
    await settle();

    expect(fake.wx.cloud.init).toHaveBeenCalledWith({ env: 'prod-1a2b3c', traceUser: true });
    expect(fake.wx.cloud.callFunction).toHaveBeenCalledTimes(1);
    expect(fake.wx.cloud.callFunction).toHaveBeenCalledWith({ name: 'login', data: {} });
    // No profile popup and nothing asked on launch.
    expect(fake.wx.getUserProfile).not.toHaveBeenCalled();
    expect(fake.wx.showModal).not.toHaveBeenCalled();
    expect(fake.wx.showToast).not.toHaveBeenCalled();
  });

  test('registers the privacy listener once', () => {
    const fake = launchApp();
    expect(fake.wx.onNeedPrivacyAuthorization).toHaveBeenCalledTimes(1);
  });

  test("caches login's answer so the next launch shows the profile before any call", async () => {
    const avatar = 'https://thirdwx.qlogo.cn/mmopen/vi_32/Saved/132';
    const first = launchApp({
      prepare: (fake) => fake.answer('login', loginWith(profileOf('阿花', avatar))),
    });
    await settle();
    const cached = Object.fromEntries(first.storage);

    // Next launch: the login call never answers, yet the profile is on screen.
    launchApp({ storage: cached, prepare: (fake) => fake.answer('login', () => new Promise(() => undefined)) });
    const home = render('pages/home/index');
    expect(textOf(home)).toContain('你好，阿花');
  });

  test('the home page needs no profile', async () => {
    launchApp();
    await settle();
    const home = render('pages/home/index');
    expect(textOf(home)).toContain('你好，欢迎来到云开发登录示例');
    expect(textOf(home)).toContain('静默登录');
  });

  test('a failed launch login shows nothing on launch and is not retried', async () => {
    const fake = launchApp({
      prepare: (fake) =>
        fake.answer('login', () => {
          throw { errMsg: 'cloud.callFunction:fail request:fail' };
        }),
    });
    await settle(20);
    expect(fake.wx.cloud.callFunction).toHaveBeenCalledTimes(1);
    expect(fake.wx.showToast).not.toHaveBeenCalled();
  });
});

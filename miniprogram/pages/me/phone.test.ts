import { MESSAGES } from '../../services/messages';
import { loginWith, type FakeWx } from '../../testing/fake-wx';
import { APPID, ALICE, avatarFileID, profileOf } from '../../../testing/fixtures';
import { fire, has, launchApp, prop, render, settle, tap, textOf, type LaunchOptions } from '../../testing/harness';

async function openMe(options: LaunchOptions = {}) {
  const fake = launchApp(options);
  const page = render('pages/me/index');
  await settle();
  return { fake, page };
}

const phoneCalls = (fake: FakeWx) =>
  fake.wx.cloud.callFunction.mock.calls
    .filter(([param]) => param.name === 'bindPhone' || param.name === 'unbindPhone')
    .map(([param]) => ({ name: param.name, data: param.data ?? {} }));

const withPhone = (maskedPhone: string) => () => ({
  ok: true,
  data: { openid: ALICE.OPENID, appid: APPID, unionid: null, isNewUser: false, profile: null, maskedPhone },
});

describe('我的 page: 绑定手机号', () => {
  test('an open-type getPhoneNumber button, never opened on launch', async () => {
    const { fake, page } = await openMe({ prepare: (fake) => fake.answer('login', loginWith(null)) });
    expect(textOf(page)).toContain('绑定手机号');
    expect(prop(page, '#bind-phone', 'openType')).toBe('getPhoneNumber');
    expect(phoneCalls(fake)).toEqual([]);
  });

  test('sends the code to bindPhone and shows the masked number with 解绑', async () => {
    const { fake, page } = await openMe({
      prepare: (fake) => {
        fake.answer('login', loginWith(profileOf('阿花', avatarFileID())));
        fake.answer('bindPhone', () => ({ ok: true, data: { maskedPhone: '138****5678' } }));
      },
    });
    await fire(page, '#bind-phone', 'getphonenumber', { code: 'phone-code-1', errMsg: 'getPhoneNumber:ok' });
    expect(phoneCalls(fake)).toEqual([{ name: 'bindPhone', data: { code: 'phone-code-1' } }]);
    expect(textOf(page)).toContain('138****5678');
    expect(textOf(page)).not.toContain('13812345678');
    expect(has(page, '#bind-phone')).toBe(false);
    expect(has(page, '#unbind-phone')).toBe(true);
  });

  test.each([
    [{ errMsg: 'getPhoneNumber:fail user deny' }, MESSAGES.PHONE_DENIED],
    [{ errMsg: 'getPhoneNumber:fail no permission' }, MESSAGES.PHONE_UNAVAILABLE],
    [{ errMsg: 'getPhoneNumber:fail', errno: 1400001 }, MESSAGES.PHONE_QUOTA],
  ])('%p: a clear message, no call, no retry', async (detail, message) => {
    const { fake, page } = await openMe({ prepare: (fake) => fake.answer('login', loginWith(null)) });
    await fire(page, '#bind-phone', 'getphonenumber', detail);
    await settle();
    expect(fake.toasts()).toEqual([message]);
    expect(phoneCalls(fake)).toEqual([]);
    expect(has(page, '#bind-phone')).toBe(true);
  });

  test('a refused code: the server message, once, and the button stays', async () => {
    const { fake, page } = await openMe({
      prepare: (fake) => {
        fake.answer('login', loginWith(null));
        fake.answer('bindPhone', () => ({ ok: false, error: { code: 'PHONE_CODE_INVALID', message: 'x' } }));
      },
    });
    await fire(page, '#bind-phone', 'getphonenumber', { code: 'old', errMsg: 'getPhoneNumber:ok' });
    await settle();
    expect(fake.toasts()).toEqual([MESSAGES.PHONE_CODE_INVALID]);
    expect(phoneCalls(fake)).toHaveLength(1);
    expect(has(page, '#bind-phone')).toBe(true);
  });

  test('hidden before base library 2.21.2 (no code to send)', async () => {
    const { page } = await openMe({ sdkVersion: '2.21.1', prepare: (fake) => fake.answer('login', loginWith(null)) });
    expect(has(page, '#bind-phone')).toBe(false);
  });

  test('a bound number from login, removed with 解绑 after confirming', async () => {
    const { fake, page } = await openMe({
      prepare: (fake) => {
        fake.answer('login', withPhone('138****5678'));
        fake.answer('unbindPhone', () => ({ ok: true, data: { unbound: true } }));
      },
    });
    expect(textOf(page)).toContain('138****5678');
    fake.wx.showModal.mockImplementationOnce((param) => param.success?.({ confirm: true, cancel: false }));
    await tap(page, '#unbind-phone');
    await settle();
    expect(phoneCalls(fake)).toEqual([{ name: 'unbindPhone', data: {} }]);
    expect(textOf(page)).not.toContain('138****5678');
    expect(has(page, '#bind-phone')).toBe(true);
  });

  test('解绑 cancelled: nothing is called', async () => {
    const { fake, page } = await openMe({ prepare: (fake) => fake.answer('login', withPhone('138****5678')) });
    fake.wx.showModal.mockImplementationOnce((param) => param.success?.({ confirm: false, cancel: true }));
    await tap(page, '#unbind-phone');
    await settle();
    expect(phoneCalls(fake)).toEqual([]);
    expect(textOf(page)).toContain('138****5678');
  });
});

import { MESSAGES } from '../../services/messages';
import { launchApp, render, settle, tap, textOf } from '../../testing/harness';

function ask(fake: ReturnType<typeof launchApp>) {
  const resolve = jest.fn();
  fake.privacyListener()(resolve, { referrer: 'getUserProfile' });
  return resolve;
}

describe('privacy agreement popup', () => {
  test('hidden until WeChat asks for the agreement, then names the guide', async () => {
    const fake = launchApp();
    const popup = render('components/privacy-popup/index');
    expect(textOf(popup)).toBe('');

    const resolve = ask(fake);
    await settle();
    expect(textOf(popup)).toContain('《示例小程序隐私保护指引》');
    expect(resolve).toHaveBeenCalledWith({ event: 'exposureAuthorization' });
  });

  test('agree resolves every waiting API with the agree button id and closes', async () => {
    const fake = launchApp();
    const popup = render('components/privacy-popup/index');
    const first = ask(fake);
    const second = ask(fake);
    await settle();

    await tap(popup, '#privacy-agree');
    // The agree button is an open-type button; the event it fires is agreeprivacyauthorization.
    expect(first).not.toHaveBeenCalledWith(expect.objectContaining({ event: 'agree' }));
    popup.querySelector('#privacy-agree')!.dispatchEvent('agreeprivacyauthorization', { detail: {} });
    await settle();
    expect(first).toHaveBeenCalledWith({ event: 'agree', buttonId: 'privacy-agree' });
    expect(second).toHaveBeenCalledWith({ event: 'agree', buttonId: 'privacy-agree' });
    expect(textOf(popup)).toBe('');
  });

  test('disagree resolves with disagree and closes; the guide link opens the contract', async () => {
    const fake = launchApp();
    const popup = render('components/privacy-popup/index');
    const resolve = ask(fake);
    await settle();

    await tap(popup, '.link');
    expect(fake.wx.openPrivacyContract).toHaveBeenCalledTimes(1);
    await tap(popup, '#privacy-disagree');
    expect(resolve).toHaveBeenCalledWith({ event: 'disagree' });
    expect(textOf(popup)).toBe('');
  });

  test('on the 我的 page: refusing the agreement leaves a message from the profile API', async () => {
    const fake = launchApp({ sdkVersion: '2.16.0' });
    const page = render('pages/me/index');
    await settle();
    // WeChat pauses getUserProfile, asks, and fails it once the user refuses.
    fake.wx.getUserProfile!.mockImplementationOnce((param) =>
      fake.privacyListener()(
        (option) => {
          if (option.event === 'disagree')
            param.fail?.({ errMsg: 'getUserProfile:fail privacy permission is not authorized' });
        },
        { referrer: 'getUserProfile' },
      ),
    );
    await tap(page, '#set-profile');
    expect(textOf(page)).toContain('用户隐私保护提示');
    await tap(page, '#privacy-popup >>> #privacy-disagree');
    expect(fake.toasts()).toEqual([MESSAGES.PRIVACY_DENIED]);
    expect(textOf(page)).not.toContain('用户隐私保护提示');
  });

  test('with no popup on screen the request is refused instead of left waiting', () => {
    const fake = launchApp();
    const resolve = ask(fake);
    expect(resolve).toHaveBeenCalledWith({ event: 'disagree' });
  });

  test('before base library 2.32.3 nothing is registered', () => {
    const fake = launchApp({ privacyApi: false });
    expect(fake.wx.onNeedPrivacyAuthorization).toBeUndefined();
    expect(() => render('components/privacy-popup/index')).not.toThrow();
  });
});

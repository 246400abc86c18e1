import { NO_AVATAR } from '../../shared/profile';
import type { FakeWx } from '../../testing/fake-wx';
import { ALICE, APPID, avatarFileID, profileOf } from '../../../testing/fixtures';
import { launchApp, prop, render, settle, textOf, type LaunchOptions } from '../../testing/harness';

const NOTICE = '你的头像未通过内容安全检查，已恢复为默认头像';
const DEFAULT_AVATAR = '/assets/default-avatar.svg';
const REMOVED = avatarFileID('1700000000000.jpg');

/** What the device cached before the avatar was removed: the old avatar, shown at once on launch. */
const cachedBefore = {
  session: { version: 1, openid: ALICE.OPENID, profile: profileOf('阿花', REMOVED) },
};

/** login answering a returning user whose avatar the media check removed (the record's mark). */
function loginAfterRemoval(marked = true) {
  return () => ({
    ok: true,
    data: {
      openid: ALICE.OPENID,
      appid: APPID,
      unionid: null,
      isNewUser: false,
      profile: profileOf('阿花', NO_AVATAR),
      ...(marked ? { avatarRemoved: true } : {}),
    },
  });
}

function notices(fake: FakeWx): string[] {
  return fake.wx.showModal.mock.calls
    .map(([param]) => (param as { content?: string }).content ?? '')
    .filter((content) => content === NOTICE);
}

async function openMe(options: LaunchOptions) {
  const fake = launchApp(options);
  const page = render('pages/me/index');
  await settle();
  return { fake, page };
}

describe('我的 page: an avatar removed by the content check', () => {
  test('tells the user once why, and shows the default avatar instead of the cached one', async () => {
    const { fake, page } = await openMe({
      storage: cachedBefore,
      prepare: (fake) => fake.answer('login', loginAfterRemoval()),
    });
    expect(notices(fake)).toEqual([NOTICE]);
    expect(prop(page, '.avatar', 'src')).toBe(DEFAULT_AVATAR);
    expect(textOf(page)).toContain('阿花');
  });

  test('not again when the page re-renders or is opened anew in the same session', async () => {
    const { fake, page } = await openMe({
      storage: cachedBefore,
      prepare: (fake) => fake.answer('login', loginAfterRemoval()),
    });
    const { session } = require('../../services/session') as typeof import('../../services/session');
    session.setProfile(profileOf('阿花', NO_AVATAR));
    fake.answer('login', loginAfterRemoval(false));
    await session.login();
    render('pages/me/index');
    await settle();
    expect(notices(fake)).toEqual([NOTICE]);
    expect(prop(page, '.avatar', 'src')).toBe(DEFAULT_AVATAR);
  });

  test('not again on the next launch, when login no longer carries the mark', async () => {
    const first = await openMe({ storage: cachedBefore, prepare: (fake) => fake.answer('login', loginAfterRemoval()) });
    const storage = Object.fromEntries(first.fake.storage);
    const { fake } = await openMe({ storage, prepare: (fake) => fake.answer('login', loginAfterRemoval(false)) });
    expect(notices(fake)).toEqual([]);
  });

  test('login answered before 我的 was opened: told when the user opens it, once', async () => {
    const fake = launchApp({ storage: cachedBefore, prepare: (fake) => fake.answer('login', loginAfterRemoval()) });
    await settle();
    expect(notices(fake)).toEqual([]);
    const page = render('pages/me/index');
    await settle();
    expect(notices(fake)).toEqual([NOTICE]);
    expect(prop(page, '.avatar', 'src')).toBe(DEFAULT_AVATAR);
  });

  test('the app closed before 我的 was opened: told on the next launch (the server cleared its mark)', async () => {
    const first = launchApp({ storage: cachedBefore, prepare: (fake) => fake.answer('login', loginAfterRemoval()) });
    await settle();
    const storage = Object.fromEntries(first.storage);
    const { fake } = await openMe({ storage, prepare: (fake) => fake.answer('login', loginAfterRemoval(false)) });
    expect(notices(fake)).toEqual([NOTICE]);
  });

  test('a logout in between: the notice belonged to that account and is not shown to the next login', async () => {
    const fake = launchApp({ storage: cachedBefore, prepare: (fake) => fake.answer('login', loginAfterRemoval()) });
    await settle();
    const { session } = require('../../services/session') as typeof import('../../services/session');
    session.logout();
    fake.answer('login', loginAfterRemoval(false));
    await session.login();
    render('pages/me/index');
    await settle();
    expect(notices(fake)).toEqual([]);
  });

  test('without the mark: no notice', async () => {
    const { fake } = await openMe({
      storage: cachedBefore,
      prepare: (fake) => fake.answer('login', loginAfterRemoval(false)),
    });
    expect(fake.wx.showModal).not.toHaveBeenCalled();
  });
});

import { ERROR_CODES } from '../../shared/errors';
import { MESSAGES } from '../../services/messages';
import { loginWith, type FakeWx } from '../../testing/fake-wx';
import { ALICE, avatarFileID, profileOf } from '../../../testing/fixtures';
import { addProfileField, PROFILE_TABLE_FILE } from '../../../testing/scratch-profile-field';
import { fire, launchApp, prop, render, settle, tap, textOf, type LaunchOptions } from '../../testing/harness';

const TEMP_AVATAR = 'http://tmp/chosen-avatar.png';

function echoSave() {
  return (data: Record<string, unknown>) => ({
    ok: true,
    data: { profile: profileOf(String(data.nickName), String(data.avatarFileID)) },
  });
}

async function openEditor(options: LaunchOptions = {}, properties: Record<string, unknown> = {}) {
  const fake = launchApp({
    ...options,
    prepare: (fake) => {
      fake.answer('saveProfile', echoSave());
      options.prepare?.(fake);
    },
  });
  await settle();
  const page = render('pages/profile-edit/index', properties);
  await settle();
  return { fake, page };
}

/** The first saveProfile answers INTERNAL, the following ones save. */
function openEditorFailingFirstSave() {
  let calls = 0;
  return openEditor({
    prepare: (fake) =>
      fake.answer('saveProfile', (data) =>
        ++calls === 1 ? { ok: false, error: { code: 'INTERNAL', message: 'x' } } : echoSave()(data),
      ),
  });
}

async function chooseAvatar(page: ReturnType<typeof render>, avatarUrl = TEMP_AVATAR) {
  await fire(page, '#choose-avatar', 'chooseavatar', { avatarUrl });
}

function submit(page: ReturnType<typeof render>, nickName: string) {
  return fire(page, '#profile-form', 'submit', { value: { nickName } });
}

function uploads(fake: FakeWx) {
  return fake.wx.cloud.uploadFile.mock.calls.map(([param]) => ({
    cloudPath: param.cloudPath,
    filePath: param.filePath,
  }));
}

/** What the form holds now: a second 保存 sends this without the user typing anything again. */
function shownForm(page: ReturnType<typeof render>): Record<string, unknown> {
  const data = page.data as { fields: Record<string, unknown> };
  return { ...data.fields, nickName: prop(page, '#nickname', 'value') };
}

/** The first saveProfile answers `code`, the following ones save. */
function openEditorRefusingFirstSave(code: string) {
  let calls = 0;
  return openEditor({
    prepare: (fake) =>
      fake.answer('saveProfile', (data) =>
        ++calls === 1 ? { ok: false, error: { code, message: 'server text' } } : echoSave()(data),
      ),
  });
}

const NICKNAME_REJECTED = '昵称含有不适宜的内容，请修改后再保存';
const PROFILE_REJECTED = '资料含有不适宜的内容，请修改后再保存';
const CHECK_UNAVAILABLE = '内容安全检查暂时不可用，请稍后再试';

describe('profile editor (avatar/nickname fill-in)', () => {
  test('renders the chooseAvatar button and a nickname input inside a form', async () => {
    const { page } = await openEditor();
    expect(prop(page, '#choose-avatar', 'openType')).toBe('chooseAvatar');
    expect(prop(page, '#nickname', 'type')).toBe('nickname');
    expect(prop(page, '#nickname', 'name')).toBe('nickName');
    expect(prop(page, '#save', 'formType')).toBe('submit');
    expect(prop(page, '.avatar', 'src')).toBe('/assets/default-avatar.svg');
  });

  test('shows the chosen avatar at once, uploads it to the user folder with progress, then saves', async () => {
    const { fake, page } = await openEditor();
    await chooseAvatar(page);
    expect(prop(page, '.avatar', 'src')).toBe(TEMP_AVATAR);
    expect(fake.wx.cloud.uploadFile).not.toHaveBeenCalled();

    let progressSeen = '';
    fake.wx.cloud.uploadFile.mockImplementationOnce((param) => {
      const task = { onProgressUpdate: jest.fn(), abort: jest.fn() };
      setTimeout(() => {
        const [[listener]] = task.onProgressUpdate.mock.calls as Array<[(res: { progress: number }) => void]>;
        listener({ progress: 40 });
        progressSeen = textOf(page);
        param.success?.({ fileID: avatarFileID('1700000000001.png'), statusCode: 200 });
      }, 0);
      return task;
    });
    await submit(page, '  阿花  ');

    expect(progressSeen).toContain('头像上传中 40%');
    const [upload] = uploads(fake);
    expect(upload.filePath).toBe(TEMP_AVATAR);
    expect(upload.cloudPath).toMatch(new RegExp(`^avatars/${ALICE.OPENID}/\\d+\\.png$`));
    expect(fake.savedRequests()).toEqual([{ nickName: '阿花', avatarFileID: avatarFileID('1700000000001.png') }]);
    expect(fake.toasts()).toEqual(['已保存']);
    expect(fake.wx.navigateBack).toHaveBeenCalledTimes(1);
    expect(textOf(page)).not.toContain('头像上传中');

    const me = render('pages/me/index');
    expect(textOf(me)).toContain('阿花');
    expect(prop(me, '.avatar', 'src')).toBe(avatarFileID('1700000000001.png'));
  });

  test('an upload failure: a message, nothing saved, the chosen avatar stays for another try', async () => {
    const { fake, page } = await openEditor({ prepare: (fake) => fake.failUploads() });
    await chooseAvatar(page);
    await submit(page, '阿花');
    expect(fake.toasts()).toEqual([MESSAGES.UPLOAD_FAILED]);
    expect(fake.savedRequests()).toEqual([]);
    expect(fake.wx.navigateBack).not.toHaveBeenCalled();
    expect(prop(page, '.avatar', 'src')).toBe(TEMP_AVATAR);
    expect(prop(page, '#save', 'disabled')).toBe(false);
  });

  test('a failed save is retried by the user without uploading the same avatar again', async () => {
    const { fake, page } = await openEditorFailingFirstSave();
    await chooseAvatar(page);
    await submit(page, '阿花');
    expect(fake.toasts()).toEqual([MESSAGES.INTERNAL]);

    await submit(page, '阿花');
    expect(fake.wx.cloud.uploadFile).toHaveBeenCalledTimes(1);
    expect(fake.savedRequests()).toHaveLength(2);
    expect(fake.toasts()).toEqual([MESSAGES.INTERNAL, '已保存']);
  });

  test('after logging out in between, a retry uploads the avatar again instead of reusing the old file', async () => {
    const { fake, page } = await openEditorFailingFirstSave();
    await chooseAvatar(page);
    await submit(page, '阿花');
    const { session } = require('../../services/session') as typeof import('../../services/session');
    session.logout();
    await session.login();
    await submit(page, '阿花');
    expect(fake.wx.cloud.uploadFile).toHaveBeenCalledTimes(2);
  });

  test.each([
    ['', '昵称不能为空'],
    ['   ', '昵称不能为空'],
    ['超'.repeat(33), '昵称不能超过 32 个字'],
    ['阿\u3164花', '昵称不能含控制字符或不可见字符'],
    ['\u2800\u2800', '昵称不能含控制字符或不可见字符'],
    ['a\u200db', '昵称不能含控制字符或不可见字符'],
    ['\u0301\u0301', '昵称至少要有一个看得见的字'],
  ])('nickname %j is refused before anything is uploaded, saying why', async (nickName, message) => {
    const { fake, page } = await openEditor();
    await chooseAvatar(page);
    await submit(page, nickName);
    expect(fake.toasts()).toEqual([message]);
    expect(fake.wx.cloud.uploadFile).not.toHaveBeenCalled();
  });

  test.each(['👨‍👩‍👧', '🏳️‍🌈', '🏴󠁧󠁢󠁥󠁮󠁧󠁿', '👨‍👩‍👧'.repeat(32)])('emoji nickname %s is saved as typed', async (nickName) => {
    const { fake, page } = await openEditor();
    await chooseAvatar(page);
    await submit(page, nickName);
    expect(fake.savedRequests()).toEqual([{ nickName, avatarFileID: expect.any(String) }]);
    expect(fake.toasts()).toEqual(['已保存']);
  });

  test('the input never cuts a nickname the check accepts (32 emoji families are 256 UTF-16 units)', async () => {
    const { page } = await openEditor();
    expect(Number(prop(page, '#nickname', 'maxlength'))).toBeGreaterThanOrEqual('🧑🏻‍❤️‍💋‍🧑🏼'.repeat(32).length);
  });

  test('no avatar chosen and none saved: asks for one', async () => {
    const { fake, page } = await openEditor();
    await submit(page, '阿花');
    expect(fake.toasts()).toEqual([MESSAGES.AVATAR_REQUIRED]);
    expect(fake.savedRequests()).toEqual([]);
  });

  test('editing later: starts from the saved profile and keeps the uploaded avatar', async () => {
    const saved = avatarFileID('1600000000000.jpg');
    const { fake, page } = await openEditor({
      prepare: (fake) => fake.answer('login', loginWith(profileOf('阿花', saved))),
    });
    expect(prop(page, '#nickname', 'value')).toBe('阿花');
    expect(prop(page, '.avatar', 'src')).toBe(saved);

    await submit(page, '花花');
    expect(fake.wx.cloud.uploadFile).not.toHaveBeenCalled();
    expect(fake.savedRequests()).toEqual([{ nickName: '花花', avatarFileID: saved }]);
  });

  test('a WeChat avatar URL from getUserProfile cannot be kept: a new avatar is needed', async () => {
    const { fake, page } = await openEditor({
      prepare: (fake) =>
        fake.answer(
          'login',
          loginWith(profileOf('阿花', 'https://thirdwx.qlogo.cn/mmopen/vi_32/X/132', 'getUserProfile')),
        ),
    });
    await submit(page, '阿花');
    expect(fake.toasts()).toEqual([MESSAGES.AVATAR_REQUIRED]);
  });

  test('explains why it opened after anonymous data', async () => {
    const { page } = await openEditor({}, { reason: 'anonymous' });
    expect(textOf(page)).toContain(MESSAGES.ANONYMOUS_PROFILE);
  });

  test('chooseAvatar refused through the privacy popup: a message', async () => {
    const { fake, page } = await openEditor();
    await fire(page, '#choose-avatar', 'chooseavatar', {
      errMsg: 'chooseAvatar:fail privacy permission is not authorized',
    });
    expect(fake.toasts()).toEqual([MESSAGES.PRIVACY_DENIED]);
    expect(prop(page, '.avatar', 'src')).toBe('/assets/default-avatar.svg');
  });

  test('before base library 2.21.2 the avatar is picked from the album instead', async () => {
    const { fake, page } = await openEditor({ sdkVersion: '2.16.0' });
    expect(prop(page, '#choose-avatar', 'openType')).toBe(null);
    await tap(page, '#choose-avatar');
    expect(fake.wx.chooseImage).toHaveBeenCalledTimes(1);
    expect(prop(page, '.avatar', 'src')).toBe('http://tmp/picked.png');
  });

  test('without a login yet: logs in once to know the upload folder', async () => {
    let answered = false;
    const { fake, page } = await openEditor({
      prepare: (fake) =>
        fake.answer('login', () => {
          if (!answered) {
            answered = true;
            throw { errMsg: 'cloud.callFunction:fail request:fail' };
          }
          return {
            ok: true,
            data: { openid: ALICE.OPENID, appid: 'wxtest', unionid: null, isNewUser: true, profile: null },
          };
        }),
    });
    await chooseAvatar(page);
    await submit(page, '阿花');
    expect(fake.wx.cloud.callFunction.mock.calls.filter(([param]) => param.name === 'login')).toHaveLength(2);
    expect(fake.toasts()).toEqual(['已保存']);
  });

  test.each(ERROR_CODES.filter((code) => code !== 'ANONYMOUS_PROFILE'))(
    'saveProfile answering %s reaches the user as a message',
    async (code) => {
      const { fake, page } = await openEditor({
        prepare: (fake) =>
          fake.answer('saveProfile', () => {
            if (code === 'NETWORK') throw { errMsg: 'cloud.callFunction:fail request:fail' };
            return { ok: false, error: { code, message: 'server text' } };
          }),
      });
      await chooseAvatar(page);
      await submit(page, '阿花');
      expect(fake.toasts()).toEqual([MESSAGES[code]]);
      expect(fake.wx.navigateBack).not.toHaveBeenCalled();
    },
  );
});

describe('content safety answers of saveProfile', () => {
  test.each([
    ['CONTENT_REJECTED', NICKNAME_REJECTED],
    ['CONTENT_CHECK_UNAVAILABLE', CHECK_UNAVAILABLE],
  ])('%s: a clear message, the typed nickname and the chosen avatar stay', async (code, message) => {
    const { fake, page } = await openEditorRefusingFirstSave(code);
    await chooseAvatar(page);
    await submit(page, '阿花');
    expect(fake.toasts()).toEqual([message]);
    expect(fake.wx.navigateBack).not.toHaveBeenCalled();
    expect(prop(page, '#nickname', 'value')).toBe('阿花');
    expect(prop(page, '.avatar', 'src')).toBe(TEMP_AVATAR);
    expect(prop(page, '#save', 'disabled')).toBe(false);
  });

  test.each(['CONTENT_REJECTED', 'CONTENT_CHECK_UNAVAILABLE'])(
    'after %s the server discarded the upload: 保存 again uploads the chosen file again and saves',
    async (code) => {
      const { fake, page } = await openEditorRefusingFirstSave(code);
      await chooseAvatar(page);
      await submit(page, '阿花');
      await fire(page, '#profile-form', 'submit', { value: shownForm(page) });

      expect(uploads(fake).map((upload) => upload.filePath)).toEqual([TEMP_AVATAR, TEMP_AVATAR]);
      const saved = fake.savedRequests();
      expect(saved).toHaveLength(2);
      expect(saved[1]).toEqual({ nickName: '阿花', avatarFileID: expect.stringMatching(/^cloud:\/\//) });
      expect(String(saved[1].avatarFileID).endsWith(`/${uploads(fake)[1].cloudPath}`)).toBe(true);
      expect(fake.toasts()).toEqual([code === 'CONTENT_REJECTED' ? NICKNAME_REJECTED : CHECK_UNAVAILABLE, '已保存']);
      expect(fake.wx.navigateBack).toHaveBeenCalledTimes(1);
    },
  );

  test('a rejected new nickname with the saved avatar kept: the retry saves the kept avatar, nothing uploaded', async () => {
    const saved = avatarFileID('1600000000000.jpg');
    let calls = 0;
    const { fake, page } = await openEditor({
      prepare: (fake) => {
        fake.answer('login', loginWith(profileOf('阿花', saved)));
        fake.answer('saveProfile', (data) =>
          ++calls === 1 ? { ok: false, error: { code: 'CONTENT_REJECTED', message: 'x' } } : echoSave()(data),
        );
      },
    });
    await submit(page, '花花');
    expect(fake.toasts()).toEqual([NICKNAME_REJECTED]);
    expect(prop(page, '#nickname', 'value')).toBe('花花');
    expect(prop(page, '.avatar', 'src')).toBe(saved);

    await fire(page, '#profile-form', 'submit', { value: shownForm(page) });
    expect(fake.wx.cloud.uploadFile).not.toHaveBeenCalled();
    expect(fake.savedRequests()).toEqual([
      { nickName: '花花', avatarFileID: saved },
      { nickName: '花花', avatarFileID: saved },
    ]);
  });
});

describe('a field of the profile table typed in the fill-in (fillIn: true)', () => {
  beforeEach(() => addProfileField("bio: { kind: 'text', label: '个人简介', fillIn: true },"));
  afterEach(() => jest.dontMock(PROFILE_TABLE_FILE));

  test("starts from the saved value and is sent with the nickname, the form's other values are not", async () => {
    const saved = { ...profileOf('阿花', avatarFileID()), bio: '喜欢爬山' };
    const { fake, page } = await openEditor({ prepare: (fake) => fake.answer('login', loginWith(saved)) });
    expect(page.data).toMatchObject({ fields: { bio: '喜欢爬山' } });
    await fire(page, '#profile-form', 'submit', { value: { nickName: '阿花', bio: '喜欢游泳', other: 'x' } });
    expect(fake.savedRequests()).toEqual([{ nickName: '阿花', avatarFileID: avatarFileID(), bio: '喜欢游泳' }]);
  });
  test('CONTENT_REJECTED with the field filled in names 资料; everything typed stays and is sent again', async () => {
    let calls = 0;
    const { fake, page } = await openEditor({
      prepare: (fake) =>
        fake.answer('saveProfile', (data) =>
          ++calls === 1 ? { ok: false, error: { code: 'CONTENT_REJECTED', message: 'x' } } : echoSave()(data),
        ),
    });
    await chooseAvatar(page);
    await fire(page, '#profile-form', 'submit', { value: { nickName: '阿花', bio: '喜欢游泳' } });
    expect(fake.toasts()).toEqual([PROFILE_REJECTED]);
    expect(shownForm(page)).toEqual({ nickName: '阿花', bio: '喜欢游泳' });
    expect(prop(page, '.avatar', 'src')).toBe(TEMP_AVATAR);

    await fire(page, '#profile-form', 'submit', { value: shownForm(page) });
    expect(fake.wx.cloud.uploadFile).toHaveBeenCalledTimes(2);
    expect(fake.savedRequests()[1]).toEqual({ nickName: '阿花', avatarFileID: expect.any(String), bio: '喜欢游泳' });
    expect(fake.toasts()).toEqual([PROFILE_REJECTED, '已保存']);
  });

  test('CONTENT_REJECTED with the field left empty: only the nickname was typed, the message names it', async () => {
    const { fake, page } = await openEditorRefusingFirstSave('CONTENT_REJECTED');
    await chooseAvatar(page);
    await fire(page, '#profile-form', 'submit', { value: { nickName: '阿花', bio: '' } });
    expect(fake.toasts()).toEqual([NICKNAME_REJECTED]);
  });
});

import * as path from 'path';
import type { FakeWx } from '../testing/fake-wx';
import { avatarFileID, profileOf, WECHAT_PROFILE } from '../../testing/fixtures';
import { launchApp, MINIPROGRAM_ROOT, prop, render, settle, tap, textOf, type LaunchOptions } from '../testing/harness';
import { MESSAGES } from './messages';

type CloudModule = typeof import('./cloud');

const BASE_URL = 'http://127.0.0.1:3000';
const LOCAL_OPENID = 'oLocalDeveloper0000000000001';
const LOCAL_FILE_ID = `cloud://local-env.6c6f-local-env-1300000000/avatars/${LOCAL_OPENID}/1700000000000.png`;

interface RequestParam {
  url: string;
  method?: string;
  data?: unknown;
  header?: Record<string, string>;
  success?: (res: { statusCode: number; data: unknown }) => void;
  fail?: (error: { errMsg: string }) => void;
}

interface UploadParam {
  url: string;
  filePath: string;
  name: string;
  formData?: Record<string, unknown>;
  success?: (res: { statusCode: number; data: string }) => void;
  fail?: (error: { errMsg: string }) => void;
}

type Route = (body: Record<string, unknown>) => { statusCode: number; data: unknown } | 'fail';

/** A stand-in for the local cloud behind wx.request / wx.uploadFile. */
function serveLocally(fake: FakeWx, routes: Record<string, Route>) {
  fake.wx.request.mockImplementation((param: RequestParam) => {
    setTimeout(() => {
      const route = routes[param.url.replace(BASE_URL, '')];
      const answer = route ? route(param.data as Record<string, unknown>) : { statusCode: 404, data: 'not found' };
      if (answer === 'fail') param.fail?.({ errMsg: 'request:fail connect ECONNREFUSED' });
      else param.success?.(answer);
    }, 0);
  });
  fake.wx.uploadFile.mockImplementation((param: UploadParam) => {
    const task = { onProgressUpdate: jest.fn(), abort: jest.fn() };
    setTimeout(() => {
      const route = routes['/storage/upload'];
      const answer = route ? route(param.formData ?? {}) : { statusCode: 404, data: '' };
      if (answer === 'fail') param.fail?.({ errMsg: 'uploadFile:fail' });
      else param.success?.({ statusCode: answer.statusCode, data: JSON.stringify(answer.data) });
    }, 0);
    return task;
  });
}

const loginOk =
  (profile: ReturnType<typeof profileOf> | null = null): Route =>
  () => ({
    statusCode: 200,
    data: { ok: true, data: { openid: LOCAL_OPENID, appid: 'wxlocal', unionid: null, isNewUser: false, profile } },
  });

function launchLocal(routes: Record<string, Route>, options: LaunchOptions = {}) {
  return launchApp({
    envVersion: 'develop',
    localCloud: { enabled: true },
    ...options,
    prepare: (fake) => serveLocally(fake, routes),
  });
}

function cloudModule(): CloudModule {
  return jest.requireActual<CloudModule>(path.join(MINIPROGRAM_ROOT, 'services/cloud.ts'));
}

function requests(fake: FakeWx): RequestParam[] {
  return fake.wx.request.mock.calls.map(([param]) => param as RequestParam);
}

describe('local-cloud switch', () => {
  test('develop version + enabled: login goes over HTTP with the simulated caller, not wx.cloud', async () => {
    const fake = launchLocal({ '/functions/login': loginOk(profileOf('本地用户', LOCAL_FILE_ID)) });
    await settle();

    expect(fake.wx.cloud.init).not.toHaveBeenCalled();
    expect(fake.wx.cloud.callFunction).not.toHaveBeenCalled();
    expect(requests(fake)).toEqual([
      expect.objectContaining({
        url: `${BASE_URL}/functions/login`,
        method: 'POST',
        data: { data: {}, caller: { openid: LOCAL_OPENID } },
      }),
    ]);
    const me = render('pages/me/index');
    expect(textOf(me)).toContain('本地用户');
    // An <image> cannot show a local cloud:// fileID: it is served by the local cloud.
    expect(prop(me, '.avatar', 'src')).toBe(`${BASE_URL}/storage/files/avatars/${LOCAL_OPENID}/1700000000000.png`);
  });

  test.each(['trial', 'release'] as const)(
    '%s version: the switch is ignored, wx.cloud is used',
    async (envVersion) => {
      const fake = launchLocal({}, { envVersion });
      await settle();
      expect(fake.wx.cloud.init).toHaveBeenCalledTimes(1);
      expect(fake.wx.cloud.callFunction).toHaveBeenCalledWith({ name: 'login', data: {} });
      expect(fake.wx.request).not.toHaveBeenCalled();
    },
  );

  test('disabled in develop: wx.cloud', async () => {
    const fake = launchApp({ envVersion: 'develop' });
    await settle();
    expect(fake.wx.cloud.callFunction).toHaveBeenCalledTimes(1);
    expect(fake.wx.request).not.toHaveBeenCalled();
  });

  test('sends the configured unionid along with the openid', async () => {
    const fake = launchLocal({ '/functions/login': loginOk() }, { localCloud: { enabled: true, unionid: 'oUnion1' } });
    await settle();
    expect(requests(fake)[0].data).toEqual({ data: {}, caller: { openid: LOCAL_OPENID, unionid: 'oUnion1' } });
  });

  test.each([
    [500, 'INTERNAL'],
    [502, 'INTERNAL'],
    [404, 'NETWORK'],
    [400, 'NETWORK'],
  ] as const)('HTTP %d becomes %s', async (statusCode, code) => {
    launchLocal({ '/functions/login': () => ({ statusCode, data: 'oops' }) });
    const answer = await cloudModule().callFunction('login', {});
    expect(answer).toEqual({ ok: false, error: { code, message: `HTTP ${statusCode}` } });
  });

  test.each([
    [504, -504003, 'errCode: -504003  | errMsg: Invoking task timed out after 10 seconds'],
    [502, -504002, 'errCode: -504002 functions execute fail | errMsg: Error: boom'],
    [
      404,
      -501000,
      'errCode: -501000  | errMsg: [ResourceNotFound.FunctionName] FunctionName parameter could not be found.',
    ],
  ] as const)(
    "the local cloud's platform error (HTTP %d, errCode %d) reached the cloud: INTERNAL, with the platform's errMsg",
    async (statusCode, errCode, message) => {
      const errMsg = `cloud.callFunction:fail Error: ${message}`;
      launchLocal({ '/functions/login': () => ({ statusCode, data: { error: message, errCode, errMsg } }) });
      const answer = await cloudModule().callFunction('login', {});
      expect(answer).toEqual({ ok: false, error: { code: 'INTERNAL', message: errMsg } });
    },
  );

  test('an unreachable server is NETWORK, shown on the 我的 page', async () => {
    const fake = launchLocal({ '/functions/login': () => 'fail' });
    await settle();
    expect(textOf(render('pages/me/index'))).toContain(`登录失败：${MESSAGES.NETWORK}`);
    expect(fake.wx.request).toHaveBeenCalledTimes(1);
  });

  test("a function's error envelope passes through unchanged", async () => {
    launchLocal({
      '/functions/login': () => ({
        statusCode: 200,
        data: { ok: false, error: { code: 'UNAUTHENTICATED', message: '无' } },
      }),
    });
    const answer = await cloudModule().callFunction('login', {});
    expect(answer).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: '无' } });
  });

  test('getUserProfile: mints a cloudID from userInfo, then sends it as { $cloudID } in the top-level profile field', async () => {
    const saved: Array<Record<string, unknown>> = [];
    const fake = launchLocal(
      {
        '/functions/login': loginOk(),
        '/open-data/cloud-id': () => ({ statusCode: 200, data: { cloudID: 'local-cloud-id-1', expiresAt: 1 } }),
        '/functions/saveProfile': (body) => {
          saved.push(body);
          return {
            statusCode: 200,
            data: { ok: true, data: { profile: profileOf('小明', WECHAT_PROFILE.avatarUrl) } },
          };
        },
      },
      { sdkVersion: '2.16.0' },
    );
    const page = render('pages/me/index');
    await settle();
    await tap(page, '#set-profile');

    const mint = requests(fake).find((param) => param.url.endsWith('/open-data/cloud-id'));
    expect(mint?.data).toEqual({
      caller: { openid: LOCAL_OPENID },
      // Exactly the userInfo WeChat handed over, each of its seven fields.
      data: {
        nickName: WECHAT_PROFILE.nickName,
        avatarUrl: WECHAT_PROFILE.avatarUrl,
        gender: WECHAT_PROFILE.gender,
        country: WECHAT_PROFILE.country,
        province: WECHAT_PROFILE.province,
        city: WECHAT_PROFILE.city,
        language: WECHAT_PROFILE.language,
      },
    });
    expect(saved).toEqual([
      { data: { profile: { $cloudID: 'local-cloud-id-1' }, via: 'getUserProfile' }, caller: { openid: LOCAL_OPENID } },
    ]);
    expect(fake.wx.cloud.CloudID).not.toHaveBeenCalled();
    expect(textOf(page)).toContain('小明');
  });

  test('fill-in: uploads with wx.uploadFile (field "file", cloudPath and openid), saves the answered fileID', async () => {
    const uploads: Array<Record<string, unknown>> = [];
    const saved: Array<Record<string, unknown>> = [];
    const fake = launchLocal({
      '/functions/login': loginOk(),
      '/storage/upload': (formData) => {
        uploads.push(formData);
        return { statusCode: 200, data: { fileID: LOCAL_FILE_ID } };
      },
      '/functions/saveProfile': (body) => {
        saved.push(body);
        return { statusCode: 200, data: { ok: true, data: { profile: profileOf('阿花', LOCAL_FILE_ID) } } };
      },
    });
    await settle();
    const editor = render('pages/profile-edit/index');
    await settle();
    editor
      .querySelector('#choose-avatar')!
      .dispatchEvent('chooseavatar', { detail: { avatarUrl: 'http://tmp/a.png' } });
    await settle();
    editor.querySelector('#profile-form')!.dispatchEvent('submit', { detail: { value: { nickName: '阿花' } } });
    await settle();

    const [[upload]] = fake.wx.uploadFile.mock.calls as Array<[UploadParam]>;
    expect(upload).toMatchObject({
      url: `${BASE_URL}/storage/upload`,
      filePath: 'http://tmp/a.png',
      name: 'file',
      header: { 'x-local-cloud': '1' },
    });
    expect(uploads).toEqual([
      { cloudPath: expect.stringMatching(/^avatars\/oLocalDeveloper0000000000001\/\d+\.png$/), openid: LOCAL_OPENID },
    ]);
    expect(saved).toEqual([
      { data: { nickName: '阿花', avatarFileID: LOCAL_FILE_ID }, caller: { openid: LOCAL_OPENID } },
    ]);
    expect(fake.wx.cloud.uploadFile).not.toHaveBeenCalled();
    expect(prop(render('pages/me/index'), '.avatar', 'src')).toBe(
      `${BASE_URL}/storage/files/avatars/${LOCAL_OPENID}/1700000000000.png`,
    );
  });

  test('a failed local upload is an upload failure for the user', async () => {
    const fake = launchLocal({
      '/functions/login': loginOk(),
      '/storage/upload': () => ({ statusCode: 500, data: {} }),
    });
    await settle();
    const editor = render('pages/profile-edit/index');
    editor
      .querySelector('#choose-avatar')!
      .dispatchEvent('chooseavatar', { detail: { avatarUrl: 'http://tmp/a.png' } });
    await settle();
    editor.querySelector('#profile-form')!.dispatchEvent('submit', { detail: { value: { nickName: '阿花' } } });
    await settle();
    expect(fake.toasts()).toEqual([MESSAGES.UPLOAD_FAILED]);
  });
});

describe('cloud client on wx.cloud', () => {
  test('a rejection with a platform errCode is INTERNAL; one that never reached the cloud is NETWORK', async () => {
    launchApp({
      prepare: (fake) => {
        fake.answer('login', () => {
          throw { errMsg: 'cloud.callFunction:fail Error: errCode: -404011 cloud function execution error' };
        });
        fake.answer('saveProfile', () => {
          throw { errMsg: 'cloud.callFunction:fail request:fail timeout' };
        });
      },
    });
    const cloud = cloudModule();
    expect(await cloud.callFunction('login', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(await cloud.callFunction('saveProfile', { nickName: 'a', avatarFileID: avatarFileID() })).toMatchObject({
      ok: false,
      error: { code: 'NETWORK' },
    });
  });

  test('an answer that is not an envelope is NETWORK (unreadable)', async () => {
    launchApp({ prepare: (fake) => fake.answer('login', () => 'not json') });
    expect(await cloudModule().callFunction('login', {})).toMatchObject({ ok: false, error: { code: 'NETWORK' } });
  });

  test('a cloud:// fileID is displayed as is; https avatars always as is', () => {
    launchApp();
    const cloud = cloudModule();
    expect(cloud.displayUrl(avatarFileID())).toBe(avatarFileID());
    expect(cloud.displayUrl(WECHAT_PROFILE.avatarUrl)).toBe(WECHAT_PROFILE.avatarUrl);
  });

  test('a getUserProfile answer without cloudID (cloud development not enabled) is refused', async () => {
    launchApp();
    const answer = await cloudModule().openDataField({ userInfo: WECHAT_PROFILE });
    expect(answer).toMatchObject({ ok: false, error: { code: 'CLOUD_ID_INVALID' } });
  });
});

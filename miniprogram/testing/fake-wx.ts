/**
 * A fake `wx` (and `wx.cloud`) for the page tests: storage in memory, the cloud functions
 * answered by per-test handlers, and every UI call (toast, modal, navigation) recorded by jest.
 * Every function call is decoded with the contract's decoder first: a request the function
 * would refuse fails the test. The sample data comes from testing/fixtures.ts.
 */
import { decodeRequest, type FunctionName } from '../shared/api';
import { refusalMessage } from '../shared/decode';
import type { Profile } from '../shared/profile';
import { ALICE, APPID, BUCKET, ENV, WECHAT_PROFILE } from '../../testing/fixtures';

/** A `login` handler answering a returning user with `profile`. */
export function loginWith(profile: Profile | null) {
  return () => ({ ok: true, data: { openid: ALICE.OPENID, appid: APPID, unionid: null, isNewUser: false, profile } });
}

export interface FakeWxOptions {
  /** Base library version; default 3.6.0. */
  sdkVersion?: string;
  envVersion?: 'develop' | 'trial' | 'release';
  /** wx.getUserProfile present (2.10.4+); default true. */
  getUserProfile?: boolean;
  /** wx.onNeedPrivacyAuthorization present (2.32.3+); default true. */
  privacyApi?: boolean;
  storage?: Record<string, unknown>;
}

/** What a function handler answers: the function's result, or a rejection of callFunction. */
type FunctionHandler = (data: Record<string, unknown>) => unknown;

interface CallbackOptions<T> {
  success?: (res: T) => void;
  fail?: (error: { errMsg: string; errno?: number }) => void;
  complete?: () => void;
}

type UploadBehaviour = { fileID: string } | { fail: string };

export type FakeWx = ReturnType<typeof createFakeWx>;

export function createFakeWx(options: FakeWxOptions = {}) {
  const storage = new Map<string, unknown>(Object.entries(options.storage ?? {}));
  const handlers = new Map<FunctionName, FunctionHandler>();
  handlers.set('login', () => ({
    ok: true,
    data: { openid: ALICE.OPENID, appid: APPID, unionid: null, isNewUser: true, profile: null },
  }));
  let uploadBehaviour: (cloudPath: string) => UploadBehaviour = (cloudPath) => ({
    fileID: `cloud://${ENV}.${BUCKET}/${cloudPath}`,
  });
  let privacyListener: WechatMiniprogram.NeedPrivacyAuthorizationListener | null = null;

  const later = (action: () => void): void => {
    setTimeout(action, 0);
  };

  function uploadTask(settle: (progress: (percent: number) => void) => void) {
    const listeners: Array<(res: { progress: number }) => void> = [];
    later(() => settle((percent) => listeners.forEach((listener) => listener({ progress: percent }))));
    return {
      onProgressUpdate: jest.fn((listener: (res: { progress: number }) => void) => {
        listeners.push(listener);
      }),
      abort: jest.fn(),
    };
  }

  const cloud = {
    init: jest.fn(),
    CloudID: jest.fn((cloudID: string) => ({ $cloudIDObject: cloudID })),
    callFunction: jest.fn(async (param: { name: string; data?: Record<string, unknown> }) => {
      const handler = handlers.get(param.name as FunctionName);
      if (!handler) throw { errMsg: 'cloud.callFunction:fail Error: errCode: -501000 FunctionName not found' };
      const request = decodeRequest(param.name as FunctionName, param.data ?? {});
      if (!request.ok)
        throw new Error(`the mini program sent ${param.name} a request it refuses: ${refusalMessage(request)}`);
      const result = await handler(param.data ?? {});
      return { errMsg: 'cloud.callFunction:ok', result };
    }),
    uploadFile: jest.fn(
      (param: { cloudPath: string; filePath: string } & CallbackOptions<{ fileID: string; statusCode: number }>) =>
        uploadTask((progress) => {
          const outcome = uploadBehaviour(param.cloudPath);
          if ('fail' in outcome) {
            param.fail?.({ errMsg: outcome.fail });
            return;
          }
          progress(40);
          progress(100);
          param.success?.({ fileID: outcome.fileID, statusCode: 200 });
        }),
    ),
  };

  const wx = {
    cloud,
    getAppBaseInfo: jest.fn(() => ({ SDKVersion: options.sdkVersion ?? '3.6.0' })),
    getSystemInfoSync: jest.fn(() => ({ SDKVersion: options.sdkVersion ?? '3.6.0' })),
    getAccountInfoSync: jest.fn(() => ({
      miniProgram: { appId: 'wxtest', envVersion: options.envVersion ?? 'release', version: '' },
    })),
    getStorageSync: jest.fn((key: string) => (storage.has(key) ? copy(storage.get(key)) : '')),
    setStorageSync: jest.fn((key: string, value: unknown) => {
      storage.set(key, copy(value));
    }),
    removeStorageSync: jest.fn((key: string) => {
      storage.delete(key);
    }),
    getUserProfile:
      options.getUserProfile === false
        ? undefined
        : jest.fn(
            (
              param: {
                desc: string;
                lang?: string;
              } & CallbackOptions<WechatMiniprogram.GetUserProfileSuccessCallbackResult>,
            ) => later(() => param.success?.(openDataAnswer(WECHAT_PROFILE, 'cloud-id-from-wechat'))),
          ),
    onNeedPrivacyAuthorization:
      options.privacyApi === false
        ? undefined
        : jest.fn((listener: WechatMiniprogram.NeedPrivacyAuthorizationListener) => {
            privacyListener = listener;
          }),
    getPrivacySetting: jest.fn((param: CallbackOptions<{ needAuthorization: boolean; privacyContractName: string }>) =>
      param.success?.({ needAuthorization: true, privacyContractName: '《示例小程序隐私保护指引》' }),
    ),
    openPrivacyContract: jest.fn((param: CallbackOptions<unknown>) => param.success?.({})),
    showToast: jest.fn(),
    showLoading: jest.fn(),
    hideLoading: jest.fn(),
    showModal: jest.fn((param: CallbackOptions<{ confirm: boolean; cancel: boolean }>) =>
      later(() => param.success?.({ confirm: true, cancel: false })),
    ),
    navigateTo: jest.fn(),
    navigateBack: jest.fn(),
    switchTab: jest.fn(),
    chooseImage: jest.fn((param: CallbackOptions<{ tempFilePaths: string[] }>) =>
      later(() => param.success?.({ tempFilePaths: ['http://tmp/picked.png'] })),
    ),
    request: jest.fn(),
    uploadFile: jest.fn(),
  };

  return {
    wx,
    storage,
    /** Sets how a cloud function answers (its result, or a thrown callFunction rejection). */
    answer(name: FunctionName, handler: FunctionHandler) {
      handlers.set(name, handler);
    },
    failUploads(errMsg = 'cloud.uploadFile:fail network error') {
      uploadBehaviour = () => ({ fail: errMsg });
    },
    /** The listener the app registered with wx.onNeedPrivacyAuthorization. */
    privacyListener(): WechatMiniprogram.NeedPrivacyAuthorizationListener {
      if (!privacyListener) throw new Error('no privacy listener registered');
      return privacyListener;
    },
    toasts(): string[] {
      return wx.showToast.mock.calls.map(([param]) => (param as { title: string }).title);
    },
    navigations(): string[] {
      return wx.navigateTo.mock.calls.map(([param]) => (param as { url: string }).url);
    },
    /** The data of every saveProfile call. */
    savedRequests(): Array<Record<string, unknown>> {
      return cloud.callFunction.mock.calls
        .filter(([param]) => param.name === 'saveProfile')
        .map(([param]) => param.data ?? {});
    },
  };
}

/** Storage keeps copies, like the platform's (it serialises). */
function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function openDataAnswer(
  userInfo: WechatMiniprogram.UserInfo,
  cloudID: string,
): WechatMiniprogram.GetUserProfileSuccessCallbackResult {
  return { userInfo, cloudID, encryptedData: '', iv: '', rawData: '', signature: '', errMsg: 'getUserProfile:ok' };
}

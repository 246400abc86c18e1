/**
 * The one place that touches wx-server-sdk. Its typings are loose (`Promise<T> | void`,
 * `Record<string, any>`, `DYNAMIC_CURRENT_ENV: symbol`): every call is narrowed here to the
 * typed surface in sdk-surface.ts, and nothing else in the project imports the SDK.
 */
// `import =` keeps the live module object: wx-server-sdk adds `logger` to its exports only in
// init(), and a bundled `import * as` copies the exports that exist when it is imported.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the live exports, see above
import wxServerSdk = require('wx-server-sdk');
import type {
  CloudPlatform,
  ContentSuggest,
  ContentVerdict,
  Database,
  FileStatus,
  Logger,
  OpenDataItem,
  PhoneInfo,
  TempFileURLResult,
  WxContext,
  WxServerSdkModule,
} from './sdk-surface';

const CONTEXT_FIELDS = ['OPENID', 'APPID', 'UNIONID', 'ENV', 'SOURCE', 'OPEN_DATA_INFO'] as const;

function readContext(raw: object): WxContext {
  const source = raw as Record<string, unknown>;
  const context: WxContext = {};
  for (const field of CONTEXT_FIELDS) {
    const value = source[field];
    // The SDK turns all-digit values into numbers (WX_CONTEXT_KEYS parsing); keep them as text.
    if (typeof value === 'string' && value !== '') context[field] = value;
    else if (typeof value === 'number') context[field] = String(value);
    else if (field === 'OPEN_DATA_INFO' && value && typeof value === 'object') {
      context[field] = JSON.stringify(value);
    }
  }
  return context;
}

function settle<T>(result: Promise<unknown> | unknown, api: string): Promise<T> {
  if (result && typeof (result as Promise<unknown>).then === 'function') {
    return result as Promise<T>;
  }
  return Promise.reject(new Error(`${api}: wx-server-sdk returned no promise`));
}

/**
 * The per-file answers of deleteFile / getTempFileURL. wx-server-sdk maps storage's per-file
 * code to a numeric `status` (0 ok, -503003 does not exist, -501001 anything it does not know);
 * an item without a numeric status is dropped, so the caller treats that file as unanswered.
 */
function toFileStatuses(result: unknown): Array<FileStatus & { tempFileURL: string }> {
  const list = result && typeof result === 'object' ? (result as { fileList?: unknown }).fileList : undefined;
  if (!Array.isArray(list)) return [];
  return list.flatMap((raw: unknown) => {
    const item = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    if (typeof item.fileID !== 'string' || typeof item.status !== 'number') return [];
    return [
      {
        fileID: item.fileID,
        status: item.status,
        errMsg: typeof item.errMsg === 'string' ? item.errMsg : undefined,
        tempFileURL: typeof item.tempFileURL === 'string' ? item.tempFileURL : '',
      },
    ];
  });
}

function toOpenDataItems(result: unknown): { list: OpenDataItem[] } {
  const list = (result as { list?: unknown }).list;
  return { list: Array.isArray(list) ? (list as OpenDataItem[]) : [] };
}

const isText = (value: unknown): value is string => typeof value === 'string';

/** The `phoneInfo` of a getPhoneNumber answer, its types checked. */
function toPhoneInfo(result: unknown): PhoneInfo {
  const info = (result && typeof result === 'object' ? (result as { phoneInfo?: unknown }).phoneInfo : undefined) as
    Record<string, unknown> | undefined;
  const watermark = (info?.watermark ?? {}) as Record<string, unknown>;
  if (
    !info ||
    !isText(info.purePhoneNumber) ||
    !isText(info.countryCode) ||
    !isText(watermark.appid) ||
    typeof watermark.timestamp !== 'number'
  ) {
    throw new Error('phonenumber.getPhoneNumber: answer without a complete phoneInfo');
  }
  return {
    phoneNumber: isText(info.phoneNumber) ? info.phoneNumber : '',
    purePhoneNumber: info.purePhoneNumber,
    countryCode: info.countryCode,
    watermark: { appid: watermark.appid, timestamp: watermark.timestamp },
  };
}

const SUGGESTS: readonly ContentSuggest[] = ['pass', 'review', 'risky'];

/** A cloud call's answer that carries a non-zero errCode is a failure, as a rejection is. */
function answered(result: unknown, api: string): Record<string, unknown> {
  const answer = (result && typeof result === 'object' ? result : {}) as Record<string, unknown>;
  const errCode = answer.errCode ?? answer.errcode;
  if (errCode !== undefined && errCode !== 0) {
    throw Object.assign(new Error(`${api}:fail ${String(errCode)}`), { errCode });
  }
  return answer;
}

/** The `result` of a msgSecCheck answer, its types checked. */
function toContentVerdict(result: unknown): ContentVerdict {
  const verdict = answered(result, 'openapi.security.msgSecCheck').result as Record<string, unknown> | undefined;
  const suggest = SUGGESTS.find((s) => s === verdict?.suggest);
  if (!suggest || typeof verdict?.label !== 'number') {
    throw new Error('openapi.security.msgSecCheck: answer without a verdict');
  }
  return { suggest, label: verdict.label };
}

function toTraceId(result: unknown): { traceId: string } {
  const { traceId } = answered(result, 'openapi.security.mediaCheckAsync');
  if (!isText(traceId) || traceId === '') throw new Error('openapi.security.mediaCheckAsync: answer without traceId');
  return { traceId };
}

/** Wraps any module with wx-server-sdk's shape (the real one, a test double, the local cloud). */
function createPlatform(sdk: WxServerSdkModule): CloudPlatform {
  // `throwOnNotFound: false` makes doc().get() answer `{ data: null }` for a missing document
  // instead of rejecting with "document with _id X does not exist" (wx-server-sdk >= 3.0.4).
  sdk.init({ env: sdk.DYNAMIC_CURRENT_ENV, throwOnNotFound: false });
  return {
    getWXContext: () => readContext(sdk.getWXContext()),
    database: () => sdk.database({ throwOnNotFound: false }) as Database,
    deleteFile: async (fileList) => ({
      fileList: toFileStatuses(await settle<unknown>(sdk.deleteFile({ fileList }), 'deleteFile')),
    }),
    getTempFileURL: async (fileList): Promise<TempFileURLResult> => ({
      fileList: toFileStatuses(await settle<unknown>(sdk.getTempFileURL({ fileList }), 'getTempFileURL')),
    }),
    getOpenData: async (list) => toOpenDataItems(await settle<unknown>(sdk.getOpenData({ list }), 'getOpenData')),
    getPhoneNumber: async (code) =>
      toPhoneInfo(await settle<unknown>(sdk.openapi.phonenumber.getPhoneNumber({ code }), 'getPhoneNumber')),
    msgSecCheck: async ({ openid, content, nickname }) =>
      toContentVerdict(
        await settle<unknown>(
          sdk.openapi.security.msgSecCheck({
            version: 2,
            openid,
            scene: 1,
            content,
            ...(nickname ? { nickname } : {}),
          }),
          'msgSecCheck',
        ),
      ),
    mediaCheckAsync: async ({ openid, mediaUrl }) =>
      toTraceId(
        await settle<unknown>(
          sdk.openapi.security.mediaCheckAsync({ version: 2, openid, scene: 1, mediaUrl, mediaType: 2 }),
          'mediaCheckAsync',
        ),
      ),
    // The function's configuration (cloudbaserc.json envVariables) arrives as process.env.
    environment: (name) => process.env[name],
    logger: () => sdk.logger() as Logger,
  };
}

let platform: CloudPlatform | undefined;

/** The platform of this process, initialised on first use. */
export function currentPlatform(): CloudPlatform {
  platform ??= createPlatform(wxServerSdk as unknown as WxServerSdkModule);
  return platform;
}

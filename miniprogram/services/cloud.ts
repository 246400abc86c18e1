/**
 * The one client of the cloud: function calls, the profile CloudID, avatar uploads and how a
 * stored fileID is displayed. Every platform failure becomes the shared `Result` with an
 * `ErrorCode`, so callers never see an errMsg.
 *
 * The local-cloud switch lives here only: with `config.localCloud.enabled` in the develop
 * version, the same calls go over HTTP to the local cloud (see docs/miniprogram.md).
 */
import { config, type LocalCloudConnection } from '../config';
import type { FunctionContracts, FunctionName } from '../shared/api';
import { isErrorCode, type ErrorCode, type Result } from '../shared/errors';
import { hasCloud, isDevelopVersion } from './capabilities';

type FunctionRequest<N extends FunctionName> = FunctionContracts[N]['request'];
type FunctionAnswer<N extends FunctionName> = Result<FunctionContracts[N]['data']>;

/** What getUserProfile and the getUserInfo button hand over. */
export interface OpenDataAnswer {
  cloudID?: string;
  userInfo: WechatMiniprogram.UserInfo;
}

interface UploadRequest {
  cloudPath: string;
  filePath: string;
  onProgress?: (percent: number) => void;
}

const LOCAL_TIMEOUT_MS = 15000;

/** `wx.cloud.init` once, at launch. Not needed (and not done) when the local cloud serves. */
export function initCloud(): void {
  if (localCloud()) return;
  if (!hasCloud()) {
    console.error('请使用 2.2.3 或以上的基础库以使用云能力');
    return;
  }
  wx.cloud.init(config.envId ? { env: config.envId, traceUser: true } : { traceUser: true });
}

export function callFunction<N extends FunctionName>(name: N, data: FunctionRequest<N>): Promise<FunctionAnswer<N>> {
  const local = localCloud();
  return local ? callLocalFunction(local, name, data) : callCloudFunction(name, data);
}

/**
 * The value of saveProfile's top-level `profile` field for a getUserProfile / getUserInfo answer:
 * `wx.cloud.CloudID(cloudID)`, which the platform resolves before the function runs (only
 * top-level fields are resolved). The local cloud plays that part with a cloudID it mints.
 */
export async function openDataField(answer: OpenDataAnswer): Promise<Result<object>> {
  const local = localCloud();
  if (local) {
    const minted = await mintLocalCloudID(local, answer.userInfo);
    return minted.ok ? { ok: true, data: { $cloudID: minted.data } } : minted;
  }
  // No cloudID: cloud development is not enabled for this AppID.
  if (!answer.cloudID) return failure('CLOUD_ID_INVALID', 'cloudID missing');
  return { ok: true, data: wx.cloud.CloudID(answer.cloudID) };
}

export function uploadFile(request: UploadRequest): Promise<Result<{ fileID: string }>> {
  const local = localCloud();
  return new Promise((resolve) => {
    const fail = (error: { errMsg?: string }) => resolve(failure('NETWORK', error.errMsg ?? 'upload failed'));
    const task = local
      ? wx.uploadFile({
          url: `${local.baseUrl}/storage/upload`,
          filePath: request.filePath,
          name: 'file',
          formData: { cloudPath: request.cloudPath, openid: local.openid },
          // The local cloud refuses multipart posts without it: a web page cannot send it unasked.
          header: { 'x-local-cloud': '1' },
          timeout: LOCAL_TIMEOUT_MS,
          success: (res) => resolve(readUploadAnswer(res.statusCode, res.data)),
          fail,
        })
      : wx.cloud.uploadFile({
          cloudPath: request.cloudPath,
          filePath: request.filePath,
          success: (res) => resolve(readUploadAnswer(200, { fileID: res.fileID })),
          fail,
        });
    const onProgress = request.onProgress;
    if (onProgress && task && typeof task.onProgressUpdate === 'function') {
      task.onProgressUpdate((progress) => onProgress(progress.progress));
    }
  });
}

/**
 * What an `<image src>` can show for a stored avatar. A cloud:// fileID works as is on the
 * platform; the local cloud serves its files at `/storage/files/<path after the bucket>`.
 */
export function displayUrl(url: string): string {
  const local = localCloud();
  const prefix = 'cloud://';
  if (!local || !url.startsWith(prefix)) return url;
  const slash = url.indexOf('/', prefix.length);
  if (slash < 0) return url;
  const path = url
    .slice(slash + 1)
    .split('/')
    .map(encodeURIComponent)
    .join('/');
  return `${local.baseUrl}/storage/files/${path}`;
}

function localCloud(): LocalCloudConnection | null {
  return config.localCloud.enabled && isDevelopVersion() ? config.localCloud : null;
}

async function callCloudFunction<N extends FunctionName>(
  name: N,
  data: FunctionRequest<N>,
): Promise<FunctionAnswer<N>> {
  try {
    const res = await wx.cloud.callFunction({ name, data });
    return readEnvelope<FunctionContracts[N]['data']>(res.result);
  } catch (error) {
    const errMsg = errMsgOf(error);
    return failure(platformErrorCode(errMsg), errMsg);
  }
}

/**
 * A callFunction rejection that carries a platform errCode (function not deployed -501000,
 * function crashed or timed out -404011, ...) reached the cloud: INTERNAL. Anything else
 * (`request:fail`, timeouts on the phone) never reached it: NETWORK.
 */
function platformErrorCode(errMsg: string): ErrorCode {
  return /errCode:\s*-[45]\d{5}/.test(errMsg) ? 'INTERNAL' : 'NETWORK';
}

async function callLocalFunction<N extends FunctionName>(
  local: LocalCloudConnection,
  name: N,
  data: FunctionRequest<N>,
): Promise<FunctionAnswer<N>> {
  const caller = local.unionid ? { openid: local.openid, unionid: local.unionid } : { openid: local.openid };
  const res = await postJson(`${local.baseUrl}/functions/${name}`, { data, caller });
  if (!res.ok) return res;
  return readEnvelope<FunctionContracts[N]['data']>(res.data);
}

async function mintLocalCloudID(
  local: LocalCloudConnection,
  userInfo: WechatMiniprogram.UserInfo,
): Promise<Result<string>> {
  const { nickName, avatarUrl, gender, country, province, city, language } = userInfo;
  const res = await postJson(`${local.baseUrl}/open-data/cloud-id`, {
    caller: { openid: local.openid },
    data: { nickName, avatarUrl, gender, country, province, city, language },
  });
  if (!res.ok) return res;
  const body = asRecord(res.data);
  return typeof body?.cloudID === 'string'
    ? { ok: true, data: body.cloudID }
    : failure('NETWORK', 'unreadable cloudID answer');
}

/**
 * POSTs JSON to the local cloud: 200 gives the body. A platform error of the call (the local
 * cloud answers `{ errCode, errMsg }` as wx.cloud.callFunction rejects: a timeout, a crash, no
 * such function) is handled as on the platform; any other 5xx is INTERNAL, the rest NETWORK.
 */
function postJson(url: string, body: WechatMiniprogram.IAnyObject): Promise<Result<unknown>> {
  return new Promise((resolve) => {
    wx.request({
      url,
      method: 'POST',
      data: body,
      header: { 'content-type': 'application/json' },
      timeout: LOCAL_TIMEOUT_MS,
      success: (res) => {
        if (res.statusCode === 200) {
          resolve({ ok: true, data: parseBody(res.data) });
          return;
        }
        const platform = asRecord(parseBody(res.data));
        if (typeof platform?.errCode === 'number' && typeof platform.errMsg === 'string') {
          resolve(failure(platformErrorCode(platform.errMsg), platform.errMsg));
        } else resolve(failure(res.statusCode >= 500 ? 'INTERNAL' : 'NETWORK', `HTTP ${res.statusCode}`));
      },
      fail: (error) => resolve(failure('NETWORK', error.errMsg)),
    });
  });
}

function readUploadAnswer(statusCode: number, body: unknown): Result<{ fileID: string }> {
  if (statusCode !== 200) return failure(statusCode >= 500 ? 'INTERNAL' : 'NETWORK', `HTTP ${statusCode}`);
  const fileID = asRecord(parseBody(body))?.fileID;
  return typeof fileID === 'string' && fileID.startsWith('cloud://')
    ? { ok: true, data: { fileID } }
    : failure('NETWORK', 'upload answered no fileID');
}

/** The functions' `{ ok, data | error }` envelope; anything else is unreadable (NETWORK). */
function readEnvelope<T>(result: unknown): Result<T> {
  const envelope = asRecord(result);
  if (envelope?.ok === true && 'data' in envelope) return { ok: true, data: envelope.data as T };
  const error = asRecord(envelope?.error);
  if (envelope?.ok === false && error && isErrorCode(error.code)) {
    return { ok: false, error: { code: error.code, message: typeof error.message === 'string' ? error.message : '' } };
  }
  return failure('NETWORK', 'unreadable answer');
}

function failure(code: ErrorCode, message: string): { ok: false; error: { code: ErrorCode; message: string } } {
  return { ok: false, error: { code, message } };
}

function parseBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}

function errMsgOf(error: unknown): string {
  const errMsg = asRecord(error)?.errMsg;
  if (typeof errMsg === 'string') return errMsg;
  return error instanceof Error ? error.message : String(error);
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

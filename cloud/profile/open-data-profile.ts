import type { OpenDataVia, SaveOpenDataProfileRequest } from '@shared/api';
import type { ErrorCode } from '@shared/errors';
import { checkNickname } from '@shared/nickname';
import {
  isAnonymousProfile,
  PROFILE_TEXT_MAX_LENGTH,
  completeProfile,
  profileFields,
  readProfileValue,
  type Profile,
} from '@shared/profile';
import { AppError, invalidArgument } from '../core/app-error';
import { sdkErrorCode } from '../core/sdk-error-codes';
import type { CloudPlatform, OpenDataItem, WxContext } from '../platform/sdk-surface';

const CLOUD_ID_ERRORS: Record<number, [ErrorCode, string]> = {
  [-601005]: ['CLOUD_ID_INVALID', 'cloudID 无效，请重新获取'],
  [-601006]: ['CLOUD_ID_EXPIRED', 'cloudID 已过期（有效期 5 分钟），请重新获取'],
  [-601007]: ['CLOUD_ID_MISMATCH', 'cloudID 不属于当前用户'],
};

const MAX_URL = 1024;

/**
 * Path A: the profile from a CloudID. The platform replaces a top-level `wx.cloud.CloudID`
 * field with `{ cloudID, data }` (or `{ cloudID, errCode, errMsg }`) before the function runs,
 * and lists that field in OPEN_DATA_INFO; a plain object sent by a modified client looks the
 * same but is not listed, so only a listed field is trusted. A bare cloudID string is resolved
 * here with getOpenData.
 */
export async function profileFromOpenData(
  { profile: field, via = 'getUserProfile' }: SaveOpenDataProfileRequest,
  context: WxContext,
  platform: CloudPlatform,
  now: number,
): Promise<Profile> {
  const item = typeof field === 'string' ? await resolveCloudID(field, platform) : platformResolved(field, context);
  if (item.errCode !== undefined && item.errCode !== 0) throw cloudIDError(item.errCode);
  const data = asObject(typeof item.data === 'string' ? parseJson(item.data) : item.data);
  if (!data) throw new AppError('OPEN_DATA_UNVERIFIED', '开放数据缺失，请重新授权');
  const watermark = asObject(data.watermark);
  if (!watermark || watermark.appid !== context.APPID) {
    throw new AppError('OPEN_DATA_UNVERIFIED', '开放数据不属于本小程序');
  }
  if (isAnonymousProfile(data)) {
    throw new AppError('ANONYMOUS_PROFILE', '微信未提供头像昵称，请手动填写');
  }
  return toProfile(data, via, now);
}

function platformResolved(field: object, context: WxContext): OpenDataItem {
  const item = field as Record<string, unknown>;
  // An error object needs no proof: it leads to nothing being written.
  if (typeof item.errCode === 'number' && item.errCode !== 0) return { errCode: item.errCode };
  if (!openDataKeys(context).includes('profile')) {
    throw new AppError('OPEN_DATA_UNVERIFIED', '开放数据未经微信校验，请通过 wx.cloud.CloudID 传入');
  }
  return { data: item.data };
}

async function resolveCloudID(cloudID: string, platform: CloudPlatform): Promise<OpenDataItem> {
  if (!/^[A-Za-z0-9_-]{1,256}$/.test(cloudID)) throw cloudIDError(-601005);
  try {
    const { list } = await platform.getOpenData([cloudID]);
    return list[0] ?? { errCode: -601005 };
  } catch (error) {
    const code = sdkErrorCode(error);
    if (code !== undefined && code in CLOUD_ID_ERRORS) throw cloudIDError(code);
    throw error;
  }
}

function openDataKeys(context: WxContext): string[] {
  const info = asObject(context.OPEN_DATA_INFO ? parseJson(context.OPEN_DATA_INFO) : null);
  const keys = info?.keys;
  return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : [];
}

function cloudIDError(errCode: number): AppError {
  const [code, message] = CLOUD_ID_ERRORS[errCode] ?? CLOUD_ID_ERRORS[-601005];
  return new AppError(code, message);
}

function toProfile(data: Record<string, unknown>, source: OpenDataVia, now: number): Profile {
  const nick = checkNickname(data.nickName);
  if (!nick.ok) throw invalidArgument(`开放数据中的昵称无效：${nick.reason}`);
  const avatarUrl = data.avatarUrl;
  if (typeof avatarUrl !== 'string' || avatarUrl.length > MAX_URL || !/^https:\/\/[^\s]+$/.test(avatarUrl)) {
    throw invalidArgument('开放数据中的头像地址无效');
  }
  return completeProfile({ ...openDataFields(data), nickName: nick.value, avatarUrl, source, updatedAt: now });
}

/** The fields of the profile table taken from open data: text trimmed and cut, anything mistyped empty. */
function openDataFields(data: Record<string, unknown>): Partial<Profile> {
  const fields: Record<string, unknown> = {};
  for (const [field, spec] of profileFields()) {
    if (!spec.openData) continue;
    const value = readProfileValue(spec.kind, data[field]);
    if (value === undefined) continue;
    fields[field] =
      typeof value === 'string' ? Array.from(value.trim()).slice(0, PROFILE_TEXT_MAX_LENGTH).join('') : value;
  }
  return fields as Partial<Profile>;
}

function asObject(value: unknown): Record<string, unknown> | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * The contract of every cloud function: its request type with the decoder beside it, and the
 * type of the data it answers. The one list of functions: FunctionContracts names them,
 * REQUEST_DECODERS must have a decoder for each (the compiler says so), and the functions,
 * their tests, the local cloud and the scripts all follow it. The functions decode each event
 * with these decoders before anything else; the mini program's tests check its calls with them.
 */
import { parseAvatarFileID } from './avatar-path';
import { decoded, decodeNothing, refused, type Decoded, type Decoder } from './decode';
import { checkNickname } from './nickname';
import { PROFILE_TEXT_MAX_LENGTH, profileFields, type FillInValues, type Profile, type ProfileSource } from './profile';

/** `login` takes no input: identity comes from the call context only. */
type LoginRequest = Record<string, never>;

export interface LoginData {
  openid: string;
  appid: string;
  unionid: string | null;
  isNewUser: boolean;
  profile: Profile | null;
  /** The bound phone number masked (138****0000); absent when none is bound. */
  maskedPhone?: string;
  /**
   * Present once after the uploaded avatar failed WeChat's content check and was removed (the
   * profile's avatar is back to none): 我的 tells the user why. This login clears the mark.
   */
  avatarRemoved?: true;
}

export type OpenDataVia = Extract<ProfileSource, 'getUserProfile' | 'getUserInfo'>;

/** Path A: the profile of getUserProfile (or the getUserInfo button), through its cloudID. */
export interface SaveOpenDataProfileRequest {
  /**
   * Sent as `wx.cloud.CloudID(cloudID)`: the platform puts `{ cloudID, data }` (or
   * `{ cloudID, errCode, errMsg }`) in its place before the function runs. A bare cloudID
   * string is resolved by the function itself.
   */
  profile: string | object;
  /** Which client API produced the cloudID; defaults to getUserProfile. */
  via?: OpenDataVia;
}

/** Path B: the avatar/nickname fill-in (base library 2.21.2+), and any other field typed in it. */
export type SaveFilledProfileRequest = {
  /** Trimmed by the decoder; checked by the shared nickname rule. */
  nickName: string;
  /** A `cloud://` fileID in the caller's avatar folder (see avatar-path.ts). */
  avatarFileID: string;
} & Partial<FillInValues>;

export type SaveProfileRequest = SaveOpenDataProfileRequest | SaveFilledProfileRequest;

export interface SaveProfileData {
  profile: Profile;
}

/** Everything stored about the caller, minus internal fields (`_id`, `_openid`). */
type GetProfileRequest = Record<string, never>;

export interface GetProfileData {
  openid: string;
  appid: string;
  unionid: string | null;
  /** Milliseconds since epoch, or null when unknown. */
  createdAt: number | null;
  lastLoginAt: number | null;
  loginCount: number;
  profile: Profile | null;
  /** The bound phone number, in full (the user's own data), or null. */
  phone: BoundPhone | null;
  /** Uploaded avatar files kept only because deleting them failed; removed on the next try. */
  staleAvatarFiles: string[];
}

/** A phone number bound with bindPhone, as stored on the caller's record. */
export interface BoundPhone {
  /** Without the country code, e.g. 13800000000. */
  purePhoneNumber: string;
  countryCode: string;
  /** Milliseconds since epoch. */
  boundAt: number;
}

/** 绑定手机号: the `code` of the getPhoneNumber button (`e.detail.code`, single use, 5 minutes). */
export interface BindPhoneRequest {
  code: string;
}

export interface BindPhoneData {
  /** The number as 我的 shows it: 138****0000. */
  maskedPhone: string;
}

/** 解绑手机号. Idempotent. */
type UnbindPhoneRequest = Record<string, never>;

export interface UnbindPhoneData {
  /** False when no number was bound. */
  unbound: boolean;
}

/** 注销账号: removes the caller's record and uploaded avatar files. Idempotent. */
type DeleteAccountRequest = Record<string, never>;

export interface DeleteAccountData {
  /** False when there was no record (already deleted, or never logged in). */
  deleted: boolean;
  filesDeleted: number;
}

/** WeChat's verdict on checked content: `review` means a human might want to look. */
export type ContentSuggest = 'pass' | 'review' | 'risky';
const SUGGESTS: readonly ContentSuggest[] = ['pass', 'review', 'risky'];

/**
 * The `wx_media_check` event WeChat pushes to the function configured in 云开发 → 设置 → 消息推送
 * (the verdict of security.mediaCheckAsync). Only the fields the function reads are decoded;
 * the event never names the user: the record is found by the check's trace id.
 */
export interface MediaCheckEvent {
  MsgType: 'event';
  Event: 'wxa_media_check';
  trace_id: string;
  result: { suggest: ContentSuggest; label: number };
}

export interface OnMediaCheckData {
  /** False when no record awaits this verdict (unknown trace id, or the avatar was replaced). */
  handled: boolean;
}

export interface FunctionContracts {
  login: { request: LoginRequest; data: LoginData };
  saveProfile: { request: SaveProfileRequest; data: SaveProfileData };
  getProfile: { request: GetProfileRequest; data: GetProfileData };
  deleteAccount: { request: DeleteAccountRequest; data: DeleteAccountData };
  bindPhone: { request: BindPhoneRequest; data: BindPhoneData };
  unbindPhone: { request: UnbindPhoneRequest; data: UnbindPhoneData };
  /** Invoked by the platform's message push, not by the mini program. */
  onMediaCheck: { request: MediaCheckEvent; data: OnMediaCheckData };
}

export type FunctionName = keyof FunctionContracts;
export type RequestOf<N extends FunctionName> = FunctionContracts[N]['request'];
export type DataOf<N extends FunctionName> = FunctionContracts[N]['data'];

// --- decoders ----------------------------------------------------------------------------

const VIAS: readonly OpenDataVia[] = ['getUserProfile', 'getUserInfo'];

function decodeSaveProfile(data: Readonly<Record<string, unknown>>): Decoded<SaveProfileRequest> {
  const openData = data.profile !== undefined;
  const fillIn = data.nickName !== undefined || data.avatarFileID !== undefined;
  if (openData === fillIn) return refused('profile', '请传入 profile（CloudID），或 nickName 与 avatarFileID 之一种');
  return openData ? decodeOpenData(data) : decodeFillIn(data);
}

function decodeOpenData(data: Readonly<Record<string, unknown>>): Decoded<SaveOpenDataProfileRequest> {
  const { profile, via } = data;
  if (via !== undefined && !VIAS.includes(via as OpenDataVia)) {
    return refused('via', '只能是 getUserProfile 或 getUserInfo');
  }
  if (typeof profile !== 'string' && !(profile && typeof profile === 'object' && !Array.isArray(profile))) {
    return refused('profile', '必须是 wx.cloud.CloudID(cloudID)');
  }
  return decoded(via === undefined ? { profile } : { profile, via: via as OpenDataVia });
}

function decodeFillIn(data: Readonly<Record<string, unknown>>): Decoded<SaveFilledProfileRequest> {
  const nick = checkNickname(data.nickName);
  if (!nick.ok) return refused('nickName', nick.reason);
  const avatarFileID = data.avatarFileID;
  if (typeof avatarFileID !== 'string' || !parseAvatarFileID(avatarFileID)) {
    return refused('avatarFileID', '必须是上传到头像目录的 cloud:// 文件');
  }
  const request: SaveFilledProfileRequest = { nickName: nick.value, avatarFileID };
  const typed = request as Record<string, unknown>;
  for (const [field, spec] of profileFields()) {
    if (!spec.fillIn || data[field] === undefined) continue;
    const value = data[field];
    if (typeof value !== 'string') return refused(field, '必须是文字');
    const text = value.trim();
    if (Array.from(text).length > PROFILE_TEXT_MAX_LENGTH) {
      return refused(field, `不能超过 ${PROFILE_TEXT_MAX_LENGTH} 个字`);
    }
    typed[field] = text;
  }
  return decoded(request);
}

/** A phone code is an opaque token from WeChat: non-empty text, far shorter than this. */
const PHONE_CODE_MAX_LENGTH = 256;

function decodeBindPhone(data: Readonly<Record<string, unknown>>): Decoded<BindPhoneRequest> {
  const { code } = data;
  if (typeof code !== 'string' || code.trim() === '' || code.length > PHONE_CODE_MAX_LENGTH) {
    return refused('code', '必须是 getPhoneNumber 按钮给出的 code');
  }
  return decoded({ code: code.trim() });
}

/** A trace id is an opaque token from WeChat: non-empty text, far shorter than this. */
const TRACE_ID_MAX_LENGTH = 128;

function decodeMediaCheckEvent(data: Readonly<Record<string, unknown>>): Decoded<MediaCheckEvent> {
  if (data.MsgType !== 'event') return refused('MsgType', '必须是 event');
  if (data.Event !== 'wxa_media_check') return refused('Event', '必须是 wxa_media_check');
  const traceId = data.trace_id;
  if (typeof traceId !== 'string' || traceId === '' || traceId.length > TRACE_ID_MAX_LENGTH) {
    return refused('trace_id', '必须是内容安全检查的 trace_id');
  }
  const result = data.result;
  if (!result || typeof result !== 'object' || Array.isArray(result)) return refused('result', '必须是对象');
  const { suggest, label } = result as Record<string, unknown>;
  if (!SUGGESTS.includes(suggest as ContentSuggest)) return refused('result.suggest', '只能是 pass、review 或 risky');
  if (typeof label !== 'number' || !Number.isInteger(label)) return refused('result.label', '必须是整数');
  return decoded({
    MsgType: 'event',
    Event: 'wxa_media_check',
    trace_id: traceId,
    result: { suggest: suggest as ContentSuggest, label },
  });
}

/** A decoder for every function's request: the compiler refuses a contract without one. */
const REQUEST_DECODERS: { readonly [N in FunctionName]: Decoder<RequestOf<N>> } = {
  login: decodeNothing,
  saveProfile: decodeSaveProfile,
  getProfile: decodeNothing,
  deleteAccount: decodeNothing,
  bindPhone: decodeBindPhone,
  unbindPhone: decodeNothing,
  onMediaCheck: decodeMediaCheckEvent,
};

/** The names of the functions, in contract order. */
export const FUNCTION_NAMES = Object.keys(REQUEST_DECODERS) as FunctionName[];

export function decodeRequest<N extends FunctionName>(
  name: N,
  data: Readonly<Record<string, unknown>>,
): Decoded<RequestOf<N>> {
  const decoder: Decoder<RequestOf<N>> = REQUEST_DECODERS[name];
  return decoder(data);
}

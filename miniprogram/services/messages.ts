/**
 * Every message the user can see about a failure, in one table: the functions' error codes
 * plus the failures that happen on the client only.
 */
import type { ErrorCode } from '../shared/errors';
import { NICKNAME_MAX_LENGTH, NICKNAME_PROBLEMS, type NicknameProblem } from '../shared/profile';

type ClientProblem =
  | 'AUTH_DENIED'
  | 'CANCELLED'
  | 'PRIVACY_DENIED'
  | 'PRIVACY_UNDECLARED'
  | 'PROFILE_UNAVAILABLE'
  | 'UPLOAD_FAILED'
  | 'NICKNAME_INVALID'
  | 'AVATAR_REQUIRED'
  | 'PHONE_DENIED'
  | 'PHONE_UNAVAILABLE'
  | 'PHONE_QUOTA';

export type Problem = ErrorCode | ClientProblem;

export const MESSAGES: Readonly<Record<Problem, string>> = {
  INVALID_ARGUMENT: '填写的内容有误，请检查后重试',
  CLOUD_ID_INVALID: '授权信息无效，请重新授权',
  CLOUD_ID_EXPIRED: '授权已过期，请重新授权',
  CLOUD_ID_MISMATCH: '授权信息与当前微信号不符',
  OPEN_DATA_UNVERIFIED: '授权信息校验失败，请重试',
  ANONYMOUS_PROFILE: '微信未提供头像昵称，请手动设置',
  NOT_FOUND: '账号信息不存在，请重新登录',
  UNAUTHENTICATED: '无法确认你的身份，请重新进入小程序',
  PHONE_CODE_INVALID: '手机号授权已失效，请重新点击绑定手机号',
  PHONE_MISMATCH: '手机号授权信息校验失败，请重新绑定',
  // What was checked on the fill-in with more than the nickname: contentRejectedMessage.
  CONTENT_REJECTED: '昵称含有不适宜的内容，请修改后再保存',
  CONTENT_CHECK_UNAVAILABLE: '内容安全检查暂时不可用，请稍后再试',
  INTERNAL: '服务暂时不可用，请稍后再试',
  NETWORK: '网络不给力，请稍后重试',
  AUTH_DENIED: '你已拒绝授权，可随时再次设置',
  CANCELLED: '已取消',
  PRIVACY_DENIED: '需同意隐私保护指引才能设置头像昵称',
  PRIVACY_UNDECLARED: '小程序未声明使用头像昵称，暂不可用',
  PROFILE_UNAVAILABLE: '获取头像昵称失败，请重试',
  UPLOAD_FAILED: '头像上传失败，请重试',
  NICKNAME_INVALID: `请填写 1 到 ${NICKNAME_MAX_LENGTH} 个字的昵称`,
  AVATAR_REQUIRED: '请先选择头像',
  PHONE_DENIED: '你已取消授权手机号，可随时再次绑定',
  PHONE_UNAVAILABLE: '当前小程序暂不支持绑定手机号',
  PHONE_QUOTA: '手机号验证次数已用完，请稍后再试',
};

export function messageFor(problem: Problem): string {
  return MESSAGES[problem];
}

/**
 * CONTENT_REJECTED names what WeChat checked: the nickname alone, or 资料 when other fields the
 * user typed went into the same check (the server does not say which part was refused).
 */
export function contentRejectedMessage(otherFieldsTyped: boolean): string {
  return otherFieldsTyped ? '资料含有不适宜的内容，请修改后再保存' : MESSAGES.CONTENT_REJECTED;
}

/** Shown once on 我的 after the content check removed the uploaded avatar. */
export const AVATAR_REMOVED_NOTICE = '你的头像未通过内容安全检查，已恢复为默认头像';

/** Why the nickname check refused a name, as the user reads it: 昵称不能为空, 昵称不能超过 32 个字... */
export function nicknameMessage(problem: NicknameProblem): string {
  return `昵称${NICKNAME_PROBLEMS[problem]}`;
}

/**
 * Classifies the errMsg of a failed profile API (getUserProfile, the getUserInfo button,
 * chooseAvatar). Messages seen on the platform: `getUserProfile:fail auth deny`,
 * `...:fail privacy permission is not authorized` (the user refused the privacy agreement),
 * `...:fail api scope is not declared in the privacy agreement` (missing from the privacy guide).
 */
export function problemFromErrMsg(errMsg: string | undefined): ClientProblem {
  const text = (errMsg ?? '').toLowerCase();
  if (text.includes('privacy permission is not authorized')) return 'PRIVACY_DENIED';
  if (text.includes('api scope is not declared')) return 'PRIVACY_UNDECLARED';
  if (text.includes('auth deny') || text.includes('auth denied')) return 'AUTH_DENIED';
  if (text.includes('cancel')) return 'CANCELLED';
  return 'PROFILE_UNAVAILABLE';
}

/** errno of the getPhoneNumber button when the mini program's paid quota is used up (WeChat charges from 2023-08-28). */
const PHONE_QUOTA_ERRNO = 1400001;

/**
 * Classifies a getPhoneNumber answer without a code: the user refused (`getPhoneNumber:fail user
 * deny`), the quota is used up (errno 1400001), or the account cannot use it (a personal or
 * unverified account, an old base library, any other failure).
 */
export function phoneProblem(detail: { errMsg?: string; errno?: number }): ClientProblem {
  if (detail.errno === PHONE_QUOTA_ERRNO) return 'PHONE_QUOTA';
  const text = (detail.errMsg ?? '').toLowerCase();
  if (text.includes('user deny') || text.includes('auth deny')) return 'PHONE_DENIED';
  return 'PHONE_UNAVAILABLE';
}

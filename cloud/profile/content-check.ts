import { profileFields, type Profile } from '@shared/profile';
import { AppError } from '../core/app-error';
import { logWarning } from '../core/log';
import { sdkErrorCode } from '../core/sdk-error-codes';
import type { CloudPlatform } from '../platform/sdk-surface';

/**
 * What saveProfile does when a content check itself fails (over quota 45009, system busy -1,
 * network, not declared -604101): `refuse` (the default) stores nothing and answers
 * CONTENT_CHECK_UNAVAILABLE; `accept` stores the content marked as unchecked. Set per function
 * in cloudbaserc.json `envVariables`.
 */
export const CONTENT_CHECK_ON_FAILURE = 'CONTENT_CHECK_ON_FAILURE';

type OnFailure = 'refuse' | 'accept';

function onFailure(platform: CloudPlatform): OnFailure {
  return platform.environment(CONTENT_CHECK_ON_FAILURE)?.trim().toLowerCase() === 'accept' ? 'accept' : 'refuse';
}

export const contentRejected = (): AppError =>
  new AppError('CONTENT_REJECTED', '昵称或资料含有不适宜的内容，请修改后再保存');

const unavailable = (): AppError => new AppError('CONTENT_CHECK_UNAVAILABLE', '内容安全检查暂时不可用，请稍后再试');

/** A failed check under the policy: a refusal to throw, or null when the content is accepted unchecked. */
function failedCheck(platform: CloudPlatform, api: string, error: unknown): AppError | null {
  const policy = onFailure(platform);
  logWarning(platform.logger(), 'saveProfile', 'content-check-failed', {
    api,
    errCode: sdkErrorCode(error) ?? 0,
    policy,
  });
  return policy === 'refuse' ? unavailable() : null;
}

/** The text the user typed: the nickname and every fill-in field, one per line. */
function typedText(profile: Profile): string {
  const typed = profileFields()
    .filter(([, spec]) => spec.kind === 'text' && spec.fillIn)
    .map(([field]) => profile[field])
    .filter((value): value is string => typeof value === 'string' && value !== '');
  return [profile.nickName, ...typed].join('\n');
}

/**
 * Checks the profile's text with security.msgSecCheck as `openid` typed it. Throws
 * CONTENT_REJECTED for `risky`; `review` passes (a human may look later: refusing it would
 * refuse many ordinary names). Answers whether the check was skipped because it failed and the
 * policy accepts that; under the default policy a failure throws CONTENT_CHECK_UNAVAILABLE.
 */
export async function checkProfileText(platform: CloudPlatform, openid: string, profile: Profile): Promise<boolean> {
  let suggest: string;
  try {
    ({ suggest } = await platform.msgSecCheck({ openid, content: typedText(profile), nickname: profile.nickName }));
  } catch (error) {
    const refusal = failedCheck(platform, 'security.msgSecCheck', error);
    if (refusal) throw refusal;
    return true;
  }
  if (suggest === 'risky') throw contentRejected();
  return false;
}

/**
 * Submits an uploaded avatar to security.mediaCheckAsync through its temp URL. Answers the trace
 * id of the verdict to come, or null when the submission failed and the policy accepts that.
 */
export async function submitAvatar(platform: CloudPlatform, openid: string, mediaUrl: string): Promise<string | null> {
  try {
    return (await platform.mediaCheckAsync({ openid, mediaUrl })).traceId;
  } catch (error) {
    const refusal = failedCheck(platform, 'security.mediaCheckAsync', error);
    if (refusal) throw refusal;
    return null;
  }
}

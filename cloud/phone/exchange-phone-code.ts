import type { ErrorCode } from '@shared/errors';
import { AppError } from '../core/app-error';
import { sdkErrorCode } from '../core/sdk-error-codes';
import type { CloudPlatform, PhoneInfo } from '../platform/sdk-surface';

/**
 * WeChat's errcodes of phonenumber.getPhoneNumber for a bad code (wx-server-sdk throws them as
 * errCode): 40029 invalid code (unknown, expired after 5 minutes, or another user's), 40163 code
 * been used. Anything else (-1 system busy, 45011 frequency limit, -604101 undeclared API) is
 * the platform's failure, answered as INTERNAL.
 */
const CODE_ERRORS: Record<number, [ErrorCode, string]> = {
  [40029]: ['PHONE_CODE_INVALID', '手机号 code 无效或已过期（有效期 5 分钟），请重新获取'],
  [40163]: ['PHONE_CODE_INVALID', '手机号 code 已使用，请重新获取'],
};

/** The number behind the code of the getPhoneNumber button, checked to be issued for `appid`. */
export async function exchangePhoneCode(platform: CloudPlatform, code: string, appid: string): Promise<PhoneInfo> {
  let info: PhoneInfo;
  try {
    info = await platform.getPhoneNumber(code);
  } catch (error) {
    const known = CODE_ERRORS[sdkErrorCode(error) ?? 0];
    if (known) throw new AppError(...known);
    throw error;
  }
  if (info.watermark.appid !== appid) throw new AppError('PHONE_MISMATCH', '手机号不是为本小程序签发的');
  return info;
}

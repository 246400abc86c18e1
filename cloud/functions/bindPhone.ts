import type { BindPhoneData } from '@shared/api';
import { maskPhone } from '@shared/phone';
import { AppError } from '../core/app-error';
import { defineFunction, type Call } from '../core/handler';
import { exchangePhoneCode } from '../phone/exchange-phone-code';
import { currentPlatform } from '../platform/sdk';
import { UsersStore } from '../users/users-store';

/**
 * 绑定手机号: exchanges the code of the getPhoneNumber button for the caller's number (a paid
 * cloud call, declared in config.json) and stores it on the caller's record in one update.
 * A bad code stores nothing.
 */
async function bindPhone({ request, caller, platform }: Call<'bindPhone'>): Promise<BindPhoneData> {
  const info = await exchangePhoneCode(platform, request.code, caller.appid);
  const stored = await new UsersStore(platform.database()).bindPhone(caller.openid, info);
  if (!stored) throw new AppError('NOT_FOUND', '用户不存在，请先登录');
  return { maskedPhone: maskPhone(info.purePhoneNumber) };
}

export const main = defineFunction('bindPhone', bindPhone, currentPlatform);

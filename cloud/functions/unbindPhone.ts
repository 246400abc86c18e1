import type { UnbindPhoneData } from '@shared/api';
import { defineFunction, type Call } from '../core/handler';
import { currentPlatform } from '../platform/sdk';
import { UsersStore } from '../users/users-store';

/** 解绑手机号: removes the number from the caller's record. Idempotent. */
async function unbindPhone({ caller, platform }: Call<'unbindPhone'>): Promise<UnbindPhoneData> {
  const users = new UsersStore(platform.database());
  const record = await users.find(caller.openid);
  if (!record?.phone) return { unbound: false };
  await users.unbindPhone(caller.openid);
  return { unbound: true };
}

export const main = defineFunction('unbindPhone', unbindPhone, currentPlatform);

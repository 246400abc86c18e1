import type { LoginData } from '../../miniprogram/shared/api';
import { defineFunction, type Call } from '../core/handler';
import { currentPlatform } from '../platform/sdk';
import { UsersStore } from '../users/users-store';

/**
 * Silent login: who the caller is (from getWXContext only; the event is ignored) and the
 * stored profile. First login creates the record; later ones cost one write.
 */
export async function login({ caller, platform }: Call): Promise<LoginData> {
  const users = new UsersStore(platform.database());
  const existing = await users.find(caller.openid);
  let isNewUser = false;
  if (existing) {
    await users.recordLogin(caller, existing);
  } else {
    isNewUser = await users.create(caller);
    if (!isNewUser) {
      // Lost a race with a concurrent first login of the same user: this call is a return.
      const created = await users.find(caller.openid);
      if (created) await users.recordLogin(caller, created);
    }
  }
  return {
    openid: caller.openid,
    appid: caller.appid,
    unionid: caller.unionid,
    isNewUser,
    profile: existing?.profile ?? null,
  };
}

export const main = defineFunction('login', login, currentPlatform);

import type { LoginData } from '@shared/api';
import { maskPhone } from '@shared/phone';
import { internalError } from '../core/app-error';
import { defineFunction, type Call, type CallerIdentity } from '../core/handler';
import { logWarning } from '../core/log';
import { isCollectionMissing } from '../core/sdk-error-codes';
import type { CloudPlatform } from '../platform/sdk-surface';
import { currentPlatform } from '../platform/sdk';
import { UsersStore } from '../users/users-store';

/**
 * Silent login: who the caller is (from getWXContext only; the request is empty) and the
 * stored profile. First login creates the record; later ones cost one write.
 */
async function login({ caller, platform }: Call<'login'>): Promise<LoginData> {
  const users = new UsersStore(platform.database());
  const existing = await users.find(caller.openid);
  let isNewUser = false;
  if (existing) {
    await users.recordLogin(caller, existing);
  } else {
    isNewUser = await createRecord(users, caller, platform);
    if (!isNewUser) {
      // Lost a race with a concurrent first login of the same user: this call is a return.
      const created = await users.find(caller.openid);
      if (created) await users.recordLogin(caller, created);
    }
  }
  const data: LoginData = {
    openid: caller.openid,
    appid: caller.appid,
    unionid: caller.unionid,
    isNewUser,
    profile: existing?.profile ?? null,
  };
  if (existing?.phone) data.maskedPhone = maskPhone(existing.phone.purePhoneNumber);
  // Told once: recordLogin cleared the mark in its write.
  if (existing?.avatarRemoved) data.avatarRemoved = true;
  return data;
}

/**
 * A collection created by a function would keep the platform's default security rule, weaker
 * than database/security-rules.json; so login never creates `users` (-502005): deploy does.
 */
async function createRecord(users: UsersStore, caller: CallerIdentity, platform: CloudPlatform): Promise<boolean> {
  try {
    return await users.create(caller);
  } catch (error) {
    if (!isCollectionMissing(error)) throw error;
    logWarning(platform.logger(), 'login', 'users-collection-missing', {
      hint: 'the users collection does not exist: run `npm run deploy -- --rules-only` to create it with its security rule',
    });
    throw internalError();
  }
}

export const main = defineFunction('login', login, currentPlatform);

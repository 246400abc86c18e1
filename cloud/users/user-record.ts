import type { Profile } from '../../miniprogram/shared/profile';

export const USERS_COLLECTION = 'users';

/** One document per user in `users`, `_id` = OPENID. */
export interface UserRecord {
  _id: string;
  /** Written explicitly: cloud-function writes get no `_openid`, and the client rule keys on it. */
  _openid: string;
  appid: string;
  unionid: string | null;
  createdAt: unknown;
  lastLoginAt: unknown;
  loginCount: number;
  profile: Profile | null;
  /** Replaced avatar files whose deletion failed, retried on the next save and on deletion. */
  staleAvatarFiles: string[];
}

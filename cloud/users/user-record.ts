import type { BoundPhone } from '@shared/api';
import type { Profile } from '@shared/profile';

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
  /**
   * Every uploaded avatar file the server accepted for this user and has not yet seen deleted
   * from storage: pushed in the same update that sets the profile pointing at it, pulled only
   * after storage confirms the file is gone. So no accepted file is ever unrecorded.
   */
  avatarFiles: string[];
  /** Written by the previous version (replaced files whose deletion failed): read as part of avatarFiles. */
  staleAvatarFiles: string[];
  /** Set by bindPhone, removed by unbindPhone; goes with the record. */
  phone: BoundPhone | null;
  /** Set when deleteAccount starts: the files are being deleted and the record is going. */
  deleting: boolean;
}

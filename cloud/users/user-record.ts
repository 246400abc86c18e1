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
  /**
   * The media check of the current uploaded avatar, waiting for its verdict (onMediaCheck). Set in
   * the same update that points the profile at the file; cleared by the verdict or by a save of
   * another avatar. Internal: the trace id is never answered to a client.
   */
  avatarCheck: AvatarCheck | null;
  /** The avatar failed its media check and was removed; login tells the user once, then clears it. */
  avatarRemoved: RemovedAvatar | null;
}

/** Which check removed which file: lets a repeated delivery of the verdict finish deleting it. */
export interface RemovedAvatar {
  traceId: string | null;
  fileID: string | null;
}

export interface AvatarCheck {
  /** The trace id of security.mediaCheckAsync; null when the submission failed and the policy accepted it. */
  traceId: string | null;
  fileID: string;
  /** When it was submitted (a serverDate); absent for a check about to be stored. */
  submittedAt?: Date;
}

/**
 * Request and response shapes of every cloud function: the one source of truth for both
 * the functions (`cloud/`) and the mini program (`import type` only from outside).
 */
import type { Profile, ProfileSource } from './profile';

/** `login` takes no input: identity comes from the call context only. */
export type LoginRequest = Record<string, never>;

export interface LoginData {
  openid: string;
  appid: string;
  unionid: string | null;
  isNewUser: boolean;
  profile: Profile | null;
}

/** Path A: `profile` is `wx.cloud.CloudID(res.cloudID)`, resolved by the platform before the call. */
export interface SaveOpenDataProfileRequest {
  profile: unknown;
  /** Which client API produced the cloudID; defaults to getUserProfile. */
  via?: Extract<ProfileSource, 'getUserProfile' | 'getUserInfo'>;
}

/** Path B: the avatar/nickname fill-in (base library 2.21.2+). */
export interface SaveFilledProfileRequest {
  nickName: string;
  avatarFileID: string;
}

export type SaveProfileRequest = SaveOpenDataProfileRequest | SaveFilledProfileRequest;

export interface SaveProfileData {
  profile: Profile;
}

/** 注销账号: removes the caller's record and uploaded avatar files. Idempotent. */
export type DeleteAccountRequest = Record<string, never>;

export interface DeleteAccountData {
  /** False when there was no record (already deleted, or never logged in). */
  deleted: boolean;
  filesDeleted: number;
}

/** Everything stored about the caller, minus internal fields (`_id`, `_openid`). */
export type GetProfileRequest = Record<string, never>;

export interface GetProfileData {
  openid: string;
  appid: string;
  unionid: string | null;
  /** Milliseconds since epoch, or null when unknown. */
  createdAt: number | null;
  lastLoginAt: number | null;
  loginCount: number;
  profile: Profile | null;
  /** Uploaded avatar files kept only because deleting them failed; removed on the next try. */
  staleAvatarFiles: string[];
}

export interface FunctionContracts {
  login: { request: LoginRequest; data: LoginData };
  saveProfile: { request: SaveProfileRequest; data: SaveProfileData };
  getProfile: { request: GetProfileRequest; data: GetProfileData };
  deleteAccount: { request: DeleteAccountRequest; data: DeleteAccountData };
}

export type FunctionName = keyof FunctionContracts;

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

export interface FunctionContracts {
  login: { request: LoginRequest; data: LoginData };
  saveProfile: { request: SaveProfileRequest; data: SaveProfileData };
}

export type FunctionName = keyof FunctionContracts;

/** The user profile as stored in `users.profile` and answered to the mini program. */
export const PROFILE_SOURCES = ['getUserProfile', 'getUserInfo', 'chooseAvatar'] as const;
export type ProfileSource = (typeof PROFILE_SOURCES)[number];

/** WeChat's gender field: 0 unknown, 1 male, 2 female (always 0 since 2021-10). */
export type Gender = 0 | 1 | 2;

export interface Profile {
  nickName: string;
  /** https URL from WeChat (getUserProfile) or a cloud:// fileID (chooseAvatar fill-in). */
  avatarUrl: string;
  gender: Gender;
  country: string;
  province: string;
  city: string;
  language: string;
  source: ProfileSource;
  /** Milliseconds since epoch, set by the cloud function. */
  updatedAt: number;
}

export const ANONYMOUS_NICKNAME = '微信用户';
/**
 * The gray default avatar WeChat returns instead of the real one (base library 2.27.1+,
 * announced 2022-10-25). Matched by path: the size suffix after the last `/` varies.
 */
export const ANONYMOUS_AVATAR_PATH =
  '/mmopen/vi_32/POgEwh4mIHO4nibH0KlMECNjjGxQUq24ZEaGT4poC6icRiccVGKSyXwibcPq4BWmiaIGuG1icwxaQX6grC9VemZoJ8rg';

/** True for the anonymous data WeChat hands out in place of a real profile. */
export function isAnonymousProfile(data: { nickName?: unknown; avatarUrl?: unknown }): boolean {
  if (data.nickName !== ANONYMOUS_NICKNAME) return false;
  const avatar = typeof data.avatarUrl === 'string' ? data.avatarUrl : '';
  return avatar === '' || avatar.includes(ANONYMOUS_AVATAR_PATH);
}

export {
  checkNickname,
  NICKNAME_MAX_LENGTH,
  NICKNAME_PROBLEMS,
  type NicknameCheck,
  type NicknameProblem,
} from './nickname';

/**
 * The sample data of every test, defined once: the users, the environment and its bucket,
 * avatar fileIDs and profiles. Used by the function tests and suites, the local cloud's tests
 * and the mini program's tests.
 */
import { ANONYMOUS_AVATAR_PATH, ANONYMOUS_NICKNAME, PROFILE_FIELDS, type Profile } from '@shared/profile';
import type { ProfileFieldKind, ProfileFieldValues, ProfileSource } from '@shared/profile';
import type { WxContext } from '../cloud/platform/sdk-surface';

export const APPID = 'wx0123456789abcdef';
export const ENV = 'test-env-1a2b3c';
/** The storage bucket of ENV: a fileID is `cloud://<env>.<bucket>/<path>`. */
export const BUCKET = '7465-test-env-1a2b3c-1300000000';

/** The users, as the platform's call context names them. Alice is the mini program's user. */
export const ALICE: WxContext & { OPENID: string } = { OPENID: 'oAlice0000000000000000000001', APPID };
export const BOB: WxContext & { OPENID: string } = { OPENID: 'oBob00000000000000000000000002', APPID };

/** The fileID of an avatar uploaded to the user's folder of ENV (the name is `<timestamp>.<ext>`). */
export function avatarFileID(name = '1700000000000.jpg', openid = ALICE.OPENID): string {
  return `cloud://${ENV}.${BUCKET}/avatars/${openid}/${name}`;
}

/** The `userInfo` of wx.getUserProfile (the shape of WechatMiniprogram.UserInfo). */
type WeChatUserInfo = {
  nickName: string;
  avatarUrl: string;
  gender: ProfileFieldValues['gender'];
  country: string;
  province: string;
  city: string;
  language: 'zh_CN' | 'en' | 'zh_TW';
};

/** What wx.getUserProfile returns for a real user (before the 2022-11 anonymisation). */
export const WECHAT_PROFILE: WeChatUserInfo = {
  nickName: '小明',
  avatarUrl: 'https://thirdwx.qlogo.cn/mmopen/vi_32/abcdef/132',
  gender: 1,
  country: 'China',
  province: 'Guangdong',
  city: 'Shenzhen',
  language: 'zh_CN',
};

/** What WeChat hands out instead since 2022-11: 微信用户 with the gray avatar. */
export const ANONYMOUS_WECHAT_PROFILE: WeChatUserInfo = {
  nickName: ANONYMOUS_NICKNAME,
  avatarUrl: `https://thirdwx.qlogo.cn${ANONYMOUS_AVATAR_PATH}/132`,
  gender: 0,
  country: '',
  province: '',
  city: '',
  language: 'zh_CN',
};

// The tests' own statement of what an unset field holds, independent of the code's defaults.
const UNSET: { [K in Exclude<ProfileFieldKind, 'source'>]: ProfileFieldValues[K] } = { text: '', gender: 0, time: 0 };

/** Every field of the profile table that a save does not set itself, as an unset field. */
export function unsetProfileFields(): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [field, spec] of Object.entries(PROFILE_FIELDS)) {
    if (!('required' in spec)) fields[field] = UNSET[spec.kind];
  }
  return fields;
}

/** A complete profile: the given fields, every other one unset, updatedAt 1. */
export function profileOf(nickName: string, avatarUrl: string, source: ProfileSource = 'chooseAvatar'): Profile {
  return { ...unsetProfileFields(), nickName, avatarUrl, source, updatedAt: 1 } as Profile;
}

/**
 * Every base-library and version check of the mini program, in one place.
 */

/** How this client can get a profile, best first. */
type ProfileEntry = 'fillIn' | 'getUserProfile' | 'getUserInfoButton';

/** `<button open-type="chooseAvatar">` and `<input type="nickname">`. */
const FILL_IN_VERSION = '2.21.2';

/** Compares dotted versions numerically: negative, zero or positive like a sort comparator. */
function compareVersions(a: string, b: string): number {
  const left = a.split('.');
  const right = b.split('.');
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const diff = (parseInt(left[i], 10) || 0) - (parseInt(right[i], 10) || 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

function baseLibraryVersion(): string {
  // getAppBaseInfo is 2.25.3+; getSystemInfoSync answers on every older library.
  const info = typeof wx.getAppBaseInfo === 'function' ? wx.getAppBaseInfo() : wx.getSystemInfoSync();
  return info.SDKVersion || '0.0.0';
}

function baseLibraryAtLeast(version: string): boolean {
  return compareVersions(baseLibraryVersion(), version) >= 0;
}

/** The avatar/nickname fill-in: the only way to a real profile from base library 2.27.1 on. */
export function canFillInProfile(): boolean {
  return baseLibraryAtLeast(FILL_IN_VERSION);
}

/** The getPhoneNumber button answers a `code` for the server from base library 2.21.2. */
const PHONE_CODE_VERSION = '2.21.2';

export function canBindPhone(): boolean {
  return baseLibraryAtLeast(PHONE_CODE_VERSION);
}

/** Platform rule: detect getUserProfile by its presence (2.10.4+), not with canIUse. */
function hasGetUserProfile(): boolean {
  return typeof wx.getUserProfile === 'function';
}

/**
 * The fill-in wherever it exists (getUserProfile returns 微信用户 and a gray avatar from 2.27.1,
 * so it is useless there), then getUserProfile, then the legacy getUserInfo button.
 */
export function profileEntry(): ProfileEntry {
  if (canFillInProfile()) return 'fillIn';
  if (hasGetUserProfile()) return 'getUserProfile';
  return 'getUserInfoButton';
}

/** wx.cloud: base library 2.2.3+. */
export function hasCloud(): boolean {
  return typeof wx.cloud === 'object' && wx.cloud !== null;
}

/**
 * wx.onNeedPrivacyAuthorization, wx.getPrivacySetting and the agreePrivacyAuthorization button
 * (all 2.32.3+).
 */
export function hasPrivacyAuthorization(): boolean {
  return typeof wx.onNeedPrivacyAuthorization === 'function';
}

export function hasPrivacyContract(): boolean {
  return typeof wx.openPrivacyContract === 'function';
}

/** True only in the develop version (DevTools or a preview), never in trial or release. */
export function isDevelopVersion(): boolean {
  try {
    return wx.getAccountInfoSync().miniProgram.envVersion === 'develop';
  } catch {
    return false;
  }
}

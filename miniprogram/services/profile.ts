/**
 * The three ways to a profile, each started by a tap and ending in a message the user sees:
 * - getUserProfile (base library 2.10.4 to 2.21.1 here): its cloudID goes to saveProfile;
 * - the `<button open-type="getUserInfo">` on older libraries: same cloudID path;
 * - the avatar/nickname fill-in (2.21.2+, and wherever WeChat hands out anonymous data):
 *   upload the avatar, then save the nickname with its fileID.
 * Nothing here retries: the profile APIs allow at most 4 calls a second, and a second tap while
 * a flow runs is ignored.
 */
import { avatarCloudPath, parseAvatarFileID } from '../shared/avatar-path';
import { checkNickname, fillInValues, isAnonymousProfile, type Profile } from '../shared/profile';
import type { SaveProfileRequest } from '../shared/api';
import { callFunction, openDataField, uploadFile, type OpenDataAnswer } from './cloud';
import { contentRejectedMessage, messageFor, nicknameMessage, problemFromErrMsg, type Problem } from './messages';
import { session } from './session';

/** At most 30 characters (platform rule), shown in WeChat's popup. */
export const PROFILE_DESC = '用于在“我的”页面展示头像和昵称';
const EDITOR_URL = '/pages/profile-edit/index';

type Outcome =
  { kind: 'saved'; profile: Profile } | { kind: 'anonymous' } | { kind: 'failed'; problem: Problem; message?: string };

let busy = false;

/** Call straight from the tap handler: getUserProfile fails outside a TAP gesture. */
export function setProfileWithGetUserProfile(): Promise<boolean> {
  if (busy) return Promise.resolve(false);
  busy = true;
  const answer = new Promise<Outcome>((resolve) => {
    wx.getUserProfile({
      desc: PROFILE_DESC,
      lang: 'zh_CN',
      success: (res) => resolve(saveOpenData(res, 'getUserProfile')),
      fail: (error) => resolve({ kind: 'failed', problem: problemFromErrMsg(error.errMsg) }),
    });
  });
  return finish(answer);
}

/** The `bindgetuserinfo` event of `<button open-type="getUserInfo">`. */
export function setProfileWithUserInfoButton(detail: Partial<OpenDataAnswer> & { errMsg?: string }): Promise<boolean> {
  if (busy) return Promise.resolve(false);
  busy = true;
  const userInfo = detail.userInfo;
  const answer: Promise<Outcome> =
    userInfo && !/:fail/.test(detail.errMsg ?? '')
      ? saveOpenData({ cloudID: detail.cloudID, userInfo }, 'getUserInfo')
      : Promise.resolve({ kind: 'failed', problem: problemFromErrMsg(detail.errMsg) });
  return finish(answer);
}

export type AvatarChoice = { kind: 'chosen'; filePath: string } | { kind: 'kept' };

interface FilledProfile {
  /** Read from the form's submit event: WeChat clears a nickname that fails its check on blur. */
  nickName: unknown;
  /** The form's values: those of the profile table's fill-in fields are saved too. */
  form?: Readonly<Record<string, unknown>>;
  avatar: AvatarChoice;
  onProgress: (percent: number) => void;
}

/** The fill-in: upload the chosen avatar to the user's folder, then save. */
export function saveFilledProfile(input: FilledProfile): Promise<boolean> {
  if (busy) return Promise.resolve(false);
  busy = true;
  return finish(fillIn(input));
}

/** The avatar the editor starts with, when it can be saved again without a new upload. */
export function reusableAvatar(): string | null {
  const { openid, profile } = session.current;
  const avatar = profile?.avatarUrl ?? '';
  return openid && parseAvatarFileID(avatar)?.openid === openid ? avatar : null;
}

export function openProfileEditor(reason?: 'anonymous'): void {
  wx.navigateTo({ url: reason ? `${EDITOR_URL}?reason=${reason}` : EDITOR_URL });
}

// A chosen avatar already uploaded by an attempt whose save failed: a retry reuses it, unless
// the user logged out or deleted the account in between (deletion removes the file), or
// saveProfile discarded it (UPLOAD_DISCARDED_ON).
let uploaded: { filePath: string; fileID: string } | null = null;
session.subscribe((state) => {
  if (state.openid === null) uploaded = null;
});

async function fillIn(input: FilledProfile): Promise<Outcome> {
  const nick = checkNickname(input.nickName);
  if (!nick.ok) return { kind: 'failed', problem: 'NICKNAME_INVALID', message: nicknameMessage(nick.problem) };
  const kept = reusableAvatar();
  if (input.avatar.kind === 'kept' && !kept) return { kind: 'failed', problem: 'AVATAR_REQUIRED' };

  const openid = await session.openid();
  if (!openid.ok) return { kind: 'failed', problem: openid.error.code };

  let avatarFileID = kept ?? '';
  if (input.avatar.kind === 'chosen') {
    const filePath = input.avatar.filePath;
    if (uploaded?.filePath === filePath) {
      avatarFileID = uploaded.fileID;
    } else {
      input.onProgress(0);
      const upload = await uploadFile({
        cloudPath: avatarCloudPath(openid.data, Date.now(), filePath),
        filePath,
        onProgress: input.onProgress,
      });
      if (!upload.ok) return { kind: 'failed', problem: 'UPLOAD_FAILED' };
      uploaded = { filePath, fileID: upload.data.fileID };
      avatarFileID = upload.data.fileID;
    }
  }
  const fields = fillInValues(input.form ?? null);
  const outcome = await save({ ...fields, nickName: nick.value, avatarFileID });
  if (outcome.kind === 'saved') uploaded = null;
  if (outcome.kind !== 'failed') return outcome;
  if (UPLOAD_DISCARDED_ON.has(outcome.problem)) uploaded = null;
  if (outcome.problem === 'CONTENT_REJECTED') {
    return { ...outcome, message: contentRejectedMessage(hasTypedText(fields)) };
  }
  return outcome;
}

/** saveProfile deletes the avatar uploaded for a save it refuses with these: a retry uploads again. */
const UPLOAD_DISCARDED_ON: ReadonlySet<Problem> = new Set<Problem>(['CONTENT_REJECTED', 'CONTENT_CHECK_UNAVAILABLE']);

function hasTypedText(fields: Readonly<Record<string, unknown>>): boolean {
  return Object.values(fields).some((value) => typeof value === 'string' && value.trim() !== '');
}

async function saveOpenData(answer: OpenDataAnswer, via: 'getUserProfile' | 'getUserInfo'): Promise<Outcome> {
  // 微信用户 with the gray avatar (base library 2.27.1+): nothing worth saving.
  if (isAnonymousProfile(answer.userInfo)) return { kind: 'anonymous' };
  const field = await openDataField(answer);
  if (!field.ok) return { kind: 'failed', problem: field.error.code };
  return save({ profile: field.data, via });
}

async function save(request: SaveProfileRequest): Promise<Outcome> {
  wx.showLoading({ title: '保存中', mask: true });
  const answer = await callFunction('saveProfile', request);
  wx.hideLoading();
  if (answer.ok) return { kind: 'saved', profile: answer.data.profile };
  if (answer.error.code === 'ANONYMOUS_PROFILE') return { kind: 'anonymous' };
  return { kind: 'failed', problem: answer.error.code };
}

/** Shows the outcome; true once the profile is saved. */
async function finish(answer: Promise<Outcome>): Promise<boolean> {
  try {
    const outcome = await answer;
    switch (outcome.kind) {
      case 'saved':
        session.setProfile(outcome.profile);
        wx.showToast({ title: '已保存', icon: 'success' });
        return true;
      case 'anonymous':
        openProfileEditor('anonymous');
        return false;
      case 'failed':
        wx.showToast({ title: outcome.message ?? messageFor(outcome.problem), icon: 'none' });
        return false;
    }
  } finally {
    busy = false;
  }
}

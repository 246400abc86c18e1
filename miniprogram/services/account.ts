/**
 * The user's account as a whole: 注销账号 (delete everything stored about them) and 我的数据
 * (see everything stored about them). Both start with a tap; nothing here retries.
 */
import type { BoundPhone, GetProfileData } from '../shared/api';
import {
  profileFields,
  type Gender,
  type Profile,
  type ProfileFieldValues,
  type ProfileSource,
} from '../shared/profile';
import { callFunction, displayUrl } from './cloud';
import { messageFor } from './messages';
import { session } from './session';

export const MY_DATA_URL = '/pages/my-data/index';

/** What the confirmation says is deleted: exactly what deleteAccount removes. */
export const DELETE_ACCOUNT_CONFIRM =
  '将永久删除：\n' +
  '1. 账号记录：微信身份标识、登录记录、头像昵称、绑定的手机号；\n' +
  '2. 上传到云存储的头像文件。\n' +
  '注销后无法恢复，再次登录将作为新用户。';

let deleting = false;

/** Confirm, delete, then forget the account on this device. True once it is deleted. */
export async function deleteAccount(): Promise<boolean> {
  if (deleting) return false;
  deleting = true;
  try {
    if (!(await confirmDeletion())) return false;
    // A login still in flight could write the record again after it is deleted: let it land first.
    if (session.current.status === 'loading') await session.login();
    wx.showLoading({ title: '注销中', mask: true });
    const answer = await callFunction('deleteAccount', {});
    wx.hideLoading();
    if (!answer.ok) {
      wx.showToast({ title: messageFor(answer.error.code), icon: 'none' });
      return false;
    }
    session.logout();
    wx.showToast({ title: '账号已注销', icon: 'none' });
    return true;
  } finally {
    deleting = false;
  }
}

export function openMyData(): void {
  wx.navigateTo({ url: MY_DATA_URL });
}

export interface DataRow {
  key: string;
  label: string;
  value: string;
}

type MyDataView = { ok: true; rows: DataRow[]; avatarSrc: string } | { ok: false; message: string };

/** Everything stored about the user (getProfile), as labelled rows. */
export async function loadMyData(): Promise<MyDataView> {
  const answer = await callFunction('getProfile', {});
  if (!answer.ok) return { ok: false, message: messageFor(answer.error.code) };
  const data = answer.data;
  return {
    ok: true,
    rows: dataRows(data),
    avatarSrc: data.profile?.avatarUrl ? displayUrl(data.profile.avatarUrl) : '',
  };
}

const SOURCES: Readonly<Record<ProfileSource, string>> = {
  getUserProfile: '微信头像昵称授权',
  getUserInfo: '微信头像昵称授权（旧版按钮）',
  chooseAvatar: '自行填写',
};

const GENDERS: Readonly<Record<Gender, string>> = { 0: '未知', 1: '男', 2: '女' };

const NONE = '无';

/** How 我的数据 shows a value of each kind of profile field. */
const SHOW: { [K in keyof ProfileFieldValues]: (value: ProfileFieldValues[K]) => string } = {
  text: (value) => value,
  gender: (value) => GENDERS[value] ?? GENDERS[0],
  source: (value) => SOURCES[value] ?? value,
  time: (value) => formatTime(value),
};

/**
 * One row per field of the profile table, in its order; fields sharing a `row` in one row
 * (their non-empty values joined). Without a profile, only the required text fields, 未设置.
 */
function profileRows(profile: Profile | null): DataRow[] {
  const rows: Array<DataRow & { parts: string[] }> = [];
  for (const [field, spec] of profileFields()) {
    if (!profile && !(spec.required && spec.kind === 'text')) continue;
    const key = spec.row ?? field;
    let row = rows.find((r) => r.key === key);
    if (!row) rows.push((row = { key, label: spec.label, value: '', parts: [] }));
    const value = profile?.[field];
    if (value !== undefined) row.parts.push((SHOW[spec.kind] as (v: typeof value) => string)(value));
  }
  return rows.map(({ key, label, parts }) => ({
    key,
    label,
    value: parts.filter(Boolean).join(' ') || (profile ? NONE : '未设置'),
  }));
}

function dataRows(data: GetProfileData): DataRow[] {
  const rows = profileRows(data.profile);
  rows.push(
    { key: 'phone', label: '手机号', value: data.phone ? phoneText(data.phone) : NONE },
    { key: 'openid', label: 'OpenID', value: data.openid },
    { key: 'unionid', label: 'UnionID', value: data.unionid ?? NONE },
    { key: 'appid', label: '小程序 AppID', value: data.appid },
    { key: 'createdAt', label: '首次登录', value: formatTime(data.createdAt) },
    { key: 'lastLoginAt', label: '最近登录', value: formatTime(data.lastLoginAt) },
    { key: 'loginCount', label: '登录次数', value: `${data.loginCount} 次` },
    {
      key: 'staleAvatarFiles',
      label: '待删除的旧头像',
      value: data.staleAvatarFiles.length > 0 ? data.staleAvatarFiles.join('\n') : NONE,
    },
  );
  return rows;
}

/** The full number (the user's own data) with its country code and when it was bound. */
function phoneText(phone: BoundPhone): string {
  return `+${phone.countryCode} ${phone.purePhoneNumber}（${formatTime(phone.boundAt)} 绑定）`;
}

/** Local time, `YYYY-MM-DD HH:mm`. */
function formatTime(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '未知';
  const date = new Date(ms);
  const pad = (n: number) => (n < 10 ? `0${n}` : String(n));
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

function confirmDeletion(): Promise<boolean> {
  return new Promise((resolve) => {
    wx.showModal({
      title: '注销账号',
      content: DELETE_ACCOUNT_CONFIRM,
      confirmText: '注销',
      confirmColor: '#fa5151',
      success: (res) => resolve(res.confirm),
      fail: () => resolve(false),
    });
  });
}

/**
 * The user's account as a whole: 注销账号 (delete everything stored about them) and 我的数据
 * (see everything stored about them). Both start with a tap; nothing here retries.
 */
import type { GetProfileData } from '../shared/api';
import type { Gender, ProfileSource } from '../shared/profile';
import { callFunction, displayUrl } from './cloud';
import { messageFor } from './messages';
import { session } from './session';

export const MY_DATA_URL = '/pages/my-data/index';

/** What the confirmation says is deleted: exactly what deleteAccount removes. */
export const DELETE_ACCOUNT_CONFIRM =
  '将永久删除：\n' +
  '1. 账号记录：微信身份标识、登录记录、头像昵称；\n' +
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

export type MyDataView = { ok: true; rows: DataRow[]; avatarSrc: string } | { ok: false; message: string };

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

export function dataRows(data: GetProfileData): DataRow[] {
  const profile = data.profile;
  const region = profile ? [profile.country, profile.province, profile.city].filter(Boolean).join(' ') : '';
  const rows: DataRow[] = [
    { key: 'nickName', label: '昵称', value: profile?.nickName || '未设置' },
    { key: 'avatarUrl', label: '头像', value: profile?.avatarUrl || '未设置' },
  ];
  if (profile) {
    rows.push(
      { key: 'source', label: '来源', value: SOURCES[profile.source] ?? profile.source },
      { key: 'updatedAt', label: '资料更新', value: formatTime(profile.updatedAt) },
      { key: 'gender', label: '性别', value: GENDERS[profile.gender] ?? GENDERS[0] },
      { key: 'region', label: '地区', value: region || NONE },
      { key: 'language', label: '语言', value: profile.language || NONE },
    );
  }
  rows.push(
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

/** Local time, `YYYY-MM-DD HH:mm`. */
export function formatTime(ms: number | null): string {
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

/**
 * 绑定手机号 / 解绑: each starts with a tap on 我的 (the getPhoneNumber button only ever opens on
 * a tap); nothing here retries on its own: a failed bind needs a new tap and a new code.
 */
import { callFunction } from './cloud';
import { messageFor, phoneProblem } from './messages';
import { session } from './session';

/** `e.detail` of `bindgetphonenumber`: a code (2.21.2+), or errMsg / errno. */
export interface PhoneNumberDetail {
  code?: string;
  errMsg?: string;
  errno?: number;
}

let busy = false;

/** Sends the button's code to bindPhone. True once the number is bound. */
export async function bindPhone(detail: PhoneNumberDetail): Promise<boolean> {
  if (!detail.code) {
    wx.showToast({ title: messageFor(phoneProblem(detail)), icon: 'none' });
    return false;
  }
  if (busy) return false;
  busy = true;
  try {
    wx.showLoading({ title: '绑定中', mask: true });
    const answer = await callFunction('bindPhone', { code: detail.code });
    wx.hideLoading();
    if (!answer.ok) {
      wx.showToast({ title: messageFor(answer.error.code), icon: 'none' });
      return false;
    }
    session.setMaskedPhone(answer.data.maskedPhone);
    wx.showToast({ title: '手机号已绑定', icon: 'none' });
    return true;
  } finally {
    busy = false;
  }
}

/** Confirms, then removes the number. True once it is removed. */
export async function unbindPhone(): Promise<boolean> {
  if (busy) return false;
  busy = true;
  try {
    if (!(await confirmUnbind())) return false;
    wx.showLoading({ title: '解绑中', mask: true });
    const answer = await callFunction('unbindPhone', {});
    wx.hideLoading();
    if (!answer.ok) {
      wx.showToast({ title: messageFor(answer.error.code), icon: 'none' });
      return false;
    }
    session.setMaskedPhone(null);
    wx.showToast({ title: '手机号已解绑', icon: 'none' });
    return true;
  } finally {
    busy = false;
  }
}

function confirmUnbind(): Promise<boolean> {
  return new Promise((resolve) => {
    wx.showModal({
      title: '解绑手机号',
      content: '将从你的账号中删除手机号，可随时重新绑定。',
      confirmText: '解绑',
      success: (res) => resolve(res.confirm),
      fail: () => resolve(false),
    });
  });
}

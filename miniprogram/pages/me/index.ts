import { deleteAccount, openMyData } from '../../services/account';
import { canBindPhone, profileEntry } from '../../services/capabilities';
import { AVATAR_REMOVED_NOTICE } from '../../services/messages';
import { bindPhone, unbindPhone, type PhoneNumberDetail } from '../../services/phone';
import { openPrivacyContract } from '../../services/privacy';
import { openProfileEditor, setProfileWithGetUserProfile, setProfileWithUserInfoButton } from '../../services/profile';
import { profileView, session } from '../../services/session';
import { hold, release } from '../../services/subscriptions';

/** 我的: the profile (or the anonymous card) and the one way this client can set it. */
Component({
  data: {
    view: profileView(session.current),
    entry: profileEntry(),
    phoneEntry: canBindPhone(),
    maskedPhone: session.current.maskedPhone,
  },
  lifetimes: {
    attached() {
      hold(
        this,
        session.subscribe((state) => {
          this.setData({ view: profileView(state), maskedPhone: state.maskedPhone });
          if (state.avatarRemoved) this.tellAvatarRemoved();
        }),
      );
    },
    detached() {
      release(this);
    },
  },
  methods: {
    /** Once: the notice is taken from the session, so a re-render or another 我的 shows nothing. */
    tellAvatarRemoved() {
      if (!session.takeAvatarRemovedNotice()) return;
      wx.showModal({
        title: '头像已恢复默认',
        content: AVATAR_REMOVED_NOTICE,
        showCancel: false,
        confirmText: '知道了',
      });
    },
    onOpenEditor() {
      openProfileEditor();
    },
    onGetUserProfile() {
      void setProfileWithGetUserProfile();
    },
    onGetUserInfo(event: WechatMiniprogram.ButtonGetUserInfo) {
      void setProfileWithUserInfoButton(event.detail);
    },
    onLogin() {
      void session.login();
    },
    onLogout() {
      wx.showModal({
        title: '退出登录',
        content: '将清除本机保存的头像昵称，可随时重新登录。',
        confirmText: '退出',
        success: (res) => {
          if (!res.confirm) return;
          session.logout();
          wx.showToast({ title: '已退出登录', icon: 'none' });
        },
      });
    },
    onOpenMyData() {
      openMyData();
    },
    /** The getPhoneNumber button's answer (it opens only on the user's tap). */
    onGetPhoneNumber(event: { detail: PhoneNumberDetail }) {
      void bindPhone(event.detail);
    },
    onUnbindPhone() {
      void unbindPhone();
    },
    onDeleteAccount() {
      void deleteAccount();
    },
    onOpenPrivacyContract() {
      openPrivacyContract();
    },
  },
});

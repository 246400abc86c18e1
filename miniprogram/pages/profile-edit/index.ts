import { canFillInProfile } from '../../services/capabilities';
import { messageFor, problemFromErrMsg } from '../../services/messages';
import { reusableAvatar, saveFilledProfile, type AvatarChoice } from '../../services/profile';
import { DEFAULT_AVATAR, session } from '../../services/session';
import { displayUrl } from '../../services/cloud';
import { NICKNAME_MAX_UTF16_LENGTH } from '../../shared/nickname';
import { fillInValues } from '../../shared/profile';

/**
 * The avatar/nickname fill-in. The nickname is read on submit: WeChat checks it and clears one
 * that fails on blur, so a value kept from input events could be one WeChat rejected.
 */
Component({
  properties: {
    /** `anonymous` when WeChat handed out 微信用户 and the gray avatar instead of a profile. */
    reason: { type: String, value: '' },
  },
  data: {
    anonymousHint: messageFor('ANONYMOUS_PROFILE'),
    canChooseAvatar: canFillInProfile(),
    avatarSrc: DEFAULT_AVATAR,
    chosenPath: '',
    nickName: '',
    /** The other fields of the fill-in (profile table, `fillIn`), bound as `fields.<name>`. */
    fields: fillInValues(null),
    // The check counts characters (graphemes), the input counts UTF-16 units: never cut a valid name.
    nicknameMaxLength: NICKNAME_MAX_UTF16_LENGTH,
    uploading: false,
    progress: 0,
    saving: false,
  },
  lifetimes: {
    attached() {
      const profile = session.current.profile;
      const kept = reusableAvatar();
      this.setData({
        nickName: profile?.nickName ?? '',
        fields: fillInValues(profile),
        avatarSrc: kept ? displayUrl(kept) : DEFAULT_AVATAR,
      });
    },
  },
  methods: {
    onChooseAvatar(event: WechatMiniprogram.ButtonChooseAvatar) {
      const { avatarUrl, errMsg } = event.detail;
      if (avatarUrl) this.showChosen(avatarUrl);
      else if (errMsg) wx.showToast({ title: messageFor(problemFromErrMsg(errMsg)), icon: 'none' });
    },
    /** Before 2.21.2 there is no chooseAvatar button: an ordinary image pick. */
    onPickImage() {
      wx.chooseImage({
        count: 1,
        sizeType: ['compressed'],
        success: (res) => this.showChosen(res.tempFilePaths[0]),
      });
    },
    showChosen(filePath: string) {
      this.setData({ chosenPath: filePath, avatarSrc: filePath });
    },
    async onSubmit(event: WechatMiniprogram.FormSubmit) {
      if (this.data.saving) return;
      const avatar: AvatarChoice = this.data.chosenPath
        ? { kind: 'chosen', filePath: this.data.chosenPath }
        : { kind: 'kept' };
      const form = event.detail.value;
      // What was typed becomes the page's data: a save refused (content check, network) keeps it
      // on screen for 保存 again, whatever re-renders the inputs meanwhile.
      this.setData({
        saving: true,
        nickName: typeof form.nickName === 'string' ? form.nickName : '',
        fields: fillInValues(form),
      });
      const saved = await saveFilledProfile({
        nickName: form.nickName,
        form,
        avatar,
        onProgress: (percent) => this.setData({ uploading: true, progress: percent }),
      });
      this.setData({ saving: false, uploading: false });
      if (saved) wx.navigateBack({ fail: () => wx.switchTab({ url: '/pages/me/index' }) });
    },
  },
});

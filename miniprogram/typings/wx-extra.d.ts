/**
 * What miniprogram-api-typings 5.2.3 lacks or types wrongly. Global declarations: merged into
 * the library's `WechatMiniprogram` namespace.
 */
declare namespace WechatMiniprogram {
  /**
   * `<button open-type="chooseAvatar" bindchooseavatar>` (base library 2.21.2+). `avatarUrl` is a
   * temporary file path that expires: upload it. From 2.24.4 WeChat checks the image and an
   * avatar that fails the check never fires the event.
   */
  type ButtonChooseAvatar = CustomEvent<{ avatarUrl?: string; errMsg?: string }>;

  /** `<button open-type="agreePrivacyAuthorization" bindagreeprivacyauthorization>` (2.32.3+). */
  type ButtonAgreePrivacyAuthorization = CustomEvent<{ errMsg?: string }>;

  type PrivacyResolveOption =
    { event: 'agree'; buttonId: string } | { event: 'disagree' } | { event: 'exposureAuthorization' };

  /** The real listener shape: the library types it as `(res: GeneralCallbackResult) => void`. */
  type NeedPrivacyAuthorizationListener = (
    resolve: (option: PrivacyResolveOption) => void,
    eventInfo: { referrer: string },
  ) => void;

  interface Wx {
    onNeedPrivacyAuthorization(listener: NeedPrivacyAuthorizationListener): void;
  }
}

import { agreePrivacy, disagreePrivacy, openPrivacyContract, subscribePrivacy } from '../../services/privacy';
import { hold, release } from '../../services/subscriptions';

/** Our privacy agreement popup, shown while WeChat waits for the user's consent. */
Component({
  data: { visible: false, contractName: '' },
  lifetimes: {
    attached() {
      hold(
        this,
        subscribePrivacy((request) => this.setData({ visible: request.visible, contractName: request.contractName })),
      );
    },
    detached() {
      release(this);
    },
  },
  methods: {
    onAgree(event: WechatMiniprogram.ButtonAgreePrivacyAuthorization) {
      // resolve() must name the agree button that was tapped: the platform checks it.
      agreePrivacy(event.currentTarget.id || 'privacy-agree');
    },
    onDisagree() {
      disagreePrivacy();
    },
    onOpenContract() {
      openPrivacyContract();
    },
    noop() {
      // Keeps the page behind the mask from scrolling.
    },
  },
});

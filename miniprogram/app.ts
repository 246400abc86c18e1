import { initCloud } from './services/cloud';
import { installPrivacyHandler } from './services/privacy';
import { session } from './services/session';

/**
 * Launch: cloud init, the privacy listener, the cached profile at once, then one silent login.
 * No profile popup here (review rule: never on first open; getUserProfile needs a tap anyway).
 */
App({
  onLaunch() {
    initCloud();
    installPrivacyHandler();
    session.restore();
    void session.login();
  },
});

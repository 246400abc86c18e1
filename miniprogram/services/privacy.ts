/**
 * WeChat's privacy agreement (since 2023-10): getUserProfile, chooseAvatar and the nickname input
 * wait until the user agrees. The platform asks through `wx.onNeedPrivacyAuthorization`, which
 * keeps only the last listener registered, so it is registered once (at launch) here, and the
 * `privacy-popup` component on each page that uses those APIs shows our agreement popup.
 */
import { hasPrivacyAuthorization, hasPrivacyContract } from './capabilities';

type Resolve = (option: WechatMiniprogram.PrivacyResolveOption) => void;
type Listener = (request: PrivacyRequest) => void;

interface PrivacyRequest {
  visible: boolean;
  contractName: string;
}

const DEFAULT_CONTRACT_NAME = '《用户隐私保护指引》';

let pending: Resolve[] = [];
let request: PrivacyRequest = { visible: false, contractName: DEFAULT_CONTRACT_NAME };
const listeners = new Set<Listener>();

export function installPrivacyHandler(): void {
  if (!hasPrivacyAuthorization()) return;
  wx.onNeedPrivacyAuthorization((resolve: Resolve) => {
    if (listeners.size === 0) {
      // No popup on this page: refuse rather than leave the API waiting forever.
      resolve({ event: 'disagree' });
      return;
    }
    pending.push(resolve);
    if (pending.length > 1) return;
    resolve({ event: 'exposureAuthorization' });
    update({ visible: true });
    readContractName();
  });
}

/** The popup's state now and on every change; returns the unsubscribe function. */
export function subscribePrivacy(listener: Listener): () => void {
  listeners.add(listener);
  listener(request);
  return () => {
    listeners.delete(listener);
  };
}

/** After the `agreePrivacyAuthorization` button with this id was tapped (the platform checks). */
export function agreePrivacy(buttonId: string): void {
  settle({ event: 'agree', buttonId });
}

/** The waiting API then fails with `...:fail privacy permission is not authorized`. */
export function disagreePrivacy(): void {
  settle({ event: 'disagree' });
}

export function openPrivacyContract(): void {
  const unavailable = () => wx.showToast({ title: '暂时无法打开隐私保护指引', icon: 'none' });
  if (!hasPrivacyContract()) {
    unavailable();
    return;
  }
  wx.openPrivacyContract({ fail: unavailable });
}

function settle(option: WechatMiniprogram.PrivacyResolveOption): void {
  const waiting = pending;
  pending = [];
  update({ visible: false });
  waiting.forEach((resolve) => resolve(option));
}

function readContractName(): void {
  wx.getPrivacySetting({
    success: (res) => {
      if (res.privacyContractName) update({ contractName: res.privacyContractName });
    },
  });
}

function update(change: Partial<PrivacyRequest>): void {
  request = { ...request, ...change };
  listeners.forEach((listener) => listener(request));
}

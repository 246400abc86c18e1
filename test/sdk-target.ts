import type { WxServerSdkModule } from '../cloud/platform/sdk-surface';
import { FakeWxServerSdk } from '../emulation/fake-wx-server-sdk';

/** The module `wx-server-sdk` resolves to in tests (see jest.config.js moduleNameMapper). */
let target: WxServerSdkModule = new FakeWxServerSdk();

export function setSdkTarget(sdk: WxServerSdkModule): void {
  target = sdk;
}

export const sdkProxy = new Proxy(
  {},
  {
    get(_, key) {
      if (key === '__esModule') return true;
      const value = (target as unknown as Record<string | symbol, unknown>)[key];
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  },
);

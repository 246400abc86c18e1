import type { WxServerSdkModule } from '../cloud/platform/sdk-surface';
import { FakeWxServerSdk } from './fake-wx-server-sdk';

/** The module `wx-server-sdk` resolves to in tests (see jest.config.js moduleNameMapper). */
let target: WxServerSdkModule = new FakeWxServerSdk();

export function setSdkTarget(sdk: WxServerSdkModule): void {
  target = sdk;
}

/**
 * A stand-in for the module that forwards every call to the current target. Its members are
 * its own properties, so a bundler's copy of the module (esbuild's `import * as`) keeps working.
 */
export const sdkProxy: WxServerSdkModule = {
  get DYNAMIC_CURRENT_ENV() {
    return target.DYNAMIC_CURRENT_ENV;
  },
  init: (config) => target.init(config),
  getWXContext: () => target.getWXContext(),
  database: (config) => target.database(config),
  deleteFile: (param) => target.deleteFile(param),
  getTempFileURL: (param) => target.getTempFileURL(param),
  getOpenData: (param) => target.getOpenData(param),
  openapi: {
    phonenumber: { getPhoneNumber: (param) => target.openapi.phonenumber.getPhoneNumber(param) },
    security: {
      msgSecCheck: (param) => target.openapi.security.msgSecCheck(param),
      mediaCheckAsync: (param) => target.openapi.security.mediaCheckAsync(param),
    },
  },
  logger: () => target.logger(),
};

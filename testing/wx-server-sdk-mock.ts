// jest maps `wx-server-sdk` here: every test talks to the double (or, in the real-SDK test,
// to the real module with only its database replaced) through this proxy.
import { sdkProxy } from './sdk-target';

module.exports = sdkProxy;

import type { Result } from '../miniprogram/shared/errors';
import { FakeWxServerSdk, type FakeCaller } from '../emulation/fake-wx-server-sdk';
import { setSdkTarget } from './sdk-target';

export const APPID = 'wx0123456789abcdef';
export const ALICE: FakeCaller = { OPENID: 'oAlice0000000000000000000001', APPID };
export const BOB: FakeCaller = { OPENID: 'oBob00000000000000000000000002', APPID };

/** A fresh double per test, installed as `wx-server-sdk`. */
export function useFakeCloud(): () => FakeWxServerSdk {
  let sdk = new FakeWxServerSdk();
  beforeEach(() => {
    sdk = new FakeWxServerSdk();
    setSdkTarget(sdk);
  });
  return () => sdk;
}

/** Unwraps a success, failing the test with the error otherwise. */
export function expectOk<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.data;
}

export function expectError<T>(result: Result<T>, code: string): void {
  expect(result).toEqual({ ok: false, error: { code, message: expect.any(String) } });
}

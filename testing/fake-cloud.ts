import type { Result } from '@shared/errors';
import { FakeWxServerSdk } from './fake-wx-server-sdk';
import { setSdkTarget } from './sdk-target';

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

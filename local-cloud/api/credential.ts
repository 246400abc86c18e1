/**
 * Only the emulator's own function instances may call its platform API. The emulator puts a
 * random TENCENTCLOUD_SECRETID into their environment; the SDK names it in every request's
 * TC3 Authorization header (`TC3-HMAC-SHA256 Credential=<secretId>/<date>/tcb/tc3_request, …`).
 * The signature itself is not checked: knowing the id is the proof, as it never leaves the
 * emulator and its instances.
 */
import { randomBytes, timingSafeEqual } from 'crypto';

const CREDENTIAL = /^TC3-HMAC-SHA256 Credential=([^/,\s]{1,256})\//;

/** A fresh id for one run of the emulator, shaped like a Tencent Cloud SecretId. */
export function newSecretId(): string {
  return `AKIDemu${randomBytes(18).toString('base64url')}`;
}

/** The SecretId an Authorization header names, or null. */
export function credentialIdOf(authorization: string | undefined): string | null {
  return CREDENTIAL.exec(authorization ?? '')?.[1] ?? null;
}

/** Whether the header names exactly `secretId` (compared in constant time). */
export function hasCredential(authorization: string | undefined, secretId: string): boolean {
  const id = credentialIdOf(authorization);
  if (id === null) return false;
  const given = Buffer.from(id);
  const expected = Buffer.from(secretId);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

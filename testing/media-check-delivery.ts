/**
 * Plays WeChat's side of security.mediaCheckAsync for the tests: the verdict of a submitted
 * check delivered as the `wxa_media_check` event, pushed to onMediaCheck as the platform's
 * message push does (a call context without any user).
 */
import type { Result } from '@shared/errors';
import type { OnMediaCheckData } from '@shared/api';
import { main as onMediaCheck } from '../cloud/functions/onMediaCheck';
import type { FakeWxServerSdk } from './fake-wx-server-sdk';

export function deliverMediaVerdict(
  sdk: FakeWxServerSdk,
  traceId: string,
  suggest: 'pass' | 'review' | 'risky',
  label?: number,
): Promise<Result<OnMediaCheckData>> {
  const event = sdk.mediaCheckEvent(traceId, suggest, label);
  const caller = sdk.context;
  // The function reads its context when called; the caller's is back before anything else runs.
  sdk.context = { ENV: sdk.env };
  try {
    return onMediaCheck(event);
  } finally {
    sdk.context = caller;
  }
}

/** The trace id of the media check submitted for `fileID` (the last one, if several). */
export function traceIdOf(sdk: FakeWxServerSdk, fileID: string): string {
  const checks = [...sdk.mediaChecks.values()].filter((c) => c.fileID === fileID);
  if (checks.length === 0) throw new Error('no media check was submitted for the file');
  return checks[checks.length - 1].traceId;
}

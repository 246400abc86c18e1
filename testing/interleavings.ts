/**
 * Runs concurrent calls against the double in an order fast-check's scheduler picks: every
 * operation of the double waits for the scheduler, and after the calls every operation waits
 * one setImmediate again (the double's default).
 */
import type fc from 'fast-check';
import type { FakeWxServerSdk } from './fake-wx-server-sdk';

export async function interleaved<T>(
  sdk: FakeWxServerSdk,
  s: fc.Scheduler,
  start: () => Array<Promise<T>>,
): Promise<T[]> {
  sdk.scheduleWith((op) => s.schedule(Promise.resolve(), op));
  try {
    return await s.waitFor(Promise.all(start()));
  } finally {
    sdk.scheduleWith(() => new Promise((resolve) => setImmediate(resolve)));
  }
}

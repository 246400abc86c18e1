/**
 * Delivers the verdict of a pending media check as the platform does: the `wxa_media_check`
 * event pushed to the function configured for message push (`--message-push`), run like a push,
 * with the AppID and no OPENID in its WX context (nobody called it). The check stays pending
 * when the function is missing or fails, so it can be delivered again.
 */
import { mediaCheckEvent, type MediaVerdict } from '../emulation/media-checks';
import type { ContentSecurity } from './api/openapi/content-security-apis';
import type { ContentSafetySettings } from './content-safety-flags';
import type { FunctionHost } from './function-host';
import { HttpError } from './http-io';
import { UnknownFunctionError } from './instances/function-instances';
import type { LogSink } from './log';

export interface MediaCheckDelivery {
  /** The receiving function's answer; an HttpError (404, 409, 502) when it cannot be delivered. */
  deliver(traceId: string, verdict: MediaVerdict): Promise<{ function: string; result: unknown }>;
  /** Cancels the automatic deliveries still waiting. */
  stop(): void;
}

export function createMediaCheckDelivery(deps: {
  security: ContentSecurity;
  functions: Pick<FunctionHost, 'has' | 'invoke'>;
  settings: ContentSafetySettings;
  appid: string;
  now: () => number;
  log: LogSink;
}): MediaCheckDelivery {
  const { security, functions, settings, appid, now, log } = deps;
  const timers = new Set<NodeJS.Timeout>();

  async function deliver(traceId: string, verdict: MediaVerdict) {
    const check = security.pending.get(traceId);
    if (!check) throw new HttpError(404, 'no pending media check has this traceId');
    const name = settings.messagePush.wxa_media_check;
    const missing = () =>
      new HttpError(
        409,
        `wxa_media_check is pushed to the function ${name}, which cloudbaserc.json does not list: ` +
          'add it, or start the emulator with --message-push wxa_media_check=<function>',
      );
    if (!functions.has(name)) throw missing();
    let outcome;
    try {
      outcome = await functions.invoke(name, mediaCheckEvent(check, verdict, { appid, now: now() }), { appid });
    } catch (error) {
      if (error instanceof UnknownFunctionError) throw missing();
      throw error;
    }
    if (!outcome.ok) {
      log('warn', { event: 'media-check-push-failed', fn: name, kind: outcome.error.kind });
      throw new HttpError(502, `${name} failed on the pushed event: ${outcome.error.message}`);
    }
    security.pending.remove(traceId);
    log('info', { event: 'media-check-delivered', fn: name, suggest: verdict.suggest });
    return { function: name, result: outcome.result };
  }

  const mode = settings.mediaVerdict;
  if (mode !== 'manual') {
    security.onSubmitted = (check) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        deliver(check.traceId, { suggest: mode }).catch((error: unknown) => {
          log('warn', {
            event: 'media-check-auto-delivery-failed',
            status: error instanceof HttpError ? error.status : 500,
          });
        });
      }, settings.mediaVerdictDelayMs);
      timers.add(timer);
    };
  }
  return {
    deliver,
    stop: () => {
      security.onSubmitted = null;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}

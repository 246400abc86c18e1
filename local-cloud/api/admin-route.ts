/**
 * What every `/emulator/*` admin route shares: only programs and the emulator's own pages may
 * call it (another web Origin or a foreign Host answers 403, logged as `<name>-refused`), and an
 * HttpError the route throws answers its status with `{ error }`.
 */
import type { IncomingMessage, ServerResponse } from 'http';
import { HttpError, sendJson } from '../http-io';
import type { LogSink } from '../log';
import { refuseOtherOrigin } from './browser-guard';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Answers `{ error }` (and `code` when given) with `status`, dropping any body still unread. */
export function answerError(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  message: string,
  code?: string,
): void {
  req.resume();
  sendJson(res, status, code === undefined ? { error: message } : { error: message, code });
}

export function guardedAdminRoute(
  name: string,
  settings: { host: string; log: LogSink },
  serve: RouteHandler,
): RouteHandler {
  return async (req, res) => {
    const refusal = refuseOtherOrigin(req, settings.host);
    if (refusal) {
      settings.log('warn', { event: `${name}-refused`, reason: refusal.reason });
      return answerError(req, res, 403, refusal.message);
    }
    try {
      await serve(req, res);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      answerError(req, res, error.status, error.message);
    }
  };
}

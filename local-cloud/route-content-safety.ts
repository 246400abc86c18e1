/**
 * The emulated content security's admin routes, beside `/emulator/faults` and guarded as it is
 * (programs and the emulator's own pages only):
 *   GET  /emulator/content-safety          → { riskyWords, reviewWords }
 *   POST /emulator/content-safety          { riskyWords?, reviewWords? } → the lists now in force
 *   GET  /emulator/media-checks            → { checks: [{ traceId, mediaUrl, fileID, openid, at }], dropped }
 *   POST /emulator/media-checks/deliver    { traceId, suggest: 'pass'|'review'|'risky', label? }
 *        → { function, result }: the wxa_media_check event pushed to the message-push function
 */
import type { IncomingMessage, ServerResponse } from 'http';
import { parseWordLists, WordListError } from '../emulation/content-safety';
import type { MediaVerdict } from '../emulation/media-checks';
import { guardedAdminRoute } from './api/admin-route';
import type { ContentSecurity } from './api/openapi/content-security-apis';
import { HttpError, readJsonObject, sendJson } from './http-io';
import type { LogSink } from './log';
import type { MediaCheckDelivery } from './media-check-delivery';

export const CONTENT_SAFETY_ROUTE = '/emulator/content-safety';
export const MEDIA_CHECKS_ROUTE = '/emulator/media-checks';
export const DELIVER_ROUTE = '/emulator/media-checks/deliver';
const ROUTES = [CONTENT_SAFETY_ROUTE, MEDIA_CHECKS_ROUTE, DELIVER_ROUTE];
/** Room for two lists of 1,000 words of 100 characters. */
const MAX_BODY_BYTES = 1024 * 1024;

/** Answers a request on one of the routes above (true), or leaves it alone (false). */
export type ContentSafetyAdmin = (pathname: string, req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export function createContentSafetyAdmin(deps: {
  security: ContentSecurity;
  delivery: MediaCheckDelivery;
  host: string;
  log: LogSink;
}): ContentSafetyAdmin {
  const { security, delivery, host, log } = deps;

  async function serve(pathname: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    if (pathname === CONTENT_SAFETY_ROUTE && method === 'GET') return sendJson(res, 200, security.rules.lists());
    if (pathname === CONTENT_SAFETY_ROUTE && method === 'POST') {
      const body = await readJsonObject(req, MAX_BODY_BYTES);
      try {
        security.rules.set(parseWordLists(body));
      } catch (error) {
        if (error instanceof WordListError) throw new HttpError(400, error.message);
        throw error;
      }
      const lists = security.rules.lists();
      log('info', {
        event: 'content-safety-lists-set',
        riskyWords: lists.riskyWords.length,
        reviewWords: lists.reviewWords.length,
      });
      return sendJson(res, 200, lists);
    }
    if (pathname === MEDIA_CHECKS_ROUTE && method === 'GET') {
      return sendJson(res, 200, { checks: security.pending.list(), dropped: security.pending.dropped });
    }
    if (pathname === DELIVER_ROUTE && method === 'POST') {
      const body = await readJsonObject(req, MAX_BODY_BYTES);
      const { traceId } = body;
      if (typeof traceId !== 'string' || traceId === '') throw new HttpError(400, 'traceId must be a trace id');
      return sendJson(res, 200, await delivery.deliver(traceId, parseVerdict(body)));
    }
    req.resume();
    throw new HttpError(405, pathname === CONTENT_SAFETY_ROUTE ? 'use GET or POST' : `use ${routeMethod(pathname)}`);
  }

  return async (pathname, req, res) => {
    if (!ROUTES.includes(pathname)) return false;
    await guardedAdminRoute('content-safety-admin', { host, log }, (request, response) =>
      serve(pathname, request, response),
    )(req, res);
    return true;
  };
}

const routeMethod = (pathname: string): string => (pathname === DELIVER_ROUTE ? 'POST' : 'GET');

function parseVerdict(body: Record<string, unknown>): MediaVerdict {
  const { suggest, label } = body;
  if (suggest !== 'pass' && suggest !== 'review' && suggest !== 'risky') {
    throw new HttpError(400, 'suggest must be "pass", "review" or "risky"');
  }
  if (label !== undefined && !(Number.isInteger(label) && (label as number) >= 0 && (label as number) < 1e6)) {
    throw new HttpError(400, 'label must be a WeChat label number, e.g. 20002');
  }
  return label === undefined ? { suggest } : { suggest, label: label as number };
}

/**
 * Web pages in the developer's browser can send requests to 127.0.0.1. The platform API and
 * the emulator's admin routes are for programs (the SDK, tests, scripts), never for pages:
 * - Host must name this server (a DNS-rebinding page sends its own domain name);
 * - the platform API refuses any request with an Origin (the SDK sends none; browsers add one
 *   to every cross-origin and every non-GET request);
 * - admin routes accept no Origin or this server's own.
 */
import type { IncomingMessage } from 'http';
import { isOwnHost, ownHosts } from '../request-guard';

export type BrowserRefusal = { reason: 'host' | 'origin'; message: string };

/** Why a request to the platform API looks like a web page's, or null. */
export function refuseBrowser(req: IncomingMessage, boundHost: string): BrowserRefusal | null {
  const wrongHost = refuseForeignHost(req, boundHost);
  if (wrongHost) return wrongHost;
  if (req.headers.origin !== undefined) {
    return { reason: 'origin', message: 'the platform API serves cloud functions, not web pages' };
  }
  return null;
}

/** As refuseBrowser, except that a page of this very server (same origin) is let through. */
export function refuseOtherOrigin(req: IncomingMessage, boundHost: string): BrowserRefusal | null {
  const wrongHost = refuseForeignHost(req, boundHost);
  if (wrongHost) return wrongHost;
  const origin = req.headers.origin;
  if (origin === undefined) return null;
  const own = ownHosts(boundHost, req.socket.localAddress);
  let url: URL | null;
  try {
    url = new URL(origin);
  } catch {
    url = null;
  }
  const sameOrigin =
    url !== null &&
    url.protocol === 'http:' &&
    url.origin === origin &&
    isOwnHost(url.host, own, req.socket.localPort ?? 0);
  return sameOrigin ? null : { reason: 'origin', message: 'only pages of the emulator itself may use this route' };
}

function refuseForeignHost(req: IncomingMessage, boundHost: string): BrowserRefusal | null {
  const own = ownHosts(boundHost, req.socket.localAddress);
  const host = req.headers.host ?? '';
  if (isOwnHost(host, own, req.socket.localPort ?? 0)) return null;
  return { reason: 'host', message: `Host "${host.slice(0, 100)}" is not this emulator (DNS rebinding?)` };
}

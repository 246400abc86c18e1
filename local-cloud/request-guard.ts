/**
 * Keeps web pages out of the local cloud. Any page open in the developer's browser can send
 * requests to 127.0.0.1; three checks stop it from driving the local cloud:
 * - Host must name this server (127.0.0.1, localhost, [::1], the bound host or the address the
 *   connection arrived on, with this port): a DNS-rebinding page sends its own domain name.
 * - Origin, when present, must be this server's, the DevTools simulator's page frame, or one the
 *   developer allowed (`--allow-origin`); CORS preflights of other origins are refused.
 * - A multipart POST (the only "simple" body a route accepts, which a form can send cross-site
 *   without a preflight) must carry `X-Local-Cloud` or WeChat's own Referer. JSON routes refuse
 *   anything but application/json themselves (see http-io.ts), which a page cannot send
 *   cross-site without a preflight either.
 * The simulator's wx.request was observed sending no Origin, a Referer
 * `https://servicewechat.com/<appid>/devtools/page-frame.html` and Host as in the URL.
 */
import type { IncomingMessage, ServerResponse } from 'http';
import type { LocalCloudConfig } from './config';
import { HttpError } from './http-io';
import type { LogSink } from './log';

/** The header the mini program's local-mode uploads send; a page cannot add it unasked. */
export const LOCAL_CLOUD_HEADER = 'x-local-cloud';
/** The origin of the simulator's page frame, should it ever send one; no web page has it. */
export const SIMULATOR_ORIGIN = 'https://servicewechat.com';
/** The Referer WeChat sets on mini program requests (pages cannot forge a Referer). */
const WECHAT_REFERER = /^https:\/\/servicewechat\.com\//;
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

export type GuardSettings = Pick<LocalCloudConfig, 'host' | 'allowedOrigins'>;

/**
 * Throws an HttpError 403 for a request a web page could have sent (and logs why, so a refused
 * simulator request is easy to diagnose); answers CORS preflights itself ('answered'); otherwise
 * adds CORS headers for an allowed origin and lets the request through ('continue').
 */
export function guardRequest(
  settings: GuardSettings,
  log: LogSink,
  req: IncomingMessage,
  res: ServerResponse,
): 'continue' | 'answered' {
  // Host and Origin name pages, never a user: they may be logged.
  const refuse = (reason: 'host' | 'origin' | 'upload-header', message: string, seen: Record<string, string> = {}) => {
    log('warn', { event: 'request-refused', reason, ...seen });
    return new HttpError(403, message);
  };
  const own = ownHosts(settings.host, req.socket.localAddress);
  const port = req.socket.localPort ?? 0;
  const host = req.headers.host ?? '';
  if (!isOwnHost(host, own, port)) {
    throw refuse(
      'host',
      `Host "${host.slice(0, 100)}" is not this local cloud (DNS rebinding?): use http://127.0.0.1:${port} or http://localhost:${port}`,
      { host: host.slice(0, 100) },
    );
  }
  const origin = req.headers.origin;
  if (origin !== undefined) {
    if (!isAllowedOrigin(origin, settings.allowedOrigins, own, port)) {
      throw refuse(
        'origin',
        `origin "${origin.slice(0, 100)}" may not call the local cloud; if that page is yours, start it with --allow-origin ${origin.slice(0, 100)}`,
        { origin: origin.slice(0, 100) },
      );
    }
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
  }
  if (req.method === 'OPTIONS') {
    res.writeHead(204, {
      'Access-Control-Allow-Methods': 'GET, POST',
      'Access-Control-Allow-Headers': `content-type, ${LOCAL_CLOUD_HEADER}`,
      'Access-Control-Max-Age': '600',
      Allow: 'GET, POST, OPTIONS',
    });
    res.end();
    return 'answered';
  }
  if (req.method === 'POST' && isMultipart(req.headers['content-type']) && !provesNotAPage(req)) {
    throw refuse(
      'upload-header',
      'uploads need the header "X-Local-Cloud: 1" (a web page cannot send it without a CORS preflight)',
    );
  }
  return 'continue';
}

/** The names this server answers to, lower case, IPv6 in brackets, as they appear in a Host header. */
export function ownHosts(boundHost: string, localAddress: string | undefined): Set<string> {
  const names = new Set(LOOPBACK_NAMES);
  for (const address of [boundHost, localAddress?.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '')]) {
    // A wildcard bind is no name a client uses; the address it connected to is.
    if (!address || address === '0.0.0.0' || address === '::') continue;
    names.add(address.includes(':') ? `[${address.toLowerCase()}]` : address.toLowerCase());
  }
  return names;
}

/** `name`, `name:port`, `[v6]`, `[v6]:port`: one of `own` with this port (80 when absent). */
export function isOwnHost(host: string, own: ReadonlySet<string>, port: number): boolean {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(host);
  if (!match) return false;
  const [, name, portText] = match;
  return own.has(name.toLowerCase()) && Number(portText ?? 80) === port;
}

/** This server's own http origin, the simulator's, or one configured, exactly. */
export function isAllowedOrigin(
  origin: string,
  allowed: readonly string[],
  own: ReadonlySet<string>,
  port: number,
): boolean {
  if (origin === SIMULATOR_ORIGIN || allowed.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return url.protocol === 'http:' && url.origin === origin && isOwnHost(url.host, own, port);
}

function isMultipart(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0].trim().toLowerCase() === 'multipart/form-data';
}

function provesNotAPage(req: IncomingMessage): boolean {
  return req.headers[LOCAL_CLOUD_HEADER] !== undefined || WECHAT_REFERER.test(req.headers.referer ?? '');
}

/**
 * `GET /console/…`: the console's built files (`npm run build` writes them into CONSOLE_DIST).
 * Only files inside that folder are served (no dot segment, no backslash, no NUL); the hashed
 * files of assets/ are cached for good, index.html is revalidated on every load.
 */
import { createReadStream, promises as fsp } from 'fs';
import type { IncomingMessage, ServerResponse } from 'http';
import * as path from 'path';
import { ROOT } from '../config';
import { HttpError } from '../http-io';

export const CONSOLE_PATH = '/console';
export const CONSOLE_DIST = path.join(ROOT, '.local-cloud', 'console');

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
};

/** The page may load only what the emulator serves (no CDN is used, none may be). */
const PAGE_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

/** The file of `pathname` (which starts with CONSOLE_PATH), or an HttpError. */
export function consoleFile(pathname: string, dist: string = CONSOLE_DIST): string {
  const rest = pathname.slice(CONSOLE_PATH.length).replace(/^\//, '');
  let relative: string;
  try {
    relative = decodeURIComponent(rest);
  } catch {
    throw new HttpError(400, 'malformed path');
  }
  const parts = relative.split('/');
  if (parts.some((part) => part === '.' || part === '..' || part.includes('\\') || part.includes('\0'))) {
    throw new HttpError(403, 'no such file');
  }
  if (relative === '' || relative.endsWith('/')) parts.push('index.html');
  const file = path.resolve(dist, ...parts.filter((part) => part !== ''));
  if (!file.startsWith(path.resolve(dist) + path.sep)) throw new HttpError(403, 'no such file');
  return file;
}

export async function serveConsole(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  dist: string = CONSOLE_DIST,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'use GET');
  if (pathname === CONSOLE_PATH) {
    res.writeHead(308, { Location: `${CONSOLE_PATH}/` });
    res.end();
    return;
  }
  const file = consoleFile(pathname, dist);
  const stat = await fsp.stat(file).catch(() => null);
  if (!stat?.isFile()) {
    if (file === path.join(dist, 'index.html')) {
      throw new HttpError(404, 'the console is not built: run npm run build (npm start builds it too)');
    }
    throw new HttpError(404, 'no such file');
  }
  const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  const hashed = path.relative(dist, file).startsWith(`assets${path.sep}`);
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': stat.size,
    'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    'Last-Modified': stat.mtime.toUTCString(),
    ...PAGE_HEADERS,
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}

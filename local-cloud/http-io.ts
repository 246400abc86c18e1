/** Reading bounded request bodies and writing JSON answers. */
import type { IncomingMessage, ServerResponse } from 'http';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The whole body, or an HttpError 413 once it passes `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => new HttpError(413, `request body larger than ${limit} bytes`);
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      req.resume();
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks, size));
    });
    req.on('error', (error) => {
      if (!failed) reject(error);
      failed = true;
    });
  });
}

/**
 * The body of a JSON route: an HttpError 415 unless it is declared application/json (a web page
 * can post text/plain, form or multipart bodies cross-site without a CORS preflight, never
 * JSON), then as `readBody` and `parseJsonObject`.
 */
export async function readJsonObject(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  if (!isJsonContentType(req.headers['content-type'])) {
    throw new HttpError(415, 'send the body as JSON with the header content-type: application/json');
  }
  return parseJsonObject(await readBody(req, limit));
}

/** `application/json`, optionally `; charset=utf-8` (any case); no other parameter. */
export function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const [type, ...parameters] = value.split(';').map((part) => part.trim().toLowerCase());
  return (
    type === 'application/json' &&
    parameters.every((parameter) =>
      ['', 'charset=utf-8', 'charset="utf-8"'].includes(parameter.replace(/\s*=\s*/, '=')),
    )
  );
}

/** The body parsed as a JSON object, or an HttpError 400. */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'malformed JSON body');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new HttpError(400, 'body must be a JSON object');
  return value as Record<string, unknown>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, message: string): void {
  // A body left unread (413, early 4xx) is not worth keeping the connection for.
  if (status === 413) res.setHeader('Connection', 'close');
  sendJson(res, status, { error: message });
}

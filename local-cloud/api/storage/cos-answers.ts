/**
 * Answers in the shape of COS (the object storage behind CloudBase storage). The SDK parses an
 * upload's answer as XML: empty is success; an `<Error>` needs all four of Code, Message,
 * RequestId and TraceId (it destructures them) and becomes `uploadFile:fail [<Code>]: <Message>`.
 */
import { randomBytes } from 'crypto';
import type { ServerResponse } from 'http';
import * as path from 'path';

export function sendCosError(res: ServerResponse, status: number, code: string, message: string): void {
  const requestId = randomBytes(12).toString('hex');
  const body =
    `<?xml version='1.0' encoding='utf-8' ?>\n<Error>\n<Code>${escapeXml(code)}</Code>\n` +
    `<Message>${escapeXml(message)}</Message>\n<RequestId>${requestId}</RequestId>\n` +
    `<TraceId>${requestId}</TraceId>\n</Error>\n`;
  res.writeHead(status, {
    'Content-Type': 'application/xml',
    'Content-Length': Buffer.byteLength(body),
    'x-cos-request-id': requestId,
  });
  res.end(body);
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json',
};

export const contentTypeOf = (cloudPath: string): string =>
  CONTENT_TYPES[path.extname(cloudPath).toLowerCase()] ?? 'application/octet-stream';

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

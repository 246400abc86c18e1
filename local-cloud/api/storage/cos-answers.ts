/**
 * Answers in the shape of COS (the object storage behind CloudBase storage). The SDK parses an
 * upload's answer as XML: empty is success; an `<Error>` needs all four of Code, Message,
 * RequestId and TraceId (it destructures them) and becomes `uploadFile:fail [<Code>]: <Message>`.
 */
import { randomBytes } from 'crypto';
import type { ServerResponse } from 'http';

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

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

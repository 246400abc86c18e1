/**
 * The body of one SDK request as an ActionRequest: JSON for every action, multipart/form-data
 * for `wx.openApi` (form fields as strings, binary parts such as `requestData` as Buffers).
 * Both are read whole, up to a limit: actions are small, uploads go to their own route.
 */
import busboy from 'busboy';
import type { IncomingMessage } from 'http';
import { HttpError, isJsonContentType, parseJsonObject, readBody } from '../http-io';
import type { ActionRequest } from './action';

const FORM_LIMITS = { fields: 32, fieldSize: 64 * 1024, fieldNameSize: 100, files: 8, parts: 40, headerPairs: 16 };

export async function readActionRequest(req: IncomingMessage, maxBytes: number): Promise<ActionRequest> {
  const contentType = req.headers['content-type'];
  if (isJsonContentType(contentType)) return parseJsonObject(await readBody(req, maxBytes));
  if (/^multipart\/form-data\s*;/i.test(contentType ?? '')) return parseForm(req, await readBody(req, maxBytes));
  throw new HttpError(415, 'the platform API takes application/json (multipart/form-data for wx.openApi)');
}

function parseForm(req: IncomingMessage, body: Buffer): Promise<ActionRequest> {
  return new Promise((resolve, reject) => {
    const malformed = (message: string) => reject(new HttpError(400, message));
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: FORM_LIMITS, defParamCharset: 'utf8' });
    } catch {
      malformed('multipart/form-data without a boundary');
      return;
    }
    // No prototype: a part named "__proto__" is just a field.
    const form = Object.create(null) as Record<string, unknown>;
    parser.on('field', (name, value, info) => {
      if (info.nameTruncated || info.valueTruncated) malformed(`form field ${name.slice(0, 100)} is too long`);
      else form[name] = value;
    });
    parser.on('file', (name, stream) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => (form[name] = Buffer.concat(chunks)));
    });
    for (const limit of ['partsLimit', 'filesLimit', 'fieldsLimit'] as const) {
      parser.on(limit, () => malformed('too many form parts'));
    }
    parser.on('error', (error: Error) => malformed(`malformed multipart body: ${error.message}`));
    parser.on('close', () => resolve(form));
    parser.end(body);
  });
}

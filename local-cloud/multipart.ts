/**
 * A small multipart/form-data parser for what wx.uploadFile sends: form fields and one or more
 * files, in a body already read into memory (and bounded by the caller).
 */
export interface FormFile {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface FormData {
  fields: Record<string, string>;
  files: Record<string, FormFile>;
}

const MAX_PARTS = 32;
const MAX_HEADER_BYTES = 8 * 1024;
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/** The boundary of a multipart/form-data content type, or null. */
export function multipartBoundary(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return null;
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : null;
}

/** The parts of `body`, or a message saying why it is not valid multipart. */
export function parseMultipart(body: Buffer, boundary: string): FormData | string {
  const delimiter = Buffer.from(`--${boundary}`);
  const form: FormData = { fields: {}, files: {} };
  let position = body.indexOf(delimiter);
  if (position < 0) return 'no multipart boundary in body';
  for (let parts = 0; ; parts += 1) {
    position += delimiter.length;
    if (body.subarray(position, position + 2).toString() === '--') return form;
    if (parts >= MAX_PARTS) return 'too many parts';
    if (!body.subarray(position, position + 2).equals(CRLF)) return 'malformed part delimiter';
    const headerEnd = body.indexOf(HEADER_END, position + 2);
    if (headerEnd < 0 || headerEnd - position > MAX_HEADER_BYTES) return 'malformed part headers';
    const headers = parseHeaders(body.subarray(position + 2, headerEnd).toString('utf8'));
    const contentStart = headerEnd + HEADER_END.length;
    const next = body.indexOf(Buffer.concat([CRLF, delimiter]), contentStart);
    if (next < 0) return 'unterminated part';
    const added = addPart(form, headers, body.subarray(contentStart, next));
    if (added) return added;
    position = next + CRLF.length;
  }
}

function parseHeaders(text: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function addPart(form: FormData, headers: Map<string, string>, content: Buffer): string | undefined {
  const disposition = headers.get('content-disposition') ?? '';
  if (!/^form-data\s*;/i.test(disposition)) return 'part without form-data disposition';
  const name = param(disposition, 'name');
  if (!name) return 'part without a name';
  const filename = param(disposition, 'filename');
  if (filename === null) {
    form.fields[name] = content.toString('utf8');
  } else {
    const contentType = headers.get('content-type') ?? 'application/octet-stream';
    form.files[name] = { filename, contentType, content: Buffer.from(content) };
  }
  return undefined;
}

function param(disposition: string, key: string): string | null {
  const match =
    new RegExp(`;\\s*${key}="([^"]*)"`, 'i').exec(disposition) ??
    new RegExp(`;\\s*${key}=([^;\\s]+)`, 'i').exec(disposition);
  return match ? match[1] : null;
}

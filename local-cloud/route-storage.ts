/**
 * `POST /storage/upload` (what wx.uploadFile sends: file field `file`, form fields `cloudPath`
 * and `openid`) and `GET /storage/files/<cloudPath>`.
 */
import type { IncomingMessage, ServerResponse } from 'http';
import * as path from 'path';
import { isOpenid } from './caller';
import { HttpError, readBody, sendJson } from './http-io';
import { multipartBoundary, parseMultipart } from './multipart';
import type { LocalCloudRuntime } from './runtime';
import { checkCloudPath } from './storage';

export async function uploadRoute(
  runtime: LocalCloudRuntime,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const boundary = multipartBoundary(req.headers['content-type']);
  if (!boundary) throw new HttpError(400, 'expected multipart/form-data with a boundary');
  const form = parseMultipart(await readBody(req, runtime.config.maxUploadBytes), boundary);
  if (typeof form === 'string') throw new HttpError(400, `malformed multipart body: ${form}`);
  if (!isOpenid(form.fields.openid)) throw new HttpError(400, 'form field openid is missing or invalid');
  const cloudPath = checkCloudPath(form.fields.cloudPath);
  if (!cloudPath)
    throw new HttpError(400, 'form field cloudPath is missing or invalid (a/b/c.ext, no "." or ".." parts)');
  const file = form.files.file;
  if (!file) throw new HttpError(400, 'file field "file" is missing');
  const { fileID } = await runtime.storage.upload(cloudPath, file.content);
  sendJson(res, 200, { fileID });
}

const CONTENT_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json',
};

export async function serveFileRoute(
  runtime: LocalCloudRuntime,
  encodedPath: string,
  res: ServerResponse,
): Promise<void> {
  let decoded: string;
  try {
    decoded = encodedPath.split('/').map(decodeURIComponent).join('/');
  } catch {
    throw new HttpError(400, 'malformed file path');
  }
  const cloudPath = checkCloudPath(decoded);
  if (!cloudPath) throw new HttpError(400, 'invalid file path');
  const content = await runtime.storage.read(cloudPath);
  if (!content) throw new HttpError(404, 'no such file');
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[path.extname(cloudPath).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': content.length,
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(content);
}

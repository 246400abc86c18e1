/**
 * The two storage routes the SDK reaches outside the JSON API, as it would reach COS:
 * - `PUT <base>/upload/<token>`: the file's raw bytes (uploadFile), streamed to a temp file and
 *   moved into place once complete; answered with an empty 200 or a COS XML error;
 * - `GET|HEAD <base>/files/<cloudPath>?t=&sign=`: a temp URL (getTempFileURL, downloadFile),
 *   streamed from disk as fast as the client reads.
 */
import type { IncomingMessage, ServerResponse } from 'http';
import { Transform, type TransformCallback } from 'stream';
import { pipeline } from 'stream/promises';
import type { LogSink } from '../../log';
import { checkCloudPath, StorageConflictError, type LocalStorage } from '../../storage';
import { contentTypeOf } from '../../storage';
import { sendCosError } from './cos-answers';
import type { TempUrlSigner } from './temp-urls';
import type { UploadTokens } from './upload-tokens';

export interface StorageHttpOptions {
  storage: LocalStorage;
  uploads: UploadTokens;
  urls: TempUrlSigner;
  maxUploadBytes: number;
  log: LogSink;
}

export async function receiveUpload(
  options: StorageHttpOptions,
  token: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { storage, uploads, maxUploadBytes } = options;
  const cloudPath = uploads.take(token);
  const refuse = (status: number, code: string, message: string) => {
    res.setHeader('Connection', 'close');
    req.resume();
    sendCosError(res, status, code, message);
  };
  if (cloudPath === null) return refuse(403, 'AccessDenied', 'upload URL is invalid, already used or expired');
  if (Number(req.headers['content-length'] ?? 0) > maxUploadBytes) {
    return refuse(413, 'EntityTooLarge', `file larger than ${maxUploadBytes} bytes`);
  }
  const upload = storage.beginUpload();
  const limit = byteLimit(maxUploadBytes);
  try {
    await pipeline(req, limit, upload.open());
  } catch {
    await upload.discard();
    // The client went away (or was cut off as idle): nobody to answer.
    options.log('info', { event: 'upload-dropped', reason: 'connection closed mid-upload' });
    res.destroy();
    return;
  }
  if (limit.exceeded) {
    await upload.discard();
    return refuse(413, 'EntityTooLarge', `file larger than ${maxUploadBytes} bytes`);
  }
  try {
    await upload.commit(cloudPath);
  } catch (error) {
    if (error instanceof StorageConflictError) return refuse(409, 'KeyConflict', error.message);
    throw error;
  }
  res.writeHead(200, { 'Content-Length': 0 });
  res.end();
}

export async function serveTempUrl(
  options: StorageHttpOptions,
  rawPath: string,
  query: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const cloudPath = checkCloudPath(decodeSegments(rawPath));
  if (cloudPath === null || !options.urls.allows(cloudPath, query)) {
    return sendCosError(res, 403, 'AccessDenied', 'temp URL is invalid or expired');
  }
  const file = await options.storage.openRead(cloudPath);
  if (!file) return sendCosError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
  res.writeHead(200, {
    'Content-Type': contentTypeOf(cloudPath),
    'Content-Length': file.size,
    'X-Content-Type-Options': 'nosniff',
  });
  if (req.method === 'HEAD') {
    file.stream.destroy();
    res.end();
    return;
  }
  try {
    await pipeline(file.stream, res);
  } catch {
    // The client went away: the file is closed, nothing to answer.
    res.destroy();
  }
}

/**
 * Passes bytes through until more than `limit` have passed, then drops the rest (read to its
 * end, so that the client, which streams the whole file before it reads, gets the answer).
 */
function byteLimit(limit: number): Transform & { exceeded: boolean } {
  let seen = 0;
  const transform = Object.assign(
    new Transform({
      transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
        seen += chunk.length;
        if (seen > limit) transform.exceeded = true;
        callback(null, transform.exceeded ? undefined : chunk);
      },
    }),
    { exceeded: false },
  );
  return transform;
}

/** A path with its segments percent-decoded (temp URLs are raw; a client may encode `@`), or null. */
function decodeSegments(rawPath: string): string | null {
  try {
    return rawPath.split('/').map(decodeURIComponent).join('/');
  } catch {
    return null;
  }
}

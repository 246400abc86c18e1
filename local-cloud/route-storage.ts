/**
 * `POST /storage/upload` (what wx.uploadFile sends: file field `file`, form fields `cloudPath`
 * and `openid`) and `GET /storage/files/<cloudPath>`. Files go to and from the disk as streams:
 * memory does not grow with their size, and a client that stalls holds only its own buffers.
 */
import type { IncomingMessage, ServerResponse } from 'http';
import { pipeline } from 'stream/promises';
import { isOpenid } from './caller';
import { HttpError, sendJson } from './http-io';
import { MultipartError, receiveMultipart, type ReceivedForm } from './multipart';
import type { LocalCloudRuntime } from './runtime';
import { checkCloudPath, contentTypeOf, StorageConflictError, type PendingUpload } from './storage';

/** Room for the form fields and part headers around the file. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

/** Uploads in progress, per running local cloud. */
const activeUploads = new WeakMap<LocalCloudRuntime, number>();

export async function uploadRoute(
  runtime: LocalCloudRuntime,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const active = activeUploads.get(runtime) ?? 0;
  if (active >= runtime.config.maxConcurrentUploads) {
    res.setHeader('Connection', 'close');
    throw new HttpError(503, `${active} uploads already in progress; try again shortly`);
  }
  activeUploads.set(runtime, active + 1);
  const upload = runtime.storage.beginUpload();
  try {
    await receiveUpload(runtime, upload, req, res);
  } catch (error) {
    // Every failure, whatever its cause, leaves no temp file behind.
    await upload.discard();
    throw error;
  } finally {
    activeUploads.set(runtime, (activeUploads.get(runtime) ?? 1) - 1);
  }
}

async function receiveUpload(
  runtime: LocalCloudRuntime,
  upload: PendingUpload,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const maxFileBytes = runtime.config.maxUploadBytes;
  let form: ReceivedForm;
  try {
    form = await receiveMultipart(req, req.headers, {
      fileField: 'file',
      limits: { maxFileBytes, maxBodyBytes: maxFileBytes + FORM_OVERHEAD_BYTES },
      openFile: () => upload.open(),
    });
  } catch (error) {
    if (!(error instanceof MultipartError)) throw error;
    if (error.reason === 'aborted') {
      // Nobody to answer: the client left, or was cut off by a timeout.
      await upload.discard();
      runtime.log('info', { event: 'upload-dropped', reason: 'connection closed mid-upload' });
      return;
    }
    // The rest of the body is not worth reading.
    res.setHeader('Connection', 'close');
    throw new HttpError(error.reason === 'too-large' ? 413 : 400, error.message);
  }
  if (!isOpenid(form.fields.get('openid'))) throw new HttpError(400, 'form field openid is missing or invalid');
  const cloudPath = checkCloudPath(form.fields.get('cloudPath'));
  if (!cloudPath)
    throw new HttpError(400, 'form field cloudPath is missing or invalid (a/b/c.ext, no "." or ".." parts)');
  if (!form.file) throw new HttpError(400, 'file field "file" is missing');
  try {
    const { fileID } = await upload.commit(cloudPath);
    sendJson(res, 200, { fileID });
  } catch (error) {
    if (error instanceof StorageConflictError) {
      throw new HttpError(409, `cloudPath conflicts with what is stored: ${error.message}`);
    }
    throw error;
  }
}

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
  const file = await runtime.storage.openRead(cloudPath);
  if (!file) throw new HttpError(404, 'no such file');
  res.writeHead(200, {
    'Content-Type': contentTypeOf(cloudPath),
    'Content-Length': file.size,
    'X-Content-Type-Options': 'nosniff',
  });
  try {
    // Reads the disk only as fast as the client takes the data.
    await pipeline(file.stream, res);
  } catch {
    // The client went away (or was cut off as idle): the file is closed, nothing to answer.
    res.destroy();
  }
}

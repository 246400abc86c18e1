/**
 * Receives a multipart/form-data body (what wx.uploadFile sends: form fields and one file) as it
 * arrives: the fields are kept (small, bounded), the file is streamed into a sink with
 * backpressure, so memory use does not grow with the file. The only place busboy is used.
 */
import busboy from 'busboy';
import type { IncomingHttpHeaders } from 'http';
import type { Readable, Writable } from 'stream';
import { pipeline } from 'stream/promises';

export interface MultipartLimits {
  /** Largest file. */
  maxFileBytes: number;
  /** Largest whole body (file, fields, part headers). */
  maxBodyBytes: number;
}

export interface ReceivedForm {
  fields: ReadonlyMap<string, string>;
  /** The file received (its content is in the sink), or null if the form had none. */
  file: { filename: string; contentType: string; bytes: number } | null;
}

export type MultipartFailure = 'malformed' | 'too-large' | 'aborted';

export class MultipartError extends Error {
  override name = 'MultipartError';
  constructor(
    readonly reason: MultipartFailure,
    message: string,
  ) {
    super(message);
  }
}

const LIMITS = { fields: 8, fieldSize: 4096, fieldNameSize: 100, files: 1, parts: 16, headerPairs: 16 };

/**
 * Reads `body` to its end. Resolves once the file (if any) is wholly written to the sink that
 * `openFile` returned; rejects with a MultipartError (or the sink's error) as soon as something
 * is wrong, without reading the rest of the body: the caller answers and closes the connection.
 */
export function receiveMultipart(
  body: Readable,
  headers: IncomingHttpHeaders,
  options: { fileField: string; limits: MultipartLimits; openFile: () => Writable },
): Promise<ReceivedForm> {
  const { maxFileBytes, maxBodyBytes } = options.limits;
  return new Promise((resolve, reject) => {
    if (Number(headers['content-length'] ?? 0) > maxBodyBytes) {
      reject(new MultipartError('too-large', `request body larger than ${maxBodyBytes} bytes`));
      return;
    }
    let parser: busboy.Busboy;
    try {
      if (!/^multipart\/form-data\s*;/i.test(headers['content-type'] ?? '')) throw new Error('not multipart');
      parser = busboy({ headers, limits: { ...LIMITS, fileSize: maxFileBytes + 1 }, defParamCharset: 'utf8' });
    } catch {
      reject(new MultipartError('malformed', 'expected multipart/form-data with a boundary'));
      return;
    }
    const fields = new Map<string, string>();
    let file: ReceivedForm['file'] = null;
    let fileWritten: Promise<void> = Promise.resolve();
    let received = 0;
    let settled = false;

    const countBytes = (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBodyBytes)
        fail(new MultipartError('too-large', `request body larger than ${maxBodyBytes} bytes`));
    };
    const cutOff = () => {
      if (!body.readableEnded) fail(new MultipartError('aborted', 'the client went away mid-upload'));
    };
    const malformed = (message: string) => () => fail(new MultipartError('malformed', message));
    function fail(error: unknown): void {
      if (settled) return;
      settled = true;
      detach();
      // Not from inside one of the parser's own events: it is still working on a chunk.
      setImmediate(() => parser.destroy());
      reject(error);
    }
    function detach(): void {
      body.unpipe(parser);
      body.off('data', countBytes);
      body.off('close', cutOff);
      body.off('error', cutOff);
    }

    parser.on('field', (name, value, info) => {
      if (info.nameTruncated || info.valueTruncated)
        fail(new MultipartError('malformed', `form field ${name.slice(0, 100)} is too long`));
      else fields.set(name, value);
    });
    parser.on('file', (name, stream, info) => {
      // Destroying the parser destroys the file stream with an error: always listened to.
      stream.on('error', () => undefined);
      if (name !== options.fileField) {
        stream.resume();
        fail(
          new MultipartError(
            'malformed',
            `unexpected file field "${name.slice(0, 100)}": send the file as "${options.fileField}"`,
          ),
        );
        return;
      }
      const kept: NonNullable<ReceivedForm['file']> = { filename: info.filename, contentType: info.mimeType, bytes: 0 };
      file = kept;
      stream.on('data', (chunk: Buffer) => {
        kept.bytes += chunk.length;
      });
      stream.once('limit', () => fail(new MultipartError('too-large', `file larger than ${maxFileBytes} bytes`)));
      try {
        fileWritten = pipeline(stream, options.openFile());
        fileWritten.catch(fail);
      } catch (error) {
        stream.resume();
        fail(error);
      }
    });
    parser.on('partsLimit', malformed('too many parts'));
    parser.on('filesLimit', malformed(`more than one file: send only "${options.fileField}"`));
    parser.on('fieldsLimit', malformed('too many form fields'));
    parser.on('error', (error: Error) =>
      fail(new MultipartError('malformed', `malformed multipart body: ${error.message}`)),
    );
    parser.on('close', () => {
      fileWritten.then(() => {
        if (settled) return;
        settled = true;
        detach();
        resolve({ fields, file });
      }, fail);
    });

    body.on('data', countBytes);
    body.once('close', cutOff);
    body.once('error', cutOff);
    body.pipe(parser);
  });
}

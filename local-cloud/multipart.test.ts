import { PassThrough, Writable } from 'stream';
import { MultipartError, receiveMultipart, type ReceivedForm } from './multipart';

const BOUNDARY = 'XyZ';
const HEADERS = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` };
const LIMITS = { maxFileBytes: 1024 * 1024, maxBodyBytes: 1024 * 1024 + 64 * 1024 };

const field = (name: string, value: string) =>
  Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
const fileHead = (name = 'file', filename = 'tmp.png') =>
  Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: image/png\r\n\r\n`,
  );
const END = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);

/** A sink that keeps what it is given. */
function memorySink(): { sink: Writable; chunks: Buffer[] } {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return { sink, chunks };
}

function receive(
  body: PassThrough,
  options: { headers?: Record<string, string>; limits?: typeof LIMITS } = {},
): { result: Promise<ReceivedForm>; chunks: Buffer[] } {
  const { sink, chunks } = memorySink();
  const result = receiveMultipart(body, options.headers ?? HEADERS, {
    fileField: 'file',
    limits: options.limits ?? LIMITS,
    openFile: () => sink,
  });
  return { result, chunks };
}

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof MultipartError) return error.reason;
    throw error;
  }
  throw new Error('expected a MultipartError');
}

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('receiveMultipart', () => {
  it('keeps the fields and streams the file into the sink while the body is still arriving', async () => {
    const png = Buffer.alloc(300 * 1024);
    for (let i = 0; i < png.length; i += 1) png[i] = (i * 31) & 0xff;
    const body = new PassThrough();
    const { result, chunks } = receive(body);
    body.write(Buffer.concat([field('cloudPath', 'avatars/o/1.png'), field('openid', 'oAlice'), fileHead()]));
    body.write(png.subarray(0, 200 * 1024));
    await waitFor(() => chunks.length > 0);
    body.end(Buffer.concat([png.subarray(200 * 1024), END]));
    const form = await result;
    expect(Object.fromEntries(form.fields)).toEqual({ cloudPath: 'avatars/o/1.png', openid: 'oAlice' });
    expect(form.file).toEqual({ filename: 'tmp.png', contentType: 'image/png', bytes: png.length });
    expect(Buffer.concat(chunks).equals(png)).toBe(true);
  });

  it('keeps a field named __proto__ as a plain field', async () => {
    const body = new PassThrough();
    const { result } = receive(body);
    body.end(Buffer.concat([field('__proto__', 'x'), Buffer.from(`--${BOUNDARY}--\r\n`)]));
    const form = await result;
    expect(form.fields.get('__proto__')).toBe('x');
    expect(form.file).toBeNull();
  });

  it('refuses what is not multipart/form-data with a boundary', async () => {
    for (const type of ['application/json', 'multipart/form-data', 'text/plain; boundary=x']) {
      const body = new PassThrough();
      expect(await reason(receive(body, { headers: { 'content-type': type } }).result)).toBe('malformed');
    }
    expect(await reason(receive(new PassThrough(), { headers: {} }).result)).toBe('malformed');
  });

  it.each([
    ['a body that ends before its last boundary', Buffer.concat([field('a', 'b'), fileHead(), Buffer.from('xx')])],
    [
      'a second file',
      Buffer.concat([
        fileHead(),
        Buffer.from('a'),
        END.subarray(0, -4),
        Buffer.from('\r\n'),
        fileHead(),
        Buffer.from('b'),
        END,
      ]),
    ],
    ['a file in another field', Buffer.concat([fileHead('avatar'), Buffer.from('a'), END])],
    ['too many parts', Buffer.concat([...Array.from({ length: 40 }, (_, i) => field(`f${i}`, 'x')), END.subarray(2)])],
    ['a field value over 4 KB', Buffer.concat([field('cloudPath', 'a'.repeat(5000)), END.subarray(2)])],
  ])('refuses %s as malformed', async (_name, raw) => {
    const body = new PassThrough();
    const { result } = receive(body);
    body.end(raw);
    expect(await reason(result)).toBe('malformed');
  });

  it('refuses a file over the limit as soon as it passes it, without waiting for the rest', async () => {
    const body = new PassThrough();
    const { result } = receive(body, { limits: { maxFileBytes: 1000, maxBodyBytes: 1024 * 1024 } });
    body.write(Buffer.concat([field('openid', 'oAlice'), fileHead(), Buffer.alloc(2000)]));
    expect(await reason(result)).toBe('too-large');
  });

  it('refuses a body whose Content-Length is over the limit before reading it', async () => {
    const body = new PassThrough();
    const { result } = receive(body, { headers: { ...HEADERS, 'content-length': String(LIMITS.maxBodyBytes + 1) } });
    expect(await reason(result)).toBe('too-large');
  });

  it('refuses a body over the limit sent without a Content-Length, counting what the parser skips', async () => {
    const body = new PassThrough();
    const { result } = receive(body, { limits: { maxFileBytes: 1000, maxBodyBytes: 10_000 } });
    // A preamble before the first boundary is no part, but it is still body.
    for (let i = 0; i < 20; i += 1) body.write('x'.repeat(1000));
    expect(await reason(result)).toBe('too-large');
  });

  it('reports a body cut off mid-file as aborted', async () => {
    const body = new PassThrough();
    const { result, chunks } = receive(body);
    body.write(Buffer.concat([fileHead(), Buffer.alloc(100 * 1024)]));
    await waitFor(() => chunks.length > 0);
    body.destroy();
    expect(await reason(result)).toBe('aborted');
  });
});

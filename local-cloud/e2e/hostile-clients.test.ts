/**
 * Clients that try to exhaust the local cloud's memory, disk or connections: uploads are streamed
 * to disk and cleaned up on every failure, downloads are streamed with backpressure, stalled and
 * slow clients are cut off, and connections and uploads beyond the caps are answered 503.
 */
import { mkdirSync, readdirSync, statSync, writeFileSync, type ReadStream } from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as path from 'path';
import type { LocalCloudConfig } from '../config';
import { storageDir } from '../runtime';
import { startTestCloud, type TestCloud } from './harness';

const OPENID = 'oAlice0000000000000000000001';
const BOUNDARY = '----hostileclienttest';

/** Every regular file in the cloud's storage folder (temp files included), relative, sorted. */
function storedFiles(cloud: TestCloud): string[] {
  const root = storageDir(cloud.server.runtime.config);
  let entries: string[];
  try {
    entries = readdirSync(root, { recursive: true }) as string[];
  } catch {
    return [];
  }
  return entries
    .filter((entry) => statSync(path.join(root, entry)).isFile())
    .map((entry) => entry.split(path.sep).join('/'))
    .sort();
}

function uploadParts(cloudPath: string, fileBytes: number): { head: Buffer; file: Buffer; tail: Buffer } {
  const head = Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="cloudPath"\r\n\r\n${cloudPath}\r\n` +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="openid"\r\n\r\n${OPENID}\r\n` +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`,
  );
  return { head, file: Buffer.alloc(fileBytes, 0x5a), tail: Buffer.from(`\r\n--${BOUNDARY}--\r\n`) };
}

interface RawClient {
  socket: net.Socket;
  /** Everything the server sent, once it closes the connection. */
  closed: Promise<string>;
}

/** A TCP connection that sends exactly `bytes`, then whatever the test writes. */
async function raw(cloud: TestCloud, bytes: Buffer | string): Promise<RawClient> {
  const socket = net.connect(cloud.server.port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  const closed = new Promise<string>((resolve) => {
    socket.on('error', () => undefined);
    socket.once('close', () => resolve(Buffer.concat(received).toString('latin1')));
  });
  socket.write(bytes);
  return { socket, closed };
}

const requestHead = (cloud: TestCloud, lines: string[]) =>
  [...lines, `Host: 127.0.0.1:${cloud.server.port}`, '', ''].join('\r\n');

/** An upload's request line and headers, announcing a body of `length` bytes. */
const uploadHead = (cloud: TestCloud, length: number) =>
  requestHead(cloud, [
    'POST /storage/upload HTTP/1.1',
    `Content-Type: multipart/form-data; boundary=${BOUNDARY}`,
    `Content-Length: ${length}`,
    'X-Local-Cloud: 1',
  ]);

/** Starts an upload of `fileBytes` and sends only its first `sentFileBytes` bytes of file. */
async function stalledUpload(cloud: TestCloud, cloudPath: string, fileBytes: number, sentFileBytes: number) {
  const { head, file, tail } = uploadParts(cloudPath, fileBytes);
  return raw(
    cloud,
    Buffer.concat([
      Buffer.from(uploadHead(cloud, head.length + file.length + tail.length)),
      head,
      file.subarray(0, sentFileBytes),
    ]),
  );
}

/** A request through Node's http client (fetch cannot leave a body half sent). */
function send(
  cloud: TestCloud,
  method: string,
  route: string,
  headers: Record<string, string>,
  write: (request: http.ClientRequest) => void,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${cloud.url}${route}`, { method, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    // The server may answer early and close while the body is still being sent.
    request.on('error', (error) => (request.destroyed && !request.writableEnded ? undefined : reject(error)));
    write(request);
  });
}

function upload(cloud: TestCloud, cloudPath: string, fileBytes: number, chunked = false) {
  const { head, file, tail } = uploadParts(cloudPath, fileBytes);
  const headers: Record<string, string> = {
    'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`,
    'X-Local-Cloud': '1',
  };
  if (!chunked) headers['Content-Length'] = String(head.length + file.length + tail.length);
  return send(cloud, 'POST', '/storage/upload', headers, (request) => {
    request.write(head);
    // In pieces, so an early answer can arrive before the client has sent everything.
    for (let at = 0; at < file.length; at += 16 * 1024) request.write(file.subarray(at, at + 16 * 1024));
    request.end(tail);
  });
}

/** Resolves once `condition` holds; the test's own timeout bounds the wait. */
async function waitFor(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 10));
}

const tempBytes = (cloud: TestCloud) =>
  storedFiles(cloud).reduce(
    (sum, file) => sum + statSync(path.join(storageDir(cloud.server.runtime.config), file)).size,
    0,
  );
const dropped = (cloud: TestCloud) => cloud.logs.some(({ record }) => record.event === 'upload-dropped');

let cloud: TestCloud;
async function start(config: Partial<LocalCloudConfig>): Promise<TestCloud> {
  cloud = await startTestCloud({ config });
  return cloud;
}
afterEach(() => cloud?.close());

describe('uploads', () => {
  it('are written to disk as they arrive, and a stalled one is dropped with its temp file', async () => {
    await start({ idleTimeoutMs: 300, maxUploadBytes: 4 * 1024 * 1024 });
    const client = await stalledUpload(cloud, `avatars/${OPENID}/1.png`, 4 * 1024 * 1024, 1024 * 1024);
    // Most of what was sent is on disk, not in memory, while the body is incomplete.
    await waitFor(() => tempBytes(cloud) >= 512 * 1024);
    await client.closed;
    await waitFor(() => dropped(cloud));
    expect(storedFiles(cloud)).toEqual([]);
    expect(JSON.stringify(cloud.logs)).not.toContain(OPENID);
  });

  it('leave no temp file when the client disconnects mid-upload', async () => {
    await start({});
    const client = await stalledUpload(cloud, `avatars/${OPENID}/1.png`, 4 * 1024 * 1024, 512 * 1024);
    await waitFor(() => storedFiles(cloud).length > 0);
    client.socket.destroy();
    await waitFor(() => dropped(cloud));
    expect(storedFiles(cloud)).toEqual([]);
  });

  it('over the size limit answer 413 and leave no temp file, with or without a Content-Length', async () => {
    await start({ maxUploadBytes: 256 * 1024 });
    for (const chunked of [false, true]) {
      const answer = await upload(cloud, `avatars/${OPENID}/1.png`, 256 * 1024 + 1, chunked);
      expect(answer.status).toBe(413);
      expect(answer.body).toMatch(/larger than/);
      expect(storedFiles(cloud)).toEqual([]);
    }
    expect((await upload(cloud, `avatars/${OPENID}/1.png`, 256 * 1024)).status).toBe(200);
  });

  it('over an existing folder, or below an existing file, answer 409 and leave no temp file', async () => {
    await start({});
    expect((await upload(cloud, 'a/b/c.png', 10)).status).toBe(200);
    for (const cloudPath of ['a/b', 'a/b/c.png/d.png']) {
      const answer = await upload(cloud, cloudPath, 1024 * 1024);
      expect(answer.status).toBe(409);
      expect(answer.body).toMatch(/folder|file/);
      expect(storedFiles(cloud)).toEqual(['a/b/c.png']);
    }
  });

  it('with a bad path or no openid answer 400 and leave no temp file', async () => {
    await start({});
    for (const cloudPath of ['../x.png', '.uploads/x', 'a//b.png']) {
      expect((await upload(cloud, cloudPath, 64 * 1024)).status).toBe(400);
    }
    const { head, file, tail } = uploadParts('a/b.png', 64 * 1024);
    const noOpenid = Buffer.concat([head, file, tail]).toString('latin1').replace(`name="openid"`, `name="other"`);
    const answer = await send(
      cloud,
      'POST',
      '/storage/upload',
      { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, 'X-Local-Cloud': '1' },
      (request) => request.end(Buffer.from(noOpenid, 'latin1')),
    );
    expect(answer.status).toBe(400);
    expect(storedFiles(cloud)).toEqual([]);
  });

  it('beyond the number allowed at once answer 503, and are accepted again once one ends', async () => {
    await start({ maxConcurrentUploads: 1 });
    const first = await stalledUpload(cloud, 'a/1.png', 1024 * 1024, 64 * 1024);
    await waitFor(() => storedFiles(cloud).length > 0);
    const refused = await upload(cloud, 'a/2.png', 10);
    expect(refused.status).toBe(503);
    first.socket.destroy();
    await waitFor(() => dropped(cloud));
    expect((await upload(cloud, 'a/2.png', 10)).status).toBe(200);
  });
});

describe('connections', () => {
  /** A keep-alive connection that has been answered once, and stays open. */
  async function heldConnection(): Promise<RawClient> {
    const client = await raw(cloud, requestHead(cloud, ['GET /health HTTP/1.1']));
    await new Promise((resolve) => client.socket.once('data', resolve));
    return client;
  }

  it('beyond the cap are answered 503, and served again once one closes', async () => {
    await start({ maxConnections: 2 });
    const held = [await heldConnection(), await heldConnection()];
    const refused = await send(cloud, 'GET', '/health', {}, (request) => request.end());
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body)).toEqual({ error: expect.stringMatching(/connections/) });
    held[0].socket.destroy();
    await waitFor(async () => (await send(cloud, 'GET', '/health', {}, (request) => request.end())).status === 200);
    held[1].socket.destroy();
  });

  it('that never finish their headers are answered 408 and closed (slowloris)', async () => {
    await start({ headersTimeoutMs: 300, idleTimeoutMs: 60_000 });
    const client = await raw(cloud, `GET /health HTTP/1.1\r\nHost: 127.0.0.1:${cloud.server.port}\r\nX-Slow: 1`);
    const trickle = setInterval(() => client.socket.write('1'), 50);
    try {
      expect(await client.closed).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      clearInterval(trickle);
    }
  });

  it('that trickle a body for longer than the request timeout are cut off, and their upload dropped', async () => {
    await start({ requestTimeoutMs: 500, headersTimeoutMs: 400, idleTimeoutMs: 60_000 });
    const client = await stalledUpload(cloud, 'a/1.png', 1024 * 1024, 1024);
    const trickle = setInterval(() => client.socket.write(Buffer.alloc(1)), 50);
    try {
      await client.closed;
    } finally {
      clearInterval(trickle);
    }
    await waitFor(() => dropped(cloud));
    expect(storedFiles(cloud)).toEqual([]);
  });
});

describe('downloads', () => {
  it('are streamed from disk: a reader that stops reading stops the disk reads, and is dropped when idle', async () => {
    await start({ idleTimeoutMs: 500 });
    const size = 48 * 1024 * 1024;
    const file = path.join(storageDir(cloud.server.runtime.config), 'big.bin');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, Buffer.alloc(size, 1));
    const storage = cloud.server.runtime.storage;
    const streams: ReadStream[] = [];
    const openRead = storage.openRead.bind(storage);
    jest.spyOn(storage, 'openRead').mockImplementation(async (cloudPath) => {
      const opened = await openRead(cloudPath);
      if (opened) streams.push(opened.stream);
      return opened;
    });
    const client = await raw(cloud, requestHead(cloud, ['GET /storage/files/big.bin HTTP/1.1']));
    client.socket.pause();
    await waitFor(() => streams.length === 1 && streams[0].readableFlowing === false);
    const stream = streams[0];
    expect(stream.bytesRead).toBeLessThan(size / 2);
    // Nothing moves: the idle timeout closes the connection and the file.
    await waitFor(() => stream.destroyed);
    client.socket.destroy();
  });

  it('deliver the whole file to a reader that keeps up', async () => {
    await start({});
    const content = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < content.length; i += 1) content[i] = (i * 7) & 0xff;
    const file = path.join(storageDir(cloud.server.runtime.config), 'a', 'b.png');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    const response = await fetch(`${cloud.url}/storage/files/a/b.png`);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(Number(response.headers.get('content-length'))).toBe(content.length);
    expect(Buffer.from(await response.arrayBuffer()).equals(content)).toBe(true);
    expect((await fetch(`${cloud.url}/storage/files/a`)).status).toBe(404);
  });
});

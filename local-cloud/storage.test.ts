import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Writable } from 'stream';
import { LocalStorage, StorageConflictError, checkCloudPath } from './storage';

/** Every regular file under `root`, relative, with "/" separators (temp files included). */
function filesUnder(root: string): string[] {
  return (readdirSync(root, { recursive: true }) as string[])
    .filter((entry) => statSync(path.join(root, entry)).isFile())
    .map((entry) => entry.split(path.sep).join('/'))
    .sort();
}

describe('checkCloudPath', () => {
  it.each(['avatars/oA/1.png', 'a.txt', 'a/b-c_d@e/f.jpeg'])('accepts %s', (p) => {
    expect(checkCloudPath(p)).toBe(p);
  });

  it.each(['', '/a.png', 'a/../b', '..', './a', 'a//b', 'a/', '.env', 'a\\b', 'a/b c', 'x'.repeat(2000), 5])(
    'refuses %j',
    (p) => {
      expect(checkCloudPath(p)).toBeNull();
    },
  );
});

describe('LocalStorage', () => {
  let root: string;
  let storage: LocalStorage;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'local-storage-'));
    storage = new LocalStorage(root, 'local-env', 'bucket-1', () => 'http://127.0.0.1:1');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('uploads, answers temp URLs, and deletes only files of its own environment', async () => {
    const { fileID } = await storage.upload('a/b.png', Buffer.from('x'));
    expect(fileID).toBe('cloud://local-env.bucket-1/a/b.png');
    const urls = await storage.tempFileURLs([fileID, 'cloud://other.bucket-1/a/b.png']);
    expect(urls.fileList.map((f) => [f.status, f.tempFileURL])).toEqual([
      [0, 'http://127.0.0.1:1/storage/files/a/b.png'],
      [-503003, ''],
    ]);
    const deleted = await storage.deleteFiles(['cloud://other.bucket-1/a/b.png', fileID, fileID]);
    expect(deleted.fileList.map((f) => f.status)).toEqual([-503003, 0, -503003]);
  });

  it('refuses an upload over an existing folder with a conflict, leaving the folder and no temp file', async () => {
    await storage.upload('a/b/c.png', Buffer.from('c'));
    await expect(storage.upload('a/b', Buffer.alloc(1024 * 1024))).rejects.toThrow(StorageConflictError);
    expect(filesUnder(root)).toEqual(['a/b/c.png']);
  });

  it('refuses an upload below an existing file with a conflict, leaving no temp file', async () => {
    await storage.upload('a/b.png', Buffer.from('b'));
    await expect(storage.upload('a/b.png/c.png', Buffer.from('c'))).rejects.toThrow(StorageConflictError);
    expect(filesUnder(root)).toEqual(['a/b.png']);
  });

  it('keeps a pending upload out of sight until committed, and removes it when discarded', async () => {
    const kept = storage.beginUpload();
    const dropped = storage.beginUpload();
    for (const upload of [kept, dropped]) {
      await new Promise<void>((resolve, reject) =>
        upload
          .open()
          .end(Buffer.from('data'), () => resolve())
          .on('error', reject),
      );
    }
    expect(filesUnder(root)).toHaveLength(2);
    expect((await storage.tempFileURLs([storage.fileID('x.png')])).fileList[0].status).toBe(-503003);
    await kept.commit('x.png');
    await dropped.discard();
    expect(filesUnder(root)).toEqual(['x.png']);
  });

  it('removes temp files a previous run left behind when it starts', async () => {
    const upload = storage.beginUpload();
    await new Promise<void>((resolve) => upload.open().end(Buffer.from('half'), () => resolve()));
    expect(filesUnder(root)).toHaveLength(1);
    new LocalStorage(root, 'local-env', 'bucket-1', () => '');
    expect(filesUnder(root)).toEqual([]);
  });

  it('reads a file as a stream that stops reading the disk while its reader is not keeping up', async () => {
    const size = 8 * 1024 * 1024;
    mkdirSync(path.join(root, 'big'));
    writeFileSync(path.join(root, 'big', 'file.bin'), Buffer.alloc(size, 7));
    const opened = await storage.openRead('big/file.bin');
    expect(opened?.size).toBe(size);
    const stream = opened!.stream;
    // A reader that accepts one chunk and then never acknowledges it.
    let received = 0;
    const stuck = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        if (received === chunk.length) callback();
      },
    });
    stream.pipe(stuck);
    await waitFor(() => stream.readableFlowing === false);
    expect(stream.bytesRead).toBeLessThan(1024 * 1024);
    stream.destroy();
    expect(await storage.openRead('big/missing.bin')).toBeNull();
    expect(await storage.openRead('big')).toBeNull();
  });
});

/** Resolves once `condition` holds (the test's own timeout bounds the wait). */
async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

import { mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalStorage, checkCloudPath } from './storage';

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
  const root = mkdtempSync(path.join(os.tmpdir(), 'local-storage-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const storage = new LocalStorage(root, 'local-env', 'bucket-1', () => 'http://127.0.0.1:1');

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
});

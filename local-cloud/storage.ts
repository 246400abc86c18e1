/**
 * Cloud storage in a local folder: a file uploaded to `cloudPath` is `<root>/<cloudPath>`,
 * named `cloud://<env>.<bucket>/<cloudPath>` and served at `<baseUrl>/storage/files/<cloudPath>`.
 * Paths are checked segment by segment, so none can leave the folder.
 *
 * An upload is written to `<root>/.uploads/<random>` (a name no cloudPath can take) and renamed
 * into place once complete: readers never see half a file, and a failed upload leaves nothing.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import { promises as fsp } from 'fs';
import * as path from 'path';
import type { Writable } from 'stream';

const SEGMENT = /^[A-Za-z0-9_@-][A-Za-z0-9._@-]{0,254}$/;
const MAX_PATH = 1024;
const FILE_NOT_EXIST = -503003;
const UPLOADS_DIR = '.uploads';

/** The cloudPath is taken by a folder, or one of its parent folders by a file. */
export class StorageConflictError extends Error {
  override name = 'StorageConflictError';
}

/** The cloudPath if it is a safe relative path (`a/b.jpg`), or null. */
export function checkCloudPath(cloudPath: unknown): string | null {
  if (typeof cloudPath !== 'string' || cloudPath.length === 0 || cloudPath.length > MAX_PATH) return null;
  return cloudPath.split('/').every((segment) => SEGMENT.test(segment)) ? cloudPath : null;
}

export interface FileResult {
  fileID: string;
  status: number;
  errMsg: string;
}

export class LocalStorage {
  private readonly uploadsDir: string;

  /** Removes the temp files of uploads a previous run left unfinished (a crash, a kill). */
  constructor(
    private readonly root: string,
    private readonly envId: string,
    private readonly bucket: string,
    private readonly baseUrl: () => string,
  ) {
    this.uploadsDir = path.join(root, UPLOADS_DIR);
    fs.rmSync(this.uploadsDir, { recursive: true, force: true });
  }

  fileID(cloudPath: string): string {
    return `cloud://${this.envId}.${this.bucket}/${cloudPath}`;
  }

  /** The cloudPath of a fileID of this environment, or null (another env, bad path). */
  cloudPathOf(fileID: unknown): string | null {
    const prefix = `cloud://${this.envId}.${this.bucket}/`;
    if (typeof fileID !== 'string' || !fileID.startsWith(prefix)) return null;
    return checkCloudPath(fileID.slice(prefix.length));
  }

  /** Where a checked cloudPath lives on disk. */
  diskPath(cloudPath: string): string {
    const file = path.resolve(this.root, ...cloudPath.split('/'));
    if (!file.startsWith(path.resolve(this.root) + path.sep)) throw new Error('path outside storage');
    return file;
  }

  /** An upload written to a temp file, then either committed to a cloudPath or discarded. */
  beginUpload(): PendingUpload {
    return new PendingUpload(this.uploadsDir, (cloudPath, temp) => this.place(cloudPath, temp));
  }

  /** Stores content already in memory (cloud.uploadFile's fileContent). */
  async upload(cloudPath: string, content: Buffer): Promise<{ fileID: string }> {
    const pending = this.beginUpload();
    try {
      await new Promise<void>((resolve, reject) => {
        pending.open().once('error', reject).end(content, resolve);
      });
    } catch (error) {
      await pending.discard();
      throw error;
    }
    return pending.commit(cloudPath);
  }

  /** The file as a stream (read as its consumer reads), or null if there is no such file. */
  async openRead(cloudPath: string): Promise<{ size: number; stream: fs.ReadStream } | null> {
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(this.diskPath(cloudPath), 'r');
    } catch {
      return null;
    }
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw new Error('not a file');
      return { size: stat.size, stream: handle.createReadStream() };
    } catch {
      await handle.close();
      return null;
    }
  }

  /** Moves a complete temp file to `cloudPath`; a folder in the way is a conflict. */
  private async place(cloudPath: string, temp: string): Promise<{ fileID: string }> {
    const file = this.diskPath(cloudPath);
    try {
      await fsp.mkdir(path.dirname(file), { recursive: true });
    } catch (error) {
      if (isErrno(error, 'EEXIST', 'ENOTDIR')) throw new StorageConflictError(`a parent of ${cloudPath} is a file`);
      throw error;
    }
    // rename() would replace an empty folder on some systems and fail differently on others.
    if ((await fsp.stat(file).catch(() => null))?.isDirectory()) {
      throw new StorageConflictError(`${cloudPath} is a folder`);
    }
    try {
      await fsp.rename(temp, file);
    } catch (error) {
      // The same conflicts, created between the checks above and the rename.
      if (isErrno(error, 'EISDIR', 'ENOTEMPTY', 'EEXIST', 'ENOTDIR')) {
        throw new StorageConflictError(`${cloudPath} conflicts with a stored folder or file`);
      }
      throw error;
    }
    return { fileID: this.fileID(cloudPath) };
  }

  async deleteFiles(fileList: readonly unknown[]): Promise<{ fileList: FileResult[] }> {
    const results: FileResult[] = [];
    for (const fileID of fileList) {
      const cloudPath = this.cloudPathOf(fileID);
      const removed = cloudPath !== null && (await removeFile(this.diskPath(cloudPath)));
      results.push(
        removed
          ? { fileID: String(fileID), status: 0, errMsg: 'ok' }
          : { fileID: String(fileID), status: FILE_NOT_EXIST, errMsg: 'file not exist' },
      );
    }
    return { fileList: results };
  }

  async tempFileURLs(
    fileList: readonly unknown[],
  ): Promise<{ fileList: Array<FileResult & { tempFileURL: string; maxAge: number }> }> {
    const results = [];
    for (const item of fileList) {
      // The SDK accepts a fileID or { fileID, maxAge }.
      const fileID = item && typeof item === 'object' ? (item as { fileID?: unknown }).fileID : item;
      const cloudPath = this.cloudPathOf(fileID);
      const exists = cloudPath !== null && (await isFile(this.diskPath(cloudPath)));
      results.push({
        fileID: String(fileID),
        tempFileURL: exists ? `${this.baseUrl()}/storage/files/${encodePath(cloudPath)}` : '',
        status: exists ? 0 : FILE_NOT_EXIST,
        errMsg: exists ? 'ok' : 'file not exist',
        maxAge: 7200,
      });
    }
    return { fileList: results };
  }
}

/**
 * One upload's temp file. `open` creates it (once); `commit` moves it into place; `discard`
 * (safe to call at any time, any number of times) closes and removes it. A failed commit
 * discards too, so a caller only has to discard on its own failures.
 */
export class PendingUpload {
  readonly tempFile: string;
  private stream: fs.WriteStream | null = null;

  constructor(
    private readonly dir: string,
    private readonly place: (cloudPath: string, temp: string) => Promise<{ fileID: string }>,
  ) {
    this.tempFile = path.join(dir, randomBytes(12).toString('hex'));
  }

  open(): Writable {
    if (this.stream) throw new Error('upload already opened');
    fs.mkdirSync(this.dir, { recursive: true });
    this.stream = fs.createWriteStream(this.tempFile, { flags: 'wx' });
    return this.stream;
  }

  async commit(cloudPath: string): Promise<{ fileID: string }> {
    try {
      if (!this.stream) throw new Error('upload never opened');
      await this.closed();
      return await this.place(cloudPath, this.tempFile);
    } catch (error) {
      await this.discard();
      throw error;
    }
  }

  async discard(): Promise<void> {
    if (!this.stream) return;
    this.stream.destroy();
    await this.closed();
    await fsp.rm(this.tempFile, { force: true });
  }

  /** Resolves once the file is closed (its data written), whether it ended or was destroyed. */
  private closed(): Promise<void> {
    const stream = this.stream!;
    if (stream.closed) return Promise.resolve();
    return new Promise((resolve) => stream.once('close', () => resolve()));
  }
}

function isErrno(error: unknown, ...codes: string[]): boolean {
  const code = error && typeof error === 'object' ? (error as NodeJS.ErrnoException).code : undefined;
  return typeof code === 'string' && codes.includes(code);
}

export const encodePath = (cloudPath: string): string => cloudPath.split('/').map(encodeURIComponent).join('/');

async function removeFile(file: string): Promise<boolean> {
  try {
    await fsp.unlink(file);
    return true;
  } catch {
    return false;
  }
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fsp.stat(file)).isFile();
  } catch {
    return false;
  }
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json',
};

/** The Content-Type a stored file is served with, by its extension. */
export const contentTypeOf = (cloudPath: string): string =>
  CONTENT_TYPES[path.extname(cloudPath).toLowerCase()] ?? 'application/octet-stream';

/**
 * Cloud storage in a local folder: a file uploaded to `cloudPath` is `<root>/<cloudPath>`,
 * named `cloud://<env>.<bucket>/<cloudPath>` and served at `<baseUrl>/storage/files/<cloudPath>`.
 * Paths are checked segment by segment, so none can leave the folder.
 */
import { randomBytes } from 'crypto';
import { promises as fsp } from 'fs';
import * as path from 'path';

const SEGMENT = /^[A-Za-z0-9_@-][A-Za-z0-9._@-]{0,254}$/;
const MAX_PATH = 1024;
const FILE_NOT_EXIST = -503003;

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
  constructor(
    private readonly root: string,
    private readonly envId: string,
    private readonly bucket: string,
    private readonly baseUrl: () => string,
  ) {}

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

  async upload(cloudPath: string, content: Buffer): Promise<{ fileID: string }> {
    const file = this.diskPath(cloudPath);
    await fsp.mkdir(path.dirname(file), { recursive: true });
    // Write beside, then rename: a reader never sees half a file.
    const temp = path.join(path.dirname(file), `.upload-${randomBytes(6).toString('hex')}`);
    await fsp.writeFile(temp, content);
    await fsp.rename(temp, file);
    return { fileID: this.fileID(cloudPath) };
  }

  async read(cloudPath: string): Promise<Buffer | null> {
    try {
      return await fsp.readFile(this.diskPath(cloudPath));
    } catch {
      return null;
    }
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

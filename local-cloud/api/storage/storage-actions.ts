/**
 * The storage actions of the platform API, on the emulator's LocalStorage (the same files the
 * mini program's local-mode uploads write):
 * - `storage.getUploadMetadata` → a one-time upload URL on the emulator (see storage-http.ts);
 * - `storage.batchGetDownloadUrl` → signed temp URLs (getTempFileURL, downloadFile);
 * - `storage.batchDeleteFile`.
 * A fileID of another environment or bucket is a file that does not exist: per file,
 * `STORAGE_FILE_NONEXIST`, which the SDK shows as status -503003 "storage file not exists".
 */
import { promises as fsp } from 'fs';
import type { ActionRequest, ActionTable } from '../action';
import { invalidParam, STORAGE_FILE_NONEXIST } from '../errors';
import { checkCloudPath, type LocalStorage } from '../../storage';
import { DEFAULT_MAX_AGE_S, MAX_MAX_AGE_S, type TempUrlSigner } from './temp-urls';
import type { UploadTokens } from './upload-tokens';

/** The real server refuses more files per call (node-sdk's tests expect INVALID_PARAM). */
export const MAX_FILES_PER_CALL = 50;
const NONEXIST_MESSAGE = 'storage file not exists';

export interface StorageActionsOptions {
  storage: LocalStorage;
  uploads: UploadTokens;
  urls: TempUrlSigner;
  /** Where the storage routes are served, e.g. `http://127.0.0.1:3000/tcb`. */
  publicBase: () => string;
}

export function createStorageActions(options: StorageActionsOptions): ActionTable {
  const { storage, uploads, urls, publicBase } = options;

  const tempFileURL = (cloudPath: string, maxAgeS: number) =>
    `${publicBase()}/files/${cloudPath}?${urls.grant(cloudPath, maxAgeS)}`;

  /** The cloudPath of a fileID of this bucket naming a stored file, or null. */
  const storedPath = async (fileID: unknown): Promise<string | null> => {
    const cloudPath = storage.cloudPathOf(fileID);
    if (cloudPath === null) return null;
    const stat = await fsp.stat(storage.diskPath(cloudPath)).catch(() => null);
    return stat?.isFile() ? cloudPath : null;
  };

  return {
    'storage.getUploadMetadata': async (request) => {
      const cloudPath = checkCloudPath(request.path);
      if (cloudPath === null) {
        throw invalidParam(
          'cloudPath must be a relative path of segments of letters, digits, ".", "_", "@" and "-" (the emulator stores files under these names only)',
        );
      }
      const token = uploads.issue(cloudPath);
      return {
        data: {
          url: `${publicBase()}/upload/${token}`,
          // The SDK sends these back as PUT headers; the URL's token is what authorises the PUT.
          token: 'emulator-cos-session-token',
          authorization: 'emulator-upload',
          fileId: storage.fileID(cloudPath),
          cosFileId: `emulator-${token.slice(0, 8)}`,
          download_url: tempFileURL(cloudPath, DEFAULT_MAX_AGE_S),
        },
      };
    },

    'storage.batchGetDownloadUrl': async (request) => {
      const items = fileList(request, 'file_list');
      const downloadList = [];
      for (const item of items) {
        if (!isObject(item)) throw invalidParam('file_list items must be { fileid, max_age? }');
        const maxAge = item.max_age;
        if (maxAge !== undefined && !(Number.isInteger(maxAge) && Number(maxAge) >= 1)) {
          throw invalidParam('max_age must be a whole number of seconds');
        }
        const cloudPath = await storedPath(item.fileid);
        const fileID = String(item.fileid);
        const age = maxAge === undefined ? {} : { maxAge };
        downloadList.push(
          cloudPath === null
            ? { fileID, tempFileURL: '', code: STORAGE_FILE_NONEXIST, message: NONEXIST_MESSAGE, ...age }
            : {
                fileID,
                tempFileURL: tempFileURL(cloudPath, Math.min(Number(maxAge ?? DEFAULT_MAX_AGE_S), MAX_MAX_AGE_S)),
                code: 'SUCCESS',
                ...age,
              },
        );
      }
      return { data: { download_list: downloadList } };
    },

    'storage.batchDeleteFile': async (request) => {
      const fileIDs = fileList(request, 'fileid_list');
      if (!fileIDs.every((fileID) => typeof fileID === 'string')) throw invalidParam('fileid_list must hold fileIDs');
      const { fileList: results } = await storage.deleteFiles(fileIDs);
      const deleteList = results.map(({ fileID, status }) =>
        status === 0 ? { fileID, code: 'SUCCESS' } : { fileID, code: STORAGE_FILE_NONEXIST, message: NONEXIST_MESSAGE },
      );
      return { data: { delete_list: deleteList } };
    },
  };
}

function fileList(request: ActionRequest, field: string): readonly unknown[] {
  const list = request[field];
  if (!Array.isArray(list) || list.length === 0) throw invalidParam(`${field} must be a non-empty array`);
  if (list.length > MAX_FILES_PER_CALL) throw invalidParam(`at most ${MAX_FILES_PER_CALL} files per call`);
  return list;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

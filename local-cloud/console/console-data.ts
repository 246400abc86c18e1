/**
 * What the console's 数据库, 用户 and 存储 screens do to the data: documents as relaxed EJSON
 * (the CloudBase console's import/export format, see engine/codec.ts), read and written through
 * the same engine functions the SDK's actions use, and the stored files.
 * Bad input is a PlatformError (INVALID_PARAM, DATABASE_COLLECTION_NOT_EXIST…) and changes nothing.
 */
import { promises as fsp } from 'fs';
import * as path from 'path';
import { invalidParam } from '../api/errors';
import { browseCollection, listCollections } from '../engine/admin';
import { decodeDocument, encodeDocument, isPlainObject, type Doc } from '../engine/codec';
import type { Database } from '../engine/database';
import { modifyDocuments, insertDocuments, removeDocuments } from '../engine/writes';
import type { LocalCloudRuntime } from '../runtime';
import { storageDir } from '../runtime';
import { contentTypeOf, encodePath } from '../storage';

export const MAX_PAGE = 100;
export const MAX_LISTED_FILES = 2000;
/** Where LocalStorage keeps uploads still arriving (not files of the bucket). */
const UPLOADS_DIR = '.uploads';

/** An object of the request in relaxed EJSON (`{"$date": …}` becomes a Date), or INVALID_PARAM. */
function ejsonObject(value: unknown, what: string): Doc {
  if (!isPlainObject(value)) throw invalidParam(`${what} must be a JSON object`);
  try {
    return decodeDocument(JSON.stringify(value));
  } catch (error) {
    throw invalidParam(`${what}: ${(error as Error).message}`);
  }
}

/** The `_id` value of the request (a string, or an EJSON value such as an ObjectId). */
function documentId(value: unknown): unknown {
  if (value === undefined || value === null || value === '') throw invalidParam('id is missing');
  return ejsonObject({ _id: value }, 'id')._id;
}

function pageNumber(value: unknown, fallback: number, max: number, what: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > max) {
    throw invalidParam(`${what} must be an integer from 0 to ${max}`);
  }
  return value as number;
}

export function collections(db: Database) {
  return listCollections(db).map(({ name, count, createdAt }) => ({ name, count, createdAt: createdAt.toISOString() }));
}

/** A page of documents, each as a JSON object in relaxed EJSON. */
export async function browse(db: Database, body: Record<string, unknown>) {
  const collection = db.requireCollection(body.collection);
  const query = body.query === undefined ? {} : ejsonObject(body.query, 'query');
  const offset = pageNumber(body.offset, 0, Number.MAX_SAFE_INTEGER, 'offset');
  const limit = pageNumber(body.limit, 20, MAX_PAGE, 'limit');
  const page = await browseCollection(db, collection, { query, offset, limit });
  return { total: page.total, documents: page.documents.map((text) => JSON.parse(text) as unknown) };
}

export async function addDocument(db: Database, body: Record<string, unknown>) {
  const collection = db.requireCollection(body.collection);
  const doc = ejsonObject(body.document, 'document');
  const [id] = await db.inSpace(undefined, (space) => insertDocuments(space, collection, [doc], db.now()));
  return { id: JSON.parse(encodeDocument({ _id: id }))._id as unknown };
}

/** Replaces the document `id` with `document` (its `_id`, if any, must be the same). */
export async function replaceDocument(db: Database, body: Record<string, unknown>) {
  const collection = db.requireCollection(body.collection);
  const id = documentId(body.id);
  const { _id: given, ...doc } = ejsonObject(body.document, 'document');
  if (given !== undefined && encodeDocument({ _id: given }) !== encodeDocument({ _id: id })) {
    throw invalidParam('the _id of a document cannot be changed');
  }
  const result = await db.inSpace(undefined, (space) =>
    modifyDocuments(space, {
      collection,
      query: { _id: id },
      update: { kind: 'replace', doc },
      multi: false,
      upsert: false,
      now: db.now(),
    }),
  );
  return { matched: result.matched, updated: result.updated };
}

export async function deleteDocument(db: Database, body: Record<string, unknown>) {
  const collection = db.requireCollection(body.collection);
  const id = documentId(body.id);
  const deleted = await db.inSpace(undefined, (space) =>
    removeDocuments(space, { collection, query: { _id: id }, multi: false }),
  );
  return { deleted };
}

/** Removes every document of the collection (the collection stays). */
export async function clearCollection(db: Database, body: Record<string, unknown>) {
  const collection = db.requireCollection(body.collection);
  const deleted = await db.inSpace(undefined, (space) =>
    removeDocuments(space, { collection, query: {}, multi: true }),
  );
  return { deleted };
}

export interface StoredFile {
  cloudPath: string;
  fileID: string;
  size: number;
  modifiedAt: string;
  contentType: string;
  /** Same-origin URL of the file (the gateway's storage route). */
  url: string;
}

/** The files of the bucket under `prefix` (a folder path, "" for all), sorted by path. */
export async function listFiles(runtime: LocalCloudRuntime, prefix: unknown) {
  if (prefix !== undefined && typeof prefix !== 'string') throw invalidParam('prefix must be a string');
  const root = storageDir(runtime.config);
  const files: StoredFile[] = [];
  let truncated = false;
  const visit = async (dir: string, parts: string[]): Promise<void> => {
    const entries = await fsp.readdir(dir, { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (truncated) return;
      if (parts.length === 0 && entry.name === UPLOADS_DIR) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await visit(full, [...parts, entry.name]);
      else if (entry.isFile()) {
        const cloudPath = [...parts, entry.name].join('/');
        if (prefix && !cloudPath.startsWith(prefix)) continue;
        if (files.length >= MAX_LISTED_FILES) {
          truncated = true;
          return;
        }
        const stat = await fsp.stat(full).catch(() => null);
        if (!stat) continue;
        files.push({
          cloudPath,
          fileID: runtime.storage.fileID(cloudPath),
          size: stat.size,
          modifiedAt: stat.mtime.toISOString(),
          contentType: contentTypeOf(cloudPath),
          url: fileUrl(cloudPath),
        });
      }
    }
  };
  await visit(root, []);
  return { files, truncated };
}

export const fileUrl = (cloudPath: string): string => `/storage/files/${encodePath(cloudPath)}`;

export async function deleteFile(runtime: LocalCloudRuntime, fileID: unknown) {
  if (typeof fileID !== 'string' || runtime.storage.cloudPathOf(fileID) === null) {
    throw invalidParam('fileID must be a cloud:// fileID of this environment');
  }
  const [result] = (await runtime.storage.deleteFiles([fileID])).fileList;
  return { deleted: result.status === 0 };
}

/** The same-origin URL of a stored avatar fileID, or null (another env, not a fileID, an https URL). */
export function avatarUrl(runtime: LocalCloudRuntime, value: unknown): string | null {
  const cloudPath = runtime.storage.cloudPathOf(value);
  return cloudPath === null ? null : fileUrl(cloudPath);
}

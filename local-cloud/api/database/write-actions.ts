/**
 * database.insertDocument (`add()`), database.modifyDocument (`doc().set()`, `doc().update()`,
 * `where().update()`), database.removeDocument (`doc().remove()`, `where().remove()`) and
 * database.modifyAndReturnDoc (node-sdk's `where().updateAndReturn()`).
 */
import type { ActionRequest, ActionTable } from '../action';
import { invalidParam } from '../errors';
import { decodeEjson, booleanField, ejsonObject, queryField, stringField, transactionField } from './params';
import { isPlainObject, type Doc } from '../../engine/codec';
import type { Database } from '../../engine/database';
import { normalizeModifier } from '../../engine/update-rules';
import {
  insertDocuments,
  modifyDocuments,
  removeDocuments,
  type ModifyRequest,
  type Update,
} from '../../engine/writes';

export function writeActions(db: Database): ActionTable {
  return {
    'database.insertDocument': async (request) => {
      const now = db.now();
      const collection = db.requireCollection(request.collectionName);
      const docs = insertedData(request.data, now);
      const insertedIds = await db.inSpace(transactionField(request), (space) =>
        insertDocuments(space, collection, docs, now),
      );
      return { data: { insertedIds } };
    },

    'database.modifyDocument': async (request) => {
      const modify = modifyRequest(db, request, booleanField(request, 'multi', false));
      const result = await db.inSpace(transactionField(request), (space) => modifyDocuments(space, modify));
      const data: Doc = { updated: result.updated, matched: result.matched };
      if (modify.upsert) data.upsert_id = result.upsertedId ?? null;
      return { data };
    },

    'database.modifyAndReturnDoc': async (request) => {
      const modify = modifyRequest(db, request, false);
      const result = await db.inSpace(transactionField(request), (space) => modifyDocuments(space, modify));
      return { data: { updated: result.updated, doc: result.document ?? null } };
    },

    'database.removeDocument': async (request) => {
      const collection = db.requireCollection(request.collectionName);
      const query = queryField(request, db.now());
      const multi = request.queryType === 'DOC' ? false : booleanField(request, 'multi', true);
      const deleted = await db.inSpace(transactionField(request), (space) =>
        removeDocuments(space, { collection, query, multi }),
      );
      return { data: { deleted } };
    },
  };
}

/** `data`: an array of EJSON strings (one per document; older SDKs send a single string). */
function insertedData(value: unknown, now: number): Doc[] {
  const items = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(items) || items.length === 0)
    throw invalidParam('data must be a non-empty array of EJSON documents');
  return items.map((item, i) => {
    if (typeof item !== 'string') throw invalidParam(`data[${i}] must be an EJSON string`);
    return ejsonObject(item, `data[${i}]`, now);
  });
}

export function modifyRequest(db: Database, request: ActionRequest, multi: boolean): ModifyRequest {
  const now = db.now();
  const collection = db.requireCollection(request.collectionName);
  const query = queryField(request, now);
  const data = decodeEjson(stringField(request, 'data'), 'data', now);
  const merge = booleanField(request, 'merge', true);
  return {
    collection,
    query,
    update: updateOf(data, merge),
    multi,
    upsert: booleanField(request, 'upsert', false),
    now,
  };
}

/**
 * `merge: true` (update): update operators, as the SDK computed them. A plain object there is
 * merged field by field (`$set`). `merge: false` (set): the whole new document.
 */
export function updateOf(data: unknown, merge: boolean): Update {
  if (!isPlainObject(data)) throw invalidParam('data must encode an object');
  if (!merge) {
    if (Object.keys(data).some((key) => key.startsWith('$')))
      throw invalidParam('set() data cannot hold update operators');
    return { kind: 'replace', doc: data };
  }
  const keys = Object.keys(data);
  const operators = keys.length > 0 && keys.every((key) => key.startsWith('$'));
  return { kind: 'operators', modifier: normalizeModifier(operators ? data : { $set: data }) };
}

/**
 * database.startTransaction / commitTransaction / abortTransaction, used by `db.runTransaction`
 * and `db.startTransaction` (their operations are the ordinary actions with a `transactionId`).
 * Also the actions of @cloudbase/database's older Transaction class (`getInTransaction`,
 * `updateDocInTransaction`, `deleteDocInTransaction`), which its public API no longer uses.
 */
import type { ActionRequest, ActionTable } from '../action';
import { invalidParam } from '../errors';
import { decodeEjson, stringField } from './params';
import { updateOf } from './write-actions';
import type { Database } from '../../engine/database';
import { findDocuments } from '../../engine/find';
import { modifyDocuments, removeDocuments } from '../../engine/writes';

/** The `_id` the older transaction actions name their document by. */
function idField(request: ActionRequest): string | number {
  const id = request._id;
  if (typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id))) return id;
  throw invalidParam('_id must be a string or a number');
}

export function transactionActions(db: Database): ActionTable {
  const inTransaction = (request: ActionRequest) => stringField(request, 'transactionId');
  return {
    'database.startTransaction': async () => ({ top: { transactionId: await db.transactions.start() } }),

    'database.commitTransaction': async (request) => {
      await db.transactions.commit(inTransaction(request));
      return {};
    },

    'database.abortTransaction': async (request) => {
      await db.transactions.abort(inTransaction(request));
      return {};
    },

    'database.getInTransaction': async (request) => {
      const collection = db.requireCollection(request.collectionName);
      const [text] = await db.transactions.run(inTransaction(request), (space) =>
        findDocuments(space, {
          collection,
          query: { _id: idField(request) },
          projection: null,
          order: null,
          offset: 0,
          limit: 1,
        }),
      );
      return { data: text ?? 'null' };
    },

    'database.updateDocInTransaction': async (request) => {
      const now = db.now();
      const collection = db.requireCollection(request.collectionName);
      const data = decodeEjson(stringField(request, 'data'), 'data', now);
      const upsert = request.upsert === true;
      const result = await db.transactions.run(inTransaction(request), (space) =>
        modifyDocuments(space, {
          collection,
          query: { _id: idField(request) },
          update: updateOf(data, !upsert),
          multi: false,
          upsert,
          now,
        }),
      );
      const upserted = result.upsertedId === null ? null : JSON.stringify([{ _id: result.upsertedId }]);
      return { top: { updated: result.updated, upserted } };
    },

    'database.deleteDocInTransaction': async (request) => {
      const collection = db.requireCollection(request.collectionName);
      const deleted = await db.transactions.run(inTransaction(request), (space) =>
        removeDocuments(space, { collection, query: { _id: idField(request) }, multi: false }),
      );
      return { top: { deleted } };
    },
  };
}

/**
 * TEST-ONLY stand-in for the database helper's `database.*` ActionTable: a fixed collection
 * `users` answering `database.getDocument` by `_id` (EJSON string items, as the SDK expects),
 * so that fault injection can be shown on a database action through the real SDK. Not used by
 * the emulator.
 */
import type { ActionTable } from '../action';
import { PlatformError } from '../action';

export function databaseStub(docs: Readonly<Record<string, Readonly<Record<string, unknown>>>>): ActionTable {
  return {
    'database.getDocument': async (request) => {
      if (request.collectionName !== 'users') {
        throw new PlatformError('DATABASE_COLLECTION_NOT_EXIST', '[ResourceNotFound] Db or Table not exist.');
      }
      const id = (JSON.parse(String(request.query)) as { _id?: unknown })._id;
      const doc = typeof id === 'string' ? docs[id] : undefined;
      return { data: { list: doc ? [JSON.stringify({ _id: id, ...doc })] : [] } };
    },
  };
}

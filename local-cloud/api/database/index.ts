/**
 * The `database.*` actions of the platform API, over the emulator's database (engine/).
 * Request and answer shapes: docs/sdk-protocol.md §2.
 */
import type { ActionTable } from '../action';
import type { Database } from '../../engine/database';
import { readActions } from './read-actions';
import { transactionActions } from './transaction-actions';
import { writeActions } from './write-actions';

export function createDatabaseActions(db: Database): ActionTable {
  return {
    'database.addCollection': async (request) => {
      await db.createCollection(request.collectionName);
      return {};
    },
    ...readActions(db),
    ...writeActions(db),
    ...transactionActions(db),
  };
}

/**
 * database.getDocument (`doc().get()`, `where().orderBy().skip().limit().field().get()`),
 * database.calculateDocument (`count()`) and database.aggregateDocuments (`aggregate().end()`).
 */
import type { ActionTable } from '../action';
import { invalidParam } from '../errors';
import { encodeDocument, type Doc } from '../../engine/codec';
import type { Database } from '../../engine/database';
import { aggregateDocuments } from '../../engine/aggregate';
import { countDocuments, findDocuments } from '../../engine/find';
import { decodeEjson, integerField, optionalObject, orderField, queryField, transactionField } from './params';

/** The platform's default page, and its maximum (the SDK caps `limit()` at 1000 too). */
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

export function readActions(db: Database): ActionTable {
  return {
    'database.getDocument': async (request) => {
      const now = db.now();
      const collection = db.requireCollection(request.collectionName);
      const query = queryField(request, now);
      const offset = integerField(request, 'offset', 0, 0);
      const limit = Math.min(integerField(request, 'limit', DEFAULT_LIMIT, 1), MAX_LIMIT);
      const projection = optionalObject(request, 'projection', now);
      const order = orderField(request, now);
      const list = await db.inSpace(transactionField(request), (space) =>
        findDocuments(space, { collection, query, projection, order, offset, limit }),
      );
      return { data: { list, limit, offset } };
    },

    'database.calculateDocument': async (request) => {
      const collection = db.requireCollection(request.collectionName);
      const query = queryField(request, db.now());
      const total = await db.inSpace(transactionField(request), (space) => countDocuments(space, collection, query));
      return { data: { total } };
    },

    'database.aggregateDocuments': async (request) => {
      const now = db.now();
      const collection = db.requireCollection(request.collectionName);
      const stages = stagesField(request.stages, now);
      const list = await db.inSpace(transactionField(request), (space) =>
        aggregateDocuments({ space }, collection, stages),
      );
      return { data: { list: list.map(encodeDocument) } };
    },
  };
}

/** `[{ stageKey: '$match', stageValue: '<EJSON or JSON text>' }]` → `[{ $match: ... }]`. */
function stagesField(value: unknown, now: number): Doc[] {
  if (!Array.isArray(value)) throw invalidParam('stages must be an array');
  return value.map((stage, i) => {
    const item = stage as { stageKey?: unknown; stageValue?: unknown } | null;
    if (
      !item ||
      typeof item.stageKey !== 'string' ||
      !item.stageKey.startsWith('$') ||
      typeof item.stageValue !== 'string'
    ) {
      throw invalidParam(`stages[${i}] must be { stageKey: "$<stage>", stageValue: <EJSON string> }`);
    }
    return { [item.stageKey]: decodeEjson(item.stageValue, `stages[${i}].stageValue`, now) };
  });
}

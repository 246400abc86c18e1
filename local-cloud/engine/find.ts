/**
 * Reads: `get()` (with `orderBy`, `skip`, `limit`, `field`) and `count()`.
 *
 * Without `orderBy` the scan stops as soon as `skip + limit` documents matched. With it, every
 * match is compared but only the best `skip + limit` are kept (their sort fields and keys, not
 * the documents), then those are read back: memory follows the page asked for, not the data.
 */
import { decodeDocument, encodeDocument, type Doc } from './codec';
import { matchingChunks } from './matching';
import { compileQuery, projectDocuments, sortDocuments } from './mql';
import type { DocumentSpace } from './space';

export interface FindRequest {
  collection: string;
  query: Doc;
  /** MongoDB projection (`field()`), or null for whole documents. */
  projection: Doc | null;
  /** `{ field: 1 | -1 }` in priority order, or null. */
  order: Doc | null;
  offset: number;
  limit: number;
}

/** The matching documents as relaxed EJSON text, ready to answer. */
export async function findDocuments(space: DocumentSpace, request: FindRequest): Promise<string[]> {
  const texts = request.order ? await sortedPage(space, request, request.order) : await firstPage(space, request);
  if (!request.projection) return texts;
  return projectDocuments(texts.map(decodeDocument), request.projection).map(encodeDocument);
}

async function firstPage(space: DocumentSpace, request: FindRequest): Promise<string[]> {
  const page: string[] = [];
  let toSkip = request.offset;
  for await (const matches of matchingChunks(space, request.collection, request.query)) {
    for (const match of matches) {
      if (toSkip > 0) toSkip -= 1;
      else page.push(match.text);
      if (page.length >= request.limit) return page;
    }
  }
  return page;
}

async function sortedPage(space: DocumentSpace, request: FindRequest, order: Doc): Promise<string[]> {
  const keep = request.offset + request.limit;
  const sortFields: Doc = {};
  for (const field of Object.keys(order)) sortFields[field] = 1;
  sortFields._id = 1;
  let best: Doc[] = [];
  for await (const matches of matchingChunks(space, request.collection, request.query)) {
    best.push(
      ...projectDocuments(
        matches.map((m) => m.doc),
        sortFields,
      ),
    );
    if (best.length >= 2 * keep + 256) best = sortDocuments(best, order).slice(0, keep);
  }
  best = sortDocuments(best, order).slice(request.offset, keep);
  const keys = best.map((doc) => space.store.docKey(request.collection, doc._id));
  const texts = await space.read(keys);
  // A document removed since it was compared is left out of the page.
  return texts.filter((text): text is string => text !== undefined);
}

export async function countDocuments(space: DocumentSpace, collection: string, query: Doc): Promise<number> {
  if (space.direct && Object.keys(query).length === 0) return space.store.count(collection);
  let total = 0;
  const predicate = compileQuery(query);
  for await (const matches of matchingChunks(space, collection, query, predicate)) total += matches.length;
  return total;
}

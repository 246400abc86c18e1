/**
 * The documents a query selects, streamed: a query that names its `_id` (`doc(id)`,
 * `_id: _.in([...])`) reads those keys only; any other query scans the collection, decoding a
 * chunk at a time, so memory does not grow with the collection.
 */
import { decodeDocument, isPlainObject, type Doc } from './codec';
import { compileQuery, MATCH_ALL, type Predicate } from './mql';
import type { DocumentSpace } from './space';

export interface Match {
  readonly key: string;
  readonly text: string;
  /** The decoded document (decoded once, when first asked for: an empty query never needs it). */
  readonly doc: Doc;
}

class StoredMatch implements Match {
  private decoded: Doc | null = null;

  constructor(
    readonly key: string,
    readonly text: string,
  ) {}

  get doc(): Doc {
    this.decoded ??= decodeDocument(this.text);
    return this.decoded;
  }
}

export function storedMatch(key: string, text: string): Match {
  return new StoredMatch(key, text);
}

/** The ids a query is limited to, or null when it must scan. */
export function idCandidates(query: Doc): unknown[] | null {
  const id = query._id;
  if (isScalarId(id)) return [id];
  if (isPlainObject(id)) {
    const keys = Object.keys(id);
    if (keys.length === 1 && keys[0] === '$eq' && isScalarId(id.$eq)) return [id.$eq];
    if (keys.length === 1 && keys[0] === '$in' && Array.isArray(id.$in) && id.$in.every(isScalarId)) return id.$in;
  }
  if (Array.isArray(query.$and)) {
    for (const part of query.$and) {
      const found = isPlainObject(part) ? idCandidates(part) : null;
      if (found) return found;
    }
  }
  return null;
}

function isScalarId(value: unknown): value is string | number {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

/** The keys a query's `_id` limits it to (sorted, as a scan would meet them), or null. */
export function candidateKeys(space: DocumentSpace, collection: string, query: Doc): string[] | null {
  const ids = idCandidates(query);
  if (!ids) return null;
  return [...new Set(ids.map((id) => space.store.docKey(collection, id)))].sort();
}

/** The matching documents of a collection, a chunk at a time, in key order. */
export async function* matchingChunks(
  space: DocumentSpace,
  collection: string,
  query: Doc,
  predicate: Predicate = compileQuery(query),
): AsyncGenerator<Match[]> {
  const keys = candidateKeys(space, collection, query);
  if (keys) {
    for (let i = 0; i < keys.length; i += 256) {
      const slice = keys.slice(i, i + 256);
      const texts = await space.read(slice);
      const matches = select(
        slice.map((key, j) => [key, texts[j]]),
        predicate,
      );
      if (matches.length > 0) yield matches;
    }
    return;
  }
  for await (const entries of space.scan(collection)) {
    const matches = select(entries, predicate);
    if (matches.length > 0) yield matches;
  }
}

function select(entries: [string, string | undefined][], predicate: Predicate): Match[] {
  const matches: Match[] = [];
  for (const [key, text] of entries) {
    if (text === undefined) continue;
    const match = new StoredMatch(key, text);
    if (predicate === MATCH_ALL || predicate(match.doc)) matches.push(match);
  }
  return matches;
}

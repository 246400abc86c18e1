/**
 * Writes: `add()`, `doc().set()/update()/remove()`, `where().update()/remove()`.
 *
 * Every read-modify-write holds the locks of its documents from the read until the write is
 * durable. A `doc(id)` operation locks its key before reading it (so `set` decides between
 * replace and insert atomically); a `where()` operation scans, then locks and re-reads each
 * chunk of matches before changing it. A multi-document write is atomic per chunk, not as a
 * whole: like MongoDB's updateMany, an error part-way leaves the chunks before it written.
 */
import { decodeDocument, encodeDocument, encodeValue, isPlainObject, type Doc } from './codec';
import { newDocumentId } from './ids';
import { candidateKeys, idCandidates, matchingChunks, storedMatch, type Match } from './matching';
import { applyOperators, applyOperatorsToAll, compileQuery, failedOperation, MATCH_ALL, type Predicate } from './mql';
import type { DocumentSpace } from './space';
import type { DocWrite } from './store';
import { checkModifierFits } from './update-rules';

/** The platform's (MongoDB's) limit on one document. */
const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

export type Update = { kind: 'replace'; doc: Doc } | { kind: 'operators'; modifier: Doc };

export interface ModifyRequest {
  collection: string;
  query: Doc;
  update: Update;
  multi: boolean;
  upsert: boolean;
  now: number;
}

export interface ModifyResult {
  matched: number;
  /** Documents whose content changed (an update that sets the same values changes none). */
  updated: number;
  /** The `_id` of the document an upsert created, else null. */
  upsertedId: unknown;
  /** A single-document write: the document as it is now (null when none matched). */
  document?: string | null;
}

function encodeChecked(doc: Doc): string {
  const text = encodeDocument(doc);
  if (text.length > MAX_DOCUMENT_BYTES)
    throw failedOperation(`document is larger than the 16 MB limit (_id ${encodeValue(doc._id)})`);
  return text;
}

function duplicateKey(collection: string, id: unknown): Error {
  return failedOperation(
    `E11000 duplicate key error collection: ${collection} index: _id_ dup key: { _id: ${encodeValue(id)} }`,
  );
}

/** Inserts all documents or none; answers their ids in order. */
export async function insertDocuments(
  space: DocumentSpace,
  collection: string,
  docs: Doc[],
  now: number,
): Promise<unknown[]> {
  const prepared = docs.map((doc) => {
    const full = '_id' in doc ? doc : { _id: newDocumentId(now), ...doc };
    return { id: full._id, key: space.store.docKey(collection, full._id), text: encodeChecked(full) };
  });
  const seen = new Set<string>();
  for (const item of prepared) {
    if (seen.has(item.key)) throw duplicateKey(collection, item.id);
    seen.add(item.key);
  }
  const keys = prepared.map((item) => item.key);
  const release = await space.lock(keys);
  try {
    const existing = await space.read(keys);
    const taken = existing.findIndex((text) => text !== undefined);
    if (taken >= 0) throw duplicateKey(collection, prepared[taken].id);
    await space.write(prepared.map((item) => ({ collection, key: item.key, text: item.text, delta: 1 })));
  } finally {
    release();
  }
  return prepared.map((item) => item.id);
}

/**
 * The documents after `update` (in place for operators: each `doc` is a fresh decode), as text;
 * null for those that would not change. All or none: an update that cannot apply to one throws.
 */
function nextTexts(matches: Match[], update: Update, query: Doc): (string | null)[] {
  const ids = matches.map((m) => encodeValue(m.doc._id));
  let docs: Doc[];
  if (update.kind === 'replace') {
    if ('_id' in update.doc && ids.some((id) => encodeValue(update.doc._id) !== id)) throw immutableId();
    const fields = { ...update.doc };
    delete fields._id;
    docs = matches.map((m) => ({ _id: m.doc._id, ...fields }));
  } else {
    docs = matches.map((m) => m.doc);
    for (const doc of docs) checkModifierFits(doc, update.modifier);
    applyOperatorsToAll(docs, update.modifier, query);
    if (docs.some((doc, i) => encodeValue(doc._id) !== ids[i])) throw immutableId();
  }
  return docs.map((doc, i) => {
    const text = encodeChecked(doc);
    return text === matches[i].text ? null : text;
  });
}

function immutableId(): Error {
  return failedOperation("Performing an update on the path '_id' would modify the immutable field '_id'");
}

export async function modifyDocuments(space: DocumentSpace, request: ModifyRequest): Promise<ModifyResult> {
  if (request.multi && request.update.kind === 'replace')
    throw failedOperation('multi update is not supported for replacement-style update');
  const predicate = compileQuery(request.query);
  if (request.multi) return modifyMany(space, request, predicate);
  const keys = candidateKeys(space, request.collection, request.query);
  if (keys && keys.length === 1) {
    const release = await space.lock(keys);
    try {
      const result = await modifyLocked(space, request, predicate, keys[0]);
      if (result || !request.upsert) return result ?? { matched: 0, updated: 0, upsertedId: null, document: null };
      return await insertUpserted(space, request, idCandidates(request.query)![0], keys[0]);
    } finally {
      release();
    }
  }
  const first = await firstMatch(space, request.collection, request.query, predicate);
  if (first) {
    const release = await space.lock([first.key]);
    try {
      const result = await modifyLocked(space, request, predicate, first.key);
      if (result) return result;
    } finally {
      release();
    }
  }
  if (!request.upsert) return { matched: 0, updated: 0, upsertedId: null, document: null };
  const id = newDocumentId(request.now);
  const key = space.store.docKey(request.collection, id);
  const release = await space.lock([key]);
  try {
    return await insertUpserted(space, request, id, key);
  } finally {
    release();
  }
}

/** Updates the document at a locked key if it (still) matches; null if it does not. */
async function modifyLocked(
  space: DocumentSpace,
  request: ModifyRequest,
  predicate: Predicate,
  key: string,
): Promise<ModifyResult | null> {
  const [text] = await space.read([key]);
  if (text === undefined) return null;
  const match = storedMatch(key, text);
  if (!predicate(match.doc)) return null;
  const [next] = nextTexts([match], request.update, request.query);
  if (next !== null) await space.write([{ collection: request.collection, key, text: next, delta: 0 }]);
  return { matched: 1, updated: next === null ? 0 : 1, upsertedId: null, document: next ?? text };
}

async function insertUpserted(
  space: DocumentSpace,
  request: ModifyRequest,
  id: unknown,
  key: string,
): Promise<ModifyResult> {
  const [existing] = await space.read([key]);
  if (existing !== undefined) throw duplicateKey(request.collection, id);
  let doc: Doc;
  if (request.update.kind === 'replace') {
    doc = { _id: id, ...request.update.doc };
  } else {
    doc = { _id: id };
    const equalities = queryEqualities(request.query);
    if (Object.keys(equalities).length > 0) applyOperators(doc, { $set: equalities });
    checkModifierFits(doc, request.update.modifier);
    applyOperators(doc, request.update.modifier);
    doc._id = id;
  }
  const text = encodeChecked(doc);
  await space.write([{ collection: request.collection, key, text, delta: 1 }]);
  return { matched: 0, updated: 0, upsertedId: id, document: text };
}

/** The `field: value` conditions of a query, which MongoDB copies into an upserted document. */
function queryEqualities(query: Doc): Doc {
  const out: Doc = {};
  for (const [field, condition] of Object.entries(query)) {
    if (field === '$and' && Array.isArray(condition)) {
      for (const part of condition) if (isPlainObject(part)) Object.assign(out, queryEqualities(part));
      continue;
    }
    if (field.startsWith('$') || field === '_id') continue;
    if (isPlainObject(condition)) {
      const keys = Object.keys(condition);
      if (keys.length === 1 && keys[0] === '$eq') out[field] = condition.$eq;
      else if (!keys.some((k) => k.startsWith('$'))) out[field] = condition;
    } else if (!(condition instanceof RegExp)) {
      out[field] = condition;
    }
  }
  return out;
}

async function firstMatch(
  space: DocumentSpace,
  collection: string,
  query: Doc,
  predicate: Predicate,
): Promise<Match | null> {
  for await (const matches of matchingChunks(space, collection, query, predicate)) return matches[0];
  return null;
}

/**
 * Chunk by chunk: lock, re-read, update what still matches, write. The next chunk is prepared
 * while the previous one's batch is being written (each keeps its locks until durable).
 */
async function modifyMany(space: DocumentSpace, request: ModifyRequest, predicate: Predicate): Promise<ModifyResult> {
  let matched = 0;
  let updated = 0;
  let inFlight: Promise<unknown> = Promise.resolve();
  try {
    for await (const candidates of matchingChunks(space, request.collection, request.query, predicate)) {
      const keys = candidates.map((m) => m.key);
      const release = await space.lock(keys);
      let written: Promise<void>;
      try {
        const texts = await space.read(keys);
        const current: Match[] = [];
        texts.forEach((text, i) => {
          // Unchanged since the scan matched it: no need to decode and test it again.
          if (text === candidates[i].text) current.push(candidates[i]);
          else if (text !== undefined) {
            const match = storedMatch(keys[i], text);
            if (predicate(match.doc)) current.push(match);
          }
        });
        const next = nextTexts(current, request.update, request.query);
        const writes: DocWrite[] = [];
        next.forEach((text, i) => {
          if (text !== null) writes.push({ collection: request.collection, key: current[i].key, text, delta: 0 });
        });
        matched += current.length;
        written = space.write(writes).then(() => {
          updated += writes.length;
        });
      } catch (error) {
        release();
        throw error;
      }
      const previous = inFlight;
      inFlight = Promise.all([previous, written.finally(release)]);
      await previous;
    }
    await inFlight;
  } catch (error) {
    await inFlight.catch(() => undefined);
    throw error;
  }
  return { matched, updated, upsertedId: null };
}

export interface RemoveRequest {
  collection: string;
  query: Doc;
  multi: boolean;
}

export async function removeDocuments(space: DocumentSpace, request: RemoveRequest): Promise<number> {
  const predicate = compileQuery(request.query);
  let deleted = 0;
  const removeLocked = async (keys: string[]) => {
    const release = await space.lock(keys);
    try {
      const texts = await space.read(keys);
      const writes: DocWrite[] = [];
      for (let i = 0; i < keys.length; i += 1) {
        const text = texts[i];
        if (text === undefined || (predicate !== MATCH_ALL && !predicate(decodeDocument(text)))) continue;
        writes.push({ collection: request.collection, key: keys[i], text: null, delta: -1 });
        if (!request.multi) break;
      }
      await space.write(writes);
      deleted += writes.length;
    } finally {
      release();
    }
  };
  const keys = candidateKeys(space, request.collection, request.query);
  if (keys && (keys.length === 1 || !request.multi)) {
    for (const key of keys) {
      await removeLocked([key]);
      if (deleted > 0 && !request.multi) break;
    }
    return deleted;
  }
  for await (const matches of matchingChunks(space, request.collection, request.query, predicate)) {
    await removeLocked(matches.map((m) => m.key));
    if (deleted > 0 && !request.multi) break;
  }
  return deleted;
}

/**
 * `collection.aggregate()...end()`: the pipeline runs over the collection a chunk at a time.
 * A first `$match` reads only what it selects (by key for an `_id`), document-wise stages
 * (`$project $addFields $unwind ...`) transform each chunk, `$skip $limit $count $sample` count
 * as documents pass, `$limit` stops the scan, `$sort` + `$limit` keeps only the best, `$group`
 * keeps only its groups, `$lookup` reads the other collection. Any other stage (`$sort` alone,
 * `$bucket`, `$facet`...) gets its whole input, within the platform's 100 MB per stage.
 */
import { invalidParam, notEmulated } from '../api/errors';
import { isPlainObject, type Doc } from './codec';
import { groupInParts, planGroup } from './aggregate-group';
import { lookupChunk, parseLookup, type LookupSource } from './aggregate-lookup';
import { matchingChunks } from './matching';
import { MemoryBudget, STAGE_MEMORY_LIMIT } from './memory-budget';
import { compileQuery, failedOperation, runStages, sortDocuments } from './mql';
import type { DocumentSpace } from './space';

type Chunks = AsyncIterable<Doc[]>;

const PER_DOCUMENT = new Set([
  '$match',
  '$project',
  '$addFields',
  '$set',
  '$unset',
  '$unwind',
  '$replaceRoot',
  '$replaceWith',
  '$redact',
]);
const NOT_EMULATED = new Set([
  '$geoNear',
  '$out',
  '$merge',
  '$search',
  '$searchMeta',
  '$collStats',
  '$indexStats',
  '$currentOp',
  '$listSessions',
  '$planCacheStats',
]);

export interface AggregateEnv {
  space: DocumentSpace;
  memoryLimit?: number;
}

export async function aggregateDocuments(
  env: AggregateEnv,
  collection: string,
  stages: Doc[],
  variables?: Doc,
): Promise<Doc[]> {
  const memoryLimit = env.memoryLimit ?? STAGE_MEMORY_LIMIT;
  const source: LookupSource = {
    find: async (name, query) =>
      collect(sourceChunks(env.space, name, query, undefined), new MemoryBudget('$lookup', memoryLimit)),
    aggregate: (name, sub, vars) => aggregateDocuments(env, name, sub, vars),
  };
  let index = 0;
  let chunks: Chunks;
  const first = stages[0] ? splitStage(stages[0]) : null;
  if (first && first.name === '$match') {
    if (!isPlainObject(first.argument)) throw failedOperation('the match filter must be an expression in an object');
    chunks = sourceChunks(env.space, collection, first.argument, variables);
    index = 1;
  } else {
    chunks = sourceChunks(env.space, collection, {}, variables);
  }
  for (; index < stages.length; index += 1) {
    const { name, argument } = splitStage(stages[index]);
    const next = stages[index + 1] ? splitStage(stages[index + 1]) : null;
    if (name === '$sort' && next?.name === '$limit') {
      chunks = bestOf(chunks, sortSpec(argument), positive(next.argument, '$limit'), memoryLimit);
      index += 1;
    } else {
      chunks = applyStage(chunks, name, argument, stages[index], { source, variables, memoryLimit });
    }
  }
  return collect(chunks, new MemoryBudget('the aggregation result', memoryLimit));
}

interface StageContext {
  source: LookupSource;
  variables?: Doc;
  memoryLimit: number;
}

function applyStage(chunks: Chunks, name: string, argument: unknown, stage: Doc, context: StageContext): Chunks {
  if (PER_DOCUMENT.has(name)) return perChunk(chunks, (chunk) => runStages(chunk, [stage], context.variables));
  switch (name) {
    case '$skip':
      return skip(chunks, nonNegative(argument, '$skip'));
    case '$limit':
      return limit(chunks, positive(argument, '$limit'));
    case '$count':
      return count(chunks, countField(argument));
    case '$sample':
      return sample(chunks, sampleSize(argument));
    case '$lookup': {
      const spec = parseLookup(argument);
      return perChunkAsync(chunks, (chunk) => lookupChunk(chunk, spec, context.source, context.variables));
    }
    case '$group': {
      const plan = planGroup(argument);
      if (plan) return once(() => groupInParts(chunks, plan, context.variables, context.memoryLimit));
      return whole(chunks, name, stage, context);
    }
    default:
      if (NOT_EMULATED.has(name)) throw notEmulated(`the aggregation stage ${name}`);
      return whole(chunks, name, stage, context);
  }
}

function splitStage(stage: unknown): { name: string; argument: unknown } {
  if (!isPlainObject(stage)) throw invalidParam('each aggregation stage must be an object');
  const keys = Object.keys(stage);
  if (keys.length !== 1 || !keys[0].startsWith('$'))
    throw failedOperation('A pipeline stage specification object must contain exactly one field.');
  return { name: keys[0], argument: stage[keys[0]] };
}

async function* sourceChunks(space: DocumentSpace, collection: string, query: Doc, variables: Doc | undefined): Chunks {
  if (!space.store.hasCollection(collection)) return;
  for await (const matches of matchingChunks(space, collection, query, compileQuery(query, variables))) {
    yield matches.map((m) => m.doc);
  }
}

async function* perChunk(chunks: Chunks, transform: (chunk: Doc[]) => Doc[]): Chunks {
  for await (const chunk of chunks) {
    const out = transform(chunk);
    if (out.length > 0) yield out;
  }
}

async function* perChunkAsync(chunks: Chunks, transform: (chunk: Doc[]) => Promise<Doc[]>): Chunks {
  for await (const chunk of chunks) {
    const out = await transform(chunk);
    if (out.length > 0) yield out;
  }
}

async function* once(produce: () => Promise<Doc[]>): Chunks {
  const docs = await produce();
  if (docs.length > 0) yield docs;
}

async function* skip(chunks: Chunks, n: number): Chunks {
  let left = n;
  for await (const chunk of chunks) {
    if (left >= chunk.length) {
      left -= chunk.length;
      continue;
    }
    yield left > 0 ? chunk.slice(left) : chunk;
    left = 0;
  }
}

async function* limit(chunks: Chunks, n: number): Chunks {
  let left = n;
  for await (const chunk of chunks) {
    yield chunk.length > left ? chunk.slice(0, left) : chunk;
    left -= Math.min(left, chunk.length);
    if (left === 0) return;
  }
}

async function* count(chunks: Chunks, field: string): Chunks {
  let total = 0;
  for await (const chunk of chunks) total += chunk.length;
  if (total > 0) yield [{ [field]: total }];
}

/** Reservoir sampling: `size` random documents, whatever the input size. */
async function* sample(chunks: Chunks, size: number): Chunks {
  const kept: Doc[] = [];
  let seen = 0;
  for await (const chunk of chunks) {
    for (const doc of chunk) {
      seen += 1;
      if (kept.length < size) kept.push(doc);
      else {
        const slot = Math.floor(Math.random() * seen);
        if (slot < size) kept[slot] = doc;
      }
    }
  }
  for (let i = kept.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [kept[i], kept[j]] = [kept[j], kept[i]];
  }
  if (kept.length > 0) yield kept;
}

/** `$sort` then `$limit n`: keeps the n best seen so far. */
async function* bestOf(chunks: Chunks, spec: Doc, n: number, memoryLimit: number): Chunks {
  let best: Doc[] = [];
  for await (const chunk of chunks) {
    best.push(...chunk);
    if (best.length >= 2 * n + 256) {
      best = sortDocuments(best, spec).slice(0, n);
      new MemoryBudget('$sort', memoryLimit).add(best);
    }
  }
  best = sortDocuments(best, spec).slice(0, n);
  if (best.length > 0) yield best;
}

/** A stage that needs all its input at once. */
async function* whole(chunks: Chunks, name: string, stage: Doc, context: StageContext): Chunks {
  const input = await collect(chunks, new MemoryBudget(name, context.memoryLimit));
  const out = runStages(input, [stage], context.variables);
  if (out.length > 0) yield out;
}

async function collect(chunks: Chunks, budget: MemoryBudget): Promise<Doc[]> {
  const all: Doc[] = [];
  for await (const chunk of chunks) {
    budget.add(chunk);
    all.push(...chunk);
  }
  return all;
}

function sortSpec(argument: unknown): Doc {
  if (!isPlainObject(argument) || Object.keys(argument).length === 0)
    throw failedOperation('$sort key specification must be an object');
  return argument;
}

function positive(argument: unknown, stage: string): number {
  if (typeof argument !== 'number' || !Number.isInteger(argument) || argument <= 0)
    throw failedOperation(`the ${stage} must be positive`);
  return argument;
}

function nonNegative(argument: unknown, stage: string): number {
  if (typeof argument !== 'number' || !Number.isInteger(argument) || argument < 0)
    throw failedOperation(`the ${stage} must be a non-negative integer`);
  return argument;
}

function countField(argument: unknown): string {
  if (typeof argument !== 'string' || argument === '' || argument.startsWith('$') || argument.includes('.')) {
    throw failedOperation('the count field must be a non-empty string, not start with $ and not contain .');
  }
  return argument;
}

function sampleSize(argument: unknown): number {
  if (!isPlainObject(argument)) throw failedOperation('the argument to $sample must be an object');
  return nonNegative(argument.size, '$sample size');
}

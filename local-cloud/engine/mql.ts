/**
 * The MongoDB query language the cloud database speaks, from `mingo` (queries, projections,
 * update operators, aggregation stages), wrapped once here with its options and its errors
 * turned into the platform's. Scripts (`$where`, `$function`, `$accumulator`) are disabled: the
 * platform does not run code sent in a query.
 */
import type {
  Aggregator as MainAggregator,
  Query as MainQuery,
  update as mainUpdate,
  updateMany as mainUpdateMany,
} from 'mingo';
import { Context } from 'mingo';
import { PlatformError } from '../api/action';
import { isPlainObject, type Doc } from './codec';
import { applySimpleUpdate } from './simple-update';

export const DATABASE_REQUEST_FAILED = 'DATABASE_REQUEST_FAILED';

/*
 * mingo's main entry merges its operators into a fresh context on every Query, Aggregator and
 * update given a custom context (most of the time of a point update). So this file builds one
 * context with every operator once, and uses mingo's base classes, which take it as is. Their
 * subpath modules are in mingo's package "exports", which this project's TypeScript module
 * resolution does not read: they are required here, with the main entry's types.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const { Query } = require('mingo/query') as { Query: typeof MainQuery };
const { Aggregator } = require('mingo/aggregator') as { Aggregator: typeof MainAggregator };
const { update: mingoUpdate, updateMany } = require('mingo/updater') as {
  update: typeof mainUpdate;
  updateMany: typeof mainUpdateMany;
};
type Operators = NonNullable<Parameters<typeof Context.init>[0]>;
const OPERATORS = {
  accumulator: require('mingo/operators/accumulator') as Operators['accumulator'],
  expression: require('mingo/operators/expression') as Operators['expression'],
  pipeline: require('mingo/operators/pipeline') as Operators['pipeline'],
  projection: require('mingo/operators/projection') as Operators['projection'],
  query: require('mingo/operators/query') as Operators['query'],
  window: require('mingo/operators/window') as Operators['window'],
};
/* eslint-enable @typescript-eslint/no-require-imports */

type Options = NonNullable<ConstructorParameters<typeof Query>[1]>;

/**
 * MongoDB's `$mod` matches numbers only; mingo's also matches null, booleans and numeric
 * strings (JavaScript's `%` converts them). Queries use this one instead (see fixQuery).
 */
function $emuMod(selector: string, value: unknown): (doc: Doc) => boolean {
  if (!Array.isArray(value) || value.length !== 2 || !value.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    throw failedOperation('malformed mod, needs to be an array of two numbers');
  }
  const [divisor, remainder] = (value as number[]).map(Math.trunc);
  if (divisor === 0) throw failedOperation('divisor cannot be 0');
  const parts = selector.split('.');
  return (doc) =>
    valuesAtPath(doc, parts, 0, []).some(
      (v) => typeof v === 'number' && Number.isFinite(v) && Math.trunc(v) % divisor === remainder,
    );
}

/** Every value a query path reaches, through arrays, as MongoDB compares them. */
function valuesAtPath(value: unknown, parts: string[], index: number, out: unknown[]): unknown[] {
  if (index === parts.length) {
    out.push(value);
    if (Array.isArray(value)) out.push(...value);
  } else if (Array.isArray(value)) {
    if (/^\d+$/.test(parts[index])) valuesAtPath(value[Number(parts[index])], parts, index + 1, out);
    for (const item of value) if (isPlainObject(item)) valuesAtPath(item, parts, index, out);
  } else if (isPlainObject(value) && Object.prototype.hasOwnProperty.call(value, parts[index])) {
    valuesAtPath(value[parts[index]], parts, index + 1, out);
  }
  return out;
}

/** Replaces the query operators mingo gets wrong (not inside `$expr`, an expression). */
function fixQuery(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fixQuery);
  if (!isPlainObject(value)) return value;
  const out: Doc = {};
  for (const [key, item] of Object.entries(value)) {
    out[key === '$mod' ? '$emuMod' : key] = key === '$expr' ? item : fixQuery(item);
  }
  return out;
}

const BASE_OPTIONS: Options = {
  // mingo types its query operators per name; a custom one only fits through a cast.
  context: Context.init({ ...OPERATORS, query: { ...OPERATORS.query, $emuMod } as unknown as Operators['query'] }),
  scriptEnabled: false,
  useStrictMode: true,
  collectionResolver: (name: string) => {
    throw new PlatformError(
      DATABASE_REQUEST_FAILED,
      `[FailedOperation] collection "${name}" cannot be read from inside this stage in the emulator: use $lookup at the top level of the pipeline`,
    );
  },
};

/**
 * mingo's updater adds the operators it needs (those of `$pull` conditions) to its context on
 * each call, copying what the context already holds: updates get an empty one.
 */
const UPDATE_OPTIONS: Options = { ...BASE_OPTIONS, context: Context.init({}) };

function optionsWith(variables?: Doc): Options {
  return variables ? { ...BASE_OPTIONS, variables } : BASE_OPTIONS;
}

/** A MongoDB error reported the way the platform reports the database's own errors. */
export function failedOperation(message: string): PlatformError {
  return new PlatformError(DATABASE_REQUEST_FAILED, `[FailedOperation] ${message}`);
}

function guarded<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof PlatformError) throw error;
    throw failedOperation(error instanceof Error ? error.message : String(error));
  }
}

export type Predicate = (doc: Doc) => boolean;

/** The predicate of an empty query (callers may skip decoding documents for it). */
export const MATCH_ALL: Predicate = () => true;

export function compileQuery(query: Doc, variables?: Doc): Predicate {
  const keys = Object.keys(query);
  if (keys.length === 0) return MATCH_ALL;
  // doc(id): the common case, answered without compiling a query.
  const id = query._id;
  if (keys.length === 1 && (typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id))))
    return (doc) => doc._id === id;
  const compiled = guarded(() => new Query(fixQuery(query) as Doc, optionsWith(variables)));
  return (doc) => guarded(() => compiled.test(doc));
}

/**
 * Applies update operators to `doc` in place. `query` (which
 * `doc` matches) resolves the positional `$` of paths such as `list.$.done`. Values are copied
 * shallowly from the modifier: the document is encoded right after and never changed again.
 */
export function applyOperators(doc: Doc, modifier: Doc, query?: Doc): void {
  if (applySimpleUpdate(doc, modifier)) return;
  const condition = query && hasPositional(modifier) ? query : undefined;
  guarded(() => mingoUpdate(doc, modifier, undefined, condition, { cloneMode: 'copy', queryOptions: UPDATE_OPTIONS }));
}

/** As applyOperators, for many documents at once (mingo's set-up cost is per call). */
export function applyOperatorsToAll(docs: Doc[], modifier: Doc, query?: Doc): void {
  if (docs.length === 1) {
    applyOperators(docs[0], modifier, query);
    return;
  }
  if (docs.length === 0) return;
  if (query && hasPositional(modifier)) {
    for (const doc of docs) applyOperators(doc, modifier, query);
    return;
  }
  guarded(() => updateMany(docs, {}, modifier, { cloneMode: 'copy' }, UPDATE_OPTIONS));
}

function hasPositional(modifier: Doc): boolean {
  return Object.values(modifier).some(
    (fields) => isPlainObject(fields) && Object.keys(fields).some((path) => path.includes('.$')),
  );
}

export function projectDocuments(docs: Doc[], projection: Doc): Doc[] {
  return guarded(() => new Query({}, BASE_OPTIONS).find<Doc>(docs, projection).all());
}

/** Runs stages over documents held in memory (see aggregate.ts for what streams instead). */
export function runStages(docs: Doc[], stages: Doc[], variables?: Doc): Doc[] {
  if (stages.length === 0) return docs;
  const fixed = stages.map((stage) => ('$match' in stage ? { $match: fixQuery(stage.$match) } : stage));
  return guarded(() => new Aggregator(fixed, optionsWith(variables)).run(docs) as Doc[]);
}

/**
 * Sorts in place by a MongoDB sort spec, with mingo's $sort (MongoDB's order of values: numbers
 * < strings < objects < arrays < booleans < dates...). Equal values keep their order.
 */
export function sortDocuments(docs: Doc[], spec: Doc): Doc[] {
  if (Object.keys(spec).length === 0) return docs;
  return runStages(docs, [{ $sort: spec }]);
}

/**
 * `$lookup` against another collection of the store (mingo's own would need the whole foreign
 * collection in memory). Equality form: one read of the foreign collection per chunk of input
 * (by key when `foreignField` is `_id`). Pipeline form (`let` + `pipeline`): the sub-pipeline
 * runs once per input document, with the `let` variables.
 */
import { isPlainObject, type Doc } from './codec';
import { compileQuery, failedOperation, runStages } from './mql';

export interface LookupSpec {
  from: string;
  as: string;
  localField?: string;
  foreignField?: string;
  let?: Doc;
  pipeline?: Doc[];
}

export interface LookupSource {
  /** The documents of `collection` matching `query` (none if it does not exist). */
  find(collection: string, query: Doc): Promise<Doc[]>;
  /** Runs a pipeline on `collection` with extra variables. */
  aggregate(collection: string, stages: Doc[], variables: Doc): Promise<Doc[]>;
}

export function parseLookup(spec: unknown): LookupSpec {
  if (!isPlainObject(spec) || typeof spec.from !== 'string' || typeof spec.as !== 'string') {
    throw failedOperation("$lookup requires 'from' and 'as' strings");
  }
  const lookup: LookupSpec = { from: spec.from, as: spec.as };
  if (spec.localField !== undefined || spec.foreignField !== undefined) {
    if (typeof spec.localField !== 'string' || typeof spec.foreignField !== 'string') {
      throw failedOperation("$lookup requires both 'localField' and 'foreignField' strings");
    }
    lookup.localField = spec.localField;
    lookup.foreignField = spec.foreignField;
  }
  if (spec.pipeline !== undefined) {
    if (!Array.isArray(spec.pipeline) || !spec.pipeline.every(isPlainObject))
      throw failedOperation("$lookup 'pipeline' must be an array of stages");
    lookup.pipeline = spec.pipeline;
    if (spec.let !== undefined) {
      if (!isPlainObject(spec.let)) throw failedOperation("$lookup 'let' must be an object");
      lookup.let = spec.let;
    }
  } else if (!lookup.localField) {
    throw failedOperation("$lookup requires 'localField'/'foreignField' or 'pipeline'");
  }
  return lookup;
}

/** The values a document offers for an equality join: an array's elements, null when missing. */
function joinValues(chunk: Doc[], localField: string): unknown[][] {
  return runStages(chunk, [{ $project: { _id: 0, v: `$${localField}` } }]).map((row) => {
    if (!('v' in row) || row.v === undefined) return [null];
    return Array.isArray(row.v) ? (row.v.length > 0 ? row.v : [[]]) : [row.v];
  });
}

export async function lookupChunk(
  chunk: Doc[],
  spec: LookupSpec,
  source: LookupSource,
  variables: Doc | undefined,
): Promise<Doc[]> {
  const values = spec.localField ? joinValues(chunk, spec.localField) : null;
  if (!spec.pipeline) {
    const field = spec.foreignField!;
    const foreign = await source.find(spec.from, { [field]: { $in: values!.flat() } });
    return chunk.map((doc, i) => {
      const matches = compileQuery({ [field]: { $in: values![i] } });
      return { ...doc, [spec.as]: foreign.filter(matches) };
    });
  }
  const lets =
    spec.let && Object.keys(spec.let).length > 0 ? runStages(chunk, [{ $replaceWith: spec.let }], variables) : null;
  const out: Doc[] = [];
  for (let i = 0; i < chunk.length; i += 1) {
    const stages = values
      ? [{ $match: { [spec.foreignField!]: { $in: values[i] } } }, ...spec.pipeline]
      : spec.pipeline;
    const joined = await source.aggregate(spec.from, stages, { ...variables, ...(lets ? lets[i] : {}) });
    out.push({ ...chunk[i], [spec.as]: joined });
  }
  return out;
}

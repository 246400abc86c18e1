/**
 * `$group` without holding its input: each chunk of documents is grouped on its own (mingo),
 * and the partial groups are merged as they accumulate, so memory follows the number of groups,
 * not of documents. Works for the accumulators whose partial results merge (`$sum $avg $min
 * $max $first $last $push $addToSet $count $mergeObjects`); any other makes the caller fall
 * back to grouping all input at once.
 */
import { encodeValue, isPlainObject, type Doc } from './codec';
import { MemoryBudget } from './memory-budget';
import { failedOperation, runStages } from './mql';

type Finish = { kind: 'avg'; field: string; sum: string; count: string } | { kind: 'flatten' | 'union'; field: string };

interface GroupPlan {
  partial: Doc;
  merge: Doc;
  finish: Finish[];
  fields: string[];
}

const SAME_OPERATOR = new Set(['$sum', '$min', '$max', '$first', '$last', '$mergeObjects']);

/** How to group in parts, or null when an accumulator cannot be merged. */
export function planGroup(spec: unknown): GroupPlan | null {
  if (!isPlainObject(spec) || !('_id' in spec)) throw failedOperation('a group specification must include an _id');
  const plan: GroupPlan = { partial: { _id: spec._id }, merge: { _id: '$_id' }, finish: [], fields: [] };
  let temp = 0;
  for (const [field, accumulator] of Object.entries(spec)) {
    if (field === '_id') continue;
    if (!isPlainObject(accumulator) || Object.keys(accumulator).length !== 1) {
      throw failedOperation(`The field '${field}' must be an accumulator object`);
    }
    const [operator] = Object.keys(accumulator);
    const argument = accumulator[operator];
    plan.fields.push(field);
    if (SAME_OPERATOR.has(operator)) {
      plan.partial[field] = { [operator]: argument };
      plan.merge[field] = { [operator]: `$${field}` };
    } else if (operator === '$count') {
      plan.partial[field] = { $sum: 1 };
      plan.merge[field] = { $sum: `$${field}` };
    } else if (operator === '$avg') {
      const sum = `__emu_sum_${temp}`;
      const count = `__emu_count_${temp}`;
      temp += 1;
      plan.partial[sum] = { $sum: argument };
      plan.partial[count] = { $sum: { $cond: [{ $isNumber: argument }, 1, 0] } };
      plan.merge[sum] = { $sum: `$${sum}` };
      plan.merge[count] = { $sum: `$${count}` };
      plan.finish.push({ kind: 'avg', field, sum, count });
    } else if (operator === '$push' || operator === '$addToSet') {
      plan.partial[field] = { [operator]: argument };
      plan.merge[field] = { $push: `$${field}` };
      plan.finish.push({ kind: operator === '$push' ? 'flatten' : 'union', field });
    } else {
      return null;
    }
  }
  return plan;
}

/** Groups chunk by chunk; answers the groups. */
export async function groupInParts(
  chunks: AsyncIterable<Doc[]>,
  plan: GroupPlan,
  variables: Doc | undefined,
  memoryLimit: number,
): Promise<Doc[]> {
  let partials: Doc[] = [];
  let mergedSize = 0;
  const mergeNow = () => {
    partials = mergeParts(partials, plan);
    mergedSize = partials.length;
    new MemoryBudget('$group', memoryLimit).add(partials);
  };
  for await (const chunk of chunks) {
    partials.push(...runStages(chunk, [{ $group: plan.partial }], variables));
    if (partials.length > 2 * mergedSize + 1024) mergeNow();
  }
  mergeNow();
  return partials.map((group) => finishGroup(group, plan));
}

function mergeParts(partials: Doc[], plan: GroupPlan): Doc[] {
  const merged = runStages(partials, [{ $group: plan.merge }]);
  for (const group of merged) {
    for (const step of plan.finish) {
      if (step.kind === 'avg') continue;
      const lists = (group[step.field] as unknown[][] | undefined) ?? [];
      const flat = lists.flat();
      group[step.field] = step.kind === 'flatten' ? flat : unique(flat);
    }
  }
  return merged;
}

/** MongoDB's set equality: same BSON, field order included. */
function unique(values: unknown[]): unknown[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = encodeValue(value);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function finishGroup(group: Doc, plan: GroupPlan): Doc {
  const out: Doc = { _id: group._id };
  const averages = new Map<string, Finish & { kind: 'avg' }>();
  for (const step of plan.finish) if (step.kind === 'avg') averages.set(step.field, step);
  for (const field of plan.fields) {
    const average = averages.get(field);
    if (average) {
      const count = group[average.count] as number;
      out[field] = count > 0 ? (group[average.sum] as number) / count : null;
    } else {
      out[field] = group[field] === undefined ? null : group[field];
    }
  }
  return out;
}

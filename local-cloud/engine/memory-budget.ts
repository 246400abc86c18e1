/**
 * The platform limits what an aggregation stage may hold in memory to 100 MB (its docs, for
 * `group`; MongoDB's limit for any blocking stage). Stages that must see all their input first
 * count what they hold against it, with this rough size of a JavaScript value.
 */
import { isPlainObject } from './codec';
import { failedOperation } from './mql';

export const STAGE_MEMORY_LIMIT = 100 * 1024 * 1024;

export function approximateBytes(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return 16 + 2 * value.length;
    case 'number':
    case 'boolean':
      return 8;
    case 'object':
      break;
    default:
      return 8;
  }
  if (value === null || value instanceof Date || value instanceof RegExp) return 16;
  if (Array.isArray(value)) {
    let total = 16;
    for (const item of value) total += 8 + approximateBytes(item);
    return total;
  }
  let total = 32;
  if (isPlainObject(value)) {
    for (const key of Object.keys(value)) total += 16 + 2 * key.length + approximateBytes(value[key]);
  }
  return total;
}

export class MemoryBudget {
  private used = 0;

  constructor(
    private readonly stage: string,
    private readonly limit: number,
  ) {}

  add(docs: readonly unknown[]): void {
    for (const doc of docs) this.used += approximateBytes(doc);
    if (this.used > this.limit) {
      throw failedOperation(
        `Exceeded memory limit for ${this.stage}, but didn't allow external sort. Pass allowDiskUse:true to opt in.`,
      );
    }
  }
}

/**
 * The database command values (`db.command.inc` ...) and `db.serverDate()` as plain tagged
 * objects, with the update semantics of the cloud database: a plain object in `update()`
 * is merged field by field, `_.set` replaces, `_.inc` adds, `_.remove` deletes the field,
 * `_.push` appends (MongoDB `$push` with `$each`), `_.pull` / `_.pullAll` remove every equal
 * element (`$pull` / `$pullAll`). Shared by the in-memory test double and the local cloud.
 */
import { EmulatedSdkError } from './emulated-sdk-errors';

const COMMAND_TAG = '$wxCloudLoginCommand';

type CommandValue =
  | { [COMMAND_TAG]: 'inc'; value: number }
  | { [COMMAND_TAG]: 'set'; value: unknown }
  | { [COMMAND_TAG]: 'remove' }
  | { [COMMAND_TAG]: 'push'; values: unknown[] }
  | { [COMMAND_TAG]: 'pull'; value: unknown }
  | { [COMMAND_TAG]: 'pullAll'; values: unknown[] }
  | { [COMMAND_TAG]: 'serverDate'; offset: number };

export const command = {
  inc: (value: number): CommandValue => ({ [COMMAND_TAG]: 'inc', value }),
  set: (value: unknown): CommandValue => ({ [COMMAND_TAG]: 'set', value }),
  remove: (): CommandValue => ({ [COMMAND_TAG]: 'remove' }),
  /** As @cloudbase/database: `push([a, b])` and `push(a, b)` both append a then b. */
  push: (...args: unknown[]): CommandValue => {
    const first = args[0];
    if (isPlainObject(first) && 'each' in first) throw notEmulated('_.push({ each, position, sort, slice })');
    return { [COMMAND_TAG]: 'push', values: Array.isArray(first) ? [...(first as unknown[])] : args };
  },
  pull: (value: unknown): CommandValue => ({ [COMMAND_TAG]: 'pull', value: checkedElement(value, '_.pull') }),
  pullAll: (values: unknown[]): CommandValue => {
    if (!Array.isArray(values)) throw notEmulated('_.pullAll of a non-array');
    return { [COMMAND_TAG]: 'pullAll', values: values.map((v) => checkedElement(v, '_.pullAll')) };
  },
};

export const serverDate = (options?: { offset?: number }): CommandValue => ({
  [COMMAND_TAG]: 'serverDate',
  offset: options?.offset ?? 0,
});

export function isCommand(value: unknown): value is CommandValue {
  return !!value && typeof value === 'object' && COMMAND_TAG in value;
}

export type Doc = Record<string, unknown>;

function isPlainObject(value: unknown): value is Doc {
  return !!value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}

/** A deep copy with every serverDate resolved, for `add` and `set`. */
export function resolveValues(value: unknown, now: Date): unknown {
  if (isCommand(value)) {
    if (value[COMMAND_TAG] === 'serverDate') return new Date(now.getTime() + value.offset);
    if (value[COMMAND_TAG] === 'set') return resolveValues(value.value, now);
    throw new Error(`command ${value[COMMAND_TAG]} is only valid in update`);
  }
  if (value instanceof Date) return new Date(value.getTime());
  if (Array.isArray(value)) return value.map((v) => resolveValues(v, now));
  if (isPlainObject(value)) {
    const out: Doc = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveValues(v, now);
    return out;
  }
  return value;
}

/** Applies an `update({ data })` to a stored document, returning the new document. */
export function applyUpdate(doc: Doc, data: Doc, now: Date): Doc {
  const next = resolveValues(doc, now) as Doc;
  mergeInto(next, data, now);
  return next;
}

function mergeInto(target: Doc, data: Doc, now: Date): void {
  for (const [key, value] of Object.entries(data)) {
    if (key === '_id') continue;
    if (isCommand(value)) {
      applyCommand(target, key, value, now);
    } else if (isPlainObject(value)) {
      const current = target[key];
      const child: Doc = isPlainObject(current) ? current : {};
      mergeInto(child, value, now);
      target[key] = child;
    } else {
      target[key] = resolveValues(value, now);
    }
  }
}

function applyCommand(target: Doc, key: string, value: CommandValue, now: Date): void {
  const current = target[key];
  switch (value[COMMAND_TAG]) {
    case 'inc':
      target[key] = (typeof current === 'number' ? current : 0) + value.value;
      return;
    case 'remove':
      delete target[key];
      return;
    case 'push':
      // $push creates a missing field; it fails on a field that is not an array.
      if (current !== undefined && !Array.isArray(current)) throw notAnArray(key, '$push');
      target[key] = [...((current as unknown[] | undefined) ?? []), ...value.values.map((v) => resolveValues(v, now))];
      return;
    case 'pull':
    case 'pullAll': {
      // $pull and $pullAll leave a missing field missing; they fail on a field that is not an array.
      if (current === undefined) return;
      if (!Array.isArray(current)) throw notAnArray(key, `$${value[COMMAND_TAG]}`);
      const removed = value[COMMAND_TAG] === 'pull' ? [value.value] : value.values;
      target[key] = current.filter((element) => !removed.some((r) => sameElement(element, r)));
      return;
    }
    default:
      target[key] = resolveValues(value, now);
  }
}

type Scalar = string | number | boolean | null | Date;

/** Only scalar elements are emulated: `$pull` with a document is a query, not an equality. */
function checkedElement(value: unknown, api: string): Scalar {
  if (value === null || value instanceof Date || ['string', 'number', 'boolean'].includes(typeof value)) {
    return value as Scalar;
  }
  throw notEmulated(`${api} of a document, an array or a query command`);
}

function sameElement(element: unknown, removed: unknown): boolean {
  if (element instanceof Date && removed instanceof Date) return element.getTime() === removed.getTime();
  return element === removed;
}

function notAnArray(field: string, operator: string): EmulatedSdkError {
  return new EmulatedSdkError(
    'document.update',
    -502001,
    `database request fail. [FailedOperation] ${operator}: the field '${field}' must be an array`,
  );
}

function notEmulated(what: string): Error {
  return new Error(`${what} is not emulated (this project does not use it)`);
}

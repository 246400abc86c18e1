/**
 * The database command values (`db.command.inc` ...) and `db.serverDate()` as plain tagged
 * objects, with the update semantics of the cloud database: a plain object in `update()`
 * is merged field by field, `_.set` replaces, `_.inc` adds, `_.remove` deletes the field.
 * Shared by the in-memory test double and the local cloud.
 */
export const COMMAND_TAG = '$wxCloudLoginCommand';

export type CommandValue =
  | { [COMMAND_TAG]: 'inc'; value: number }
  | { [COMMAND_TAG]: 'set'; value: unknown }
  | { [COMMAND_TAG]: 'remove' }
  | { [COMMAND_TAG]: 'serverDate'; offset: number };

export const command = {
  inc: (value: number): CommandValue => ({ [COMMAND_TAG]: 'inc', value }),
  set: (value: unknown): CommandValue => ({ [COMMAND_TAG]: 'set', value }),
  remove: (): CommandValue => ({ [COMMAND_TAG]: 'remove' }),
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
      const tag = value[COMMAND_TAG];
      if (tag === 'inc') {
        const current = target[key];
        target[key] = (typeof current === 'number' ? current : 0) + value.value;
      } else if (tag === 'remove') delete target[key];
      else target[key] = resolveValues(value, now);
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

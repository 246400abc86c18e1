/**
 * The checks MongoDB makes on an update and mingo does not: mingo silently skips `$inc` on a
 * string or `$push` onto a number, where the platform fails the whole update. Also the one
 * encoding quirk of the SDK: `_.addToSet({ each: [...] })` is sent without the `$` of `$each`.
 */
import { invalidParam } from '../api/errors';
import { isPlainObject, type Doc } from './codec';
import { failedOperation } from './mql';

const OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$push',
  '$pop',
  '$pull',
  '$pullAll',
  '$addToSet',
  '$currentDate',
  '$bit',
]);
const NUMERIC = new Set(['$inc', '$mul']);
const ARRAY_APPEND = new Set(['$push', '$addToSet']);
const ARRAY_REMOVE = new Set(['$pop', '$pull', '$pullAll']);

/** Validates the update operators of `update()` and rewrites the SDK's `{each}` form. */
export function normalizeModifier(value: unknown): Doc {
  if (!isPlainObject(value) || Object.keys(value).length === 0) {
    throw invalidParam('update data must be a non-empty object of update operators');
  }
  const out: Doc = {};
  for (const [operator, fields] of Object.entries(value)) {
    if (!OPERATORS.has(operator)) throw failedOperation(`Unknown modifier: ${operator}`);
    if (!isPlainObject(fields))
      throw failedOperation(`Modifiers operate on fields but we found type ${typeName(fields)} instead`);
    const normalized: Doc = {};
    for (const [path, argument] of Object.entries(fields)) {
      if (path === '' || path.split('.').some((part) => part === ''))
        throw failedOperation(`empty field path in ${operator}`);
      normalized[path] = operator === '$addToSet' ? addToSetArgument(argument) : argument;
      if (operator === '$rename' && typeof argument !== 'string') {
        throw failedOperation(`The 'to' field for $rename must be a string: ${path}`);
      }
    }
    out[operator] = normalized;
  }
  return out;
}

function addToSetArgument(argument: unknown): unknown {
  if (isPlainObject(argument) && Object.keys(argument).length === 1 && Array.isArray(argument.each)) {
    return { $each: argument.each };
  }
  return argument;
}

/** Throws MongoDB's error when `modifier` cannot apply to `doc` (which it leaves untouched). */
export function checkModifierFits(doc: Doc, modifier: Doc): void {
  for (const [operator, fields] of Object.entries(modifier)) {
    for (const [path, argument] of Object.entries(fields as Doc)) {
      if (NUMERIC.has(operator) && typeof argument !== 'number') {
        throw failedOperation(
          `Cannot ${operator === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${show(argument)}}`,
        );
      }
      const found = walk(doc, path, operator !== '$unset' && !ARRAY_REMOVE.has(operator));
      if (!found.reached || found.value === undefined) continue;
      const value = found.value;
      if (NUMERIC.has(operator) && typeof value !== 'number') {
        throw failedOperation(
          `Cannot apply ${operator} to a value of non-numeric type. {_id: ${show(doc._id)}} has the field '${path}' of non-numeric type ${typeName(value)}`,
        );
      }
      if (ARRAY_APPEND.has(operator) && !Array.isArray(value)) {
        throw failedOperation(
          `The field '${path}' must be an array but is of type ${typeName(value)} in document {_id: ${show(doc._id)}}`,
        );
      }
      if (ARRAY_REMOVE.has(operator) && !Array.isArray(value)) {
        throw failedOperation(`Cannot apply ${operator} to a non-array value`);
      }
    }
  }
}

/**
 * Follows a dot path. Positional parts (`$`, `$[]`, `$[x]`) stop the walk: mingo resolves them.
 * When `creating`, a scalar in the way is MongoDB's "Cannot create field" error.
 */
function walk(doc: Doc, path: string, creating: boolean): { reached: boolean; value?: unknown } {
  let current: unknown = doc;
  const parts = path.split('.');
  for (let i = 0; i < parts.length; i += 1) {
    const part = parts[i];
    if (part.startsWith('$')) return { reached: false };
    if (current === undefined) return { reached: true, value: undefined };
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(part)) {
        if (creating) throw cannotCreate(part, parts[i - 1], current);
        return { reached: false };
      }
      current = current[Number(part)];
    } else if (isPlainObject(current)) {
      current = Object.prototype.hasOwnProperty.call(current, part) ? current[part] : undefined;
    } else {
      if (creating) throw cannotCreate(part, parts[i - 1], current);
      return { reached: false };
    }
  }
  return { reached: true, value: current };
}

function cannotCreate(part: string, parent: string | undefined, value: unknown): Error {
  return failedOperation(`Cannot create field '${part}' in element {${parent ?? ''}: ${show(value)}}`);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  if (value instanceof RegExp) return 'regex';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}

function show(value: unknown): string {
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

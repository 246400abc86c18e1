/**
 * The update of almost every point write (`lastLoginAt: serverDate, loginCount: _.inc(1)`):
 * `$set`, `$unset` and `$inc` on paths through plain objects only. mingo's updater costs about
 * as much as the rest of such a write together (it rebuilds its operator tables on each call),
 * so these are applied here directly; anything else (arrays on the way, positional paths,
 * other operators, overlapping paths) answers false and goes to mingo. simple-update.test.ts
 * checks that both give the same documents.
 */
import { isPlainObject, type Doc } from './codec';

const SIMPLE = new Set(['$set', '$unset', '$inc']);

/** Applies `modifier` to `doc` in place and answers true, or answers false having done nothing. */
export function applySimpleUpdate(doc: Doc, modifier: Doc): boolean {
  const paths: string[] = [];
  for (const [operator, fields] of Object.entries(modifier)) {
    if (!SIMPLE.has(operator) || !isPlainObject(fields)) return false;
    for (const path of Object.keys(fields)) {
      if (!simplePath(path) || !objectsAlong(doc, path)) return false;
      if (operator === '$inc' && !incrementable(doc, path, fields[path])) return false;
      paths.push(path);
    }
  }
  if (overlapping(paths)) return false;
  for (const [operator, fields] of Object.entries(modifier) as [string, Doc][]) {
    for (const [path, value] of Object.entries(fields)) {
      if (operator === '$set') setAt(doc, path, value);
      else if (operator === '$unset') unsetAt(doc, path);
      else setAt(doc, path, ((valueAt(doc, path) as number | undefined) ?? 0) + (value as number));
    }
  }
  return true;
}

function simplePath(path: string): boolean {
  return path
    .split('.')
    .every((part) => part !== '' && part !== '__proto__' && !part.startsWith('$') && !/^\d+$/.test(part));
}

/** Every parent on the path is a plain object or missing (so nothing there is an array). */
function objectsAlong(doc: Doc, path: string): boolean {
  let current: unknown = doc;
  const parts = path.split('.');
  for (let i = 0; i < parts.length - 1; i += 1) {
    if (!isPlainObject(current)) return false;
    current = Object.prototype.hasOwnProperty.call(current, parts[i]) ? current[parts[i]] : undefined;
    if (current === undefined) return true;
  }
  return isPlainObject(current);
}

function incrementable(doc: Doc, path: string, by: unknown): boolean {
  const current = valueAt(doc, path);
  return typeof by === 'number' && (current === undefined || typeof current === 'number');
}

/** Two paths where one is (inside) the other: mingo reports MongoDB's conflict error for them. */
function overlapping(paths: string[]): boolean {
  const sorted = [...paths].sort();
  for (let i = 1; i < sorted.length; i += 1) {
    if (sorted[i] === sorted[i - 1] || sorted[i].startsWith(`${sorted[i - 1]}.`)) return true;
  }
  return false;
}

function valueAt(doc: Doc, path: string): unknown {
  let current: unknown = doc;
  for (const part of path.split('.')) {
    if (!isPlainObject(current) || !Object.prototype.hasOwnProperty.call(current, part)) return undefined;
    current = current[part];
  }
  return current;
}

function setAt(doc: Doc, path: string, value: unknown): void {
  const parts = path.split('.');
  let current = doc;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(current[part])) current[part] = {};
    current = current[part] as Doc;
  }
  current[parts[parts.length - 1]] = value;
}

function unsetAt(doc: Doc, path: string): void {
  const parts = path.split('.');
  let current: unknown = doc;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(current)) return;
    current = current[part];
  }
  if (isPlainObject(current)) delete current[parts[parts.length - 1]];
}

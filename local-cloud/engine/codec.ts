/**
 * Documents as text: relaxed Extended JSON, the format of bson's `EJSON.stringify(doc, { relaxed:
 * true })` and of the CloudBase console's JSON Lines import/export. Dates are
 * `{"$date":"<ISO>"}`, regular expressions `{"$regularExpression":{"pattern","options"}}`,
 * non-finite numbers `{"$numberDouble":"NaN"}`, other bson values (ObjectId, Decimal128...)
 * their EJSON form; everything else is plain JSON.
 *
 * The same text is stored in LevelDB and answered to the SDK (`data.list` items), which parses
 * it with bson's EJSON. Hand-written rather than bson's own EJSON because full scans decode
 * every document and bson's parser is five times slower than `JSON.parse` plus this walk.
 */
import { EJSON } from 'bson';
import { PlatformError } from '../api/action';
import { INVALID_PARAM } from '../api/errors';

export type Doc = Record<string, unknown>;

/** A document's field names must be usable as query paths: no `$` prefix, no `.`, not empty. */
export function badFieldName(key: string): boolean {
  return key === '' || key.charCodeAt(0) === 36 /* $ */ || key.includes('.');
}

export function encodeDocument(doc: Doc): string {
  return JSON.stringify(toJson(doc, ''));
}

/** One value as relaxed EJSON (for an `_id` in a message, a JSON Lines export...). */
export function encodeValue(value: unknown): string {
  return JSON.stringify(toJson(value, ''));
}

export function decodeDocument(text: string): Doc {
  const value = fromJson(JSON.parse(text) as unknown, null);
  if (!isPlainObject(value)) throw new Error('a stored document is not an object');
  return value;
}

/**
 * Decodes request text the SDK encoded (canonical EJSON). `serverNow` resolves
 * `{"$tcb_server_date":{"offset":n}}` (db.serverDate) to a Date.
 */
export function decodeRequestValue(text: string, serverNow: number): unknown {
  return fromJson(JSON.parse(text) as unknown, serverNow);
}

export function isPlainObject(value: unknown): value is Doc {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

const MIN_ISO_DATE = Date.UTC(1970, 0, 1);
const MAX_ISO_DATE = Date.UTC(10000, 0, 1);

function toJson(value: unknown, path: string): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (Number.isFinite(value)) return value === 0 ? 0 : value;
      return { $numberDouble: String(value) };
    case 'object':
      break;
    default:
      throw invalidValue(path, `unsupported value of type ${typeof value}`);
  }
  if (value === null) return null;
  if (Array.isArray(value)) return value.map((item, i) => (item === undefined ? null : toJson(item, `${path}.${i}`)));
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw invalidValue(path, 'invalid Date');
    if (ms >= MIN_ISO_DATE && ms < MAX_ISO_DATE) return { $date: value.toISOString() };
    return { $date: { $numberLong: String(ms) } };
  }
  if (value instanceof RegExp) return { $regularExpression: { pattern: value.source, options: value.flags } };
  if (isPlainObject(value)) {
    const out: Doc = {};
    for (const key of Object.keys(value)) {
      const item = value[key];
      if (item === undefined) continue;
      if (badFieldName(key))
        throw invalidValue(path ? `${path}.${key}` : key, 'field names cannot be empty, start with $ or contain .');
      out[key] = toJson(item, path ? `${path}.${key}` : key);
    }
    return out;
  }
  if ('_bsontype' in value) return EJSON.serialize(value, { relaxed: true });
  throw invalidValue(path, 'unsupported object');
}

function invalidValue(path: string, why: string): PlatformError {
  return new PlatformError(INVALID_PARAM, `invalid value${path ? ` at "${path}"` : ''}: ${why}`);
}

/** bson values other than numbers, dates and regexps, decoded by bson itself. */
const BSON_WRAPPERS = new Set([
  '$oid',
  '$numberDecimal',
  '$binary',
  '$uuid',
  '$timestamp',
  '$minKey',
  '$maxKey',
  '$symbol',
  '$code',
  '$dbPointer',
]);
const NOT_A_WRAPPER = Symbol('not a wrapper');

/** Converts EJSON wrappers in place (JSON.parse output is fresh, so mutating it is safe). */
function fromJson(value: unknown, serverNow: number | null): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const item: unknown = value[i];
      if (item !== null && typeof item === 'object') value[i] = fromJson(item, serverNow);
    }
    return value;
  }
  const object = value as Doc;
  let first = true;
  // for...in and no writes for scalars: this walk runs for every document a scan decodes.
  for (const key in object) {
    if (first) {
      first = false;
      if (key.charCodeAt(0) === 36 /* $ */) {
        const decoded = fromWrapper(object, key, serverNow);
        if (decoded !== NOT_A_WRAPPER) return decoded;
      }
    }
    // A plain object, or one whose `$` key is a query or update operator ({$gt: ...}).
    const item = object[key];
    if (item !== null && typeof item === 'object') object[key] = fromJson(item, serverNow);
  }
  return object;
}

function fromWrapper(object: Doc, key: string, serverNow: number | null): unknown {
  const inner = object[key];
  switch (key) {
    case '$date':
      return dateOf(inner);
    case '$regularExpression':
      return regExpOf(inner);
    case '$numberDouble':
    case '$numberInt':
    case '$numberLong':
      return typeof inner === 'string' ? Number(inner) : NOT_A_WRAPPER;
    case '$tcb_server_date': {
      if (serverNow === null || !isPlainObject(inner)) return NOT_A_WRAPPER;
      const offset = fromJson(inner.offset, null) ?? 0;
      if (typeof offset !== 'number' || !Number.isFinite(offset))
        throw invalidValue('', 'serverDate offset must be a number');
      return new Date(serverNow + offset);
    }
    default:
      return BSON_WRAPPERS.has(key) ? (EJSON.deserialize(object, { relaxed: true }) as unknown) : NOT_A_WRAPPER;
  }
}

function dateOf(inner: unknown): Date {
  let ms: number;
  if (typeof inner === 'string') ms = Date.parse(inner);
  else if (typeof inner === 'number') ms = inner;
  else if (isPlainObject(inner) && typeof inner.$numberLong === 'string') ms = Number(inner.$numberLong);
  else ms = NaN;
  if (Number.isNaN(ms)) throw invalidValue('', `invalid $date ${JSON.stringify(inner)}`);
  return new Date(ms);
}

/**
 * JS flags the SDK passes through untouched (`/x/g` arrives as options "g"). `g` only makes
 * RegExp#test stateful and is dropped; MongoDB's own `i m s u` are kept; `x` has no JS
 * equivalent and anything else is refused, as MongoDB refuses unknown flags.
 */
function regExpOf(inner: unknown): RegExp {
  if (!isPlainObject(inner) || typeof inner.pattern !== 'string') {
    throw invalidValue('', 'invalid $regularExpression');
  }
  const options = typeof inner.options === 'string' ? inner.options : '';
  let flags = '';
  for (const flag of options) {
    if (flag === 'g') continue;
    if (!'imsu'.includes(flag)) throw invalidValue('', `regular expression option "${flag}" is not supported`);
    if (!flags.includes(flag)) flags += flag;
  }
  try {
    return new RegExp(inner.pattern, flags);
  } catch (error) {
    throw invalidValue('', `invalid regular expression: ${(error as Error).message}`);
  }
}

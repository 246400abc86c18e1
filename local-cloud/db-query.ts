/**
 * `where()` conditions of the cloud database turned into an nedb query. A nested object
 * matches field by field (`{ profile: { source: 'x' } }` is `profile.source == 'x'`), as on the
 * platform. Only equality is emulated: query commands (`_.gt`, `_.in`, ...) are not in use.
 */
import { isCommand, type Doc } from '../emulation/db-commands';
import { EmulatedSdkError } from '../emulation/emulated-sdk-errors';

export type NedbQuery = Record<string, unknown>;

function isPlainObject(value: unknown): value is Doc {
  return !!value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}

export function toNedbQuery(condition: Doc, api: string): NedbQuery {
  const query: NedbQuery = {};
  flatten(condition, '', query, api);
  return query;
}

function flatten(condition: Doc, prefix: string, into: NedbQuery, api: string): void {
  for (const [key, value] of Object.entries(condition)) {
    if (key.startsWith('$') || key === '') throw invalid(api, `invalid field name in query`);
    const field = prefix + key;
    if (isCommand(value)) throw invalid(api, 'query commands are not emulated by the local cloud');
    if (isPlainObject(value)) flatten(value, `${field}.`, into, api);
    else into[field] = value;
  }
}

const invalid = (api: string, text: string): EmulatedSdkError => new EmulatedSdkError(api, -501007, text);

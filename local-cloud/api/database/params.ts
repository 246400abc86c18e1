/**
 * The fields of `database.*` requests (see docs/sdk-protocol.md §2): EJSON strings for
 * queries, data, projections and orders; plain JSON numbers and booleans for the rest. A field
 * that is not what the SDK sends is INVALID_PARAM, before anything is read or written.
 */
import type { ActionRequest } from '../action';
import { invalidParam } from '../errors';
import { decodeRequestValue, isPlainObject, type Doc } from '../../engine/codec';

export function stringField(request: ActionRequest, field: string): string {
  const value = request[field];
  if (typeof value !== 'string' || value === '') throw invalidParam(`${field} must be a non-empty string`);
  return value;
}

/** Decodes an EJSON string of the request (`$tcb_server_date` resolved at `now`). */
export function decodeEjson(text: string, field: string, now: number): unknown {
  try {
    return decodeRequestValue(text, now);
  } catch (error) {
    if (error instanceof SyntaxError) throw invalidParam(`${field} is not valid EJSON`);
    throw error;
  }
}

export function ejsonObject(text: string, field: string, now: number): Doc {
  const value = decodeEjson(text, field, now);
  if (!isPlainObject(value)) throw invalidParam(`${field} must encode an object`);
  return value;
}

/** An optional EJSON object field; null when absent. */
export function optionalObject(request: ActionRequest, field: string, now: number): Doc | null {
  const value = request[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw invalidParam(`${field} must be an EJSON string`);
  return ejsonObject(value, field, now);
}

/**
 * The query: absent (no `where()`) selects everything. `collection.remove()` without `where()`
 * sends "" — refused rather than guessed (the platform's answer to it is not known).
 */
export function queryField(request: ActionRequest, now: number): Doc {
  const value = request.query;
  if (value === undefined || value === null) return {};
  if (value === '') throw invalidParam('query must not be empty: use where({}) to select every document');
  if (typeof value !== 'string') throw invalidParam('query must be an EJSON string');
  return ejsonObject(value, 'query', now);
}

export function booleanField(request: ActionRequest, field: string, fallback: boolean): boolean {
  const value = request[field];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw invalidParam(`${field} must be a boolean`);
  return value;
}

export function integerField(request: ActionRequest, field: string, fallback: number, min: number): number {
  const value = request[field];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
    throw invalidParam(`${field} must be an integer >= ${min}`);
  return value;
}

export function transactionField(request: ActionRequest): string | undefined {
  const value = request.transactionId;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '') throw invalidParam('transactionId must be a non-empty string');
  return value;
}

/** `orderBy` as `{ field: 1 | -1 }` in priority order. */
export function orderField(request: ActionRequest, now: number): Doc | null {
  const order = optionalObject(request, 'order', now);
  if (!order) return null;
  for (const [field, direction] of Object.entries(order)) {
    if (direction !== 1 && direction !== -1) throw invalidParam(`order of ${field} must be 1 or -1`);
  }
  return Object.keys(order).length > 0 ? order : null;
}

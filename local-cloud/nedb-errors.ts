/** nedb and file failures reported the way the cloud database reports them. */
import type { Doc } from '../emulation/db-commands';
import { EmulatedSdkError, duplicateKey } from '../emulation/emulated-sdk-errors';

export function sdkErrorFromNedb(error: unknown, api: string, id?: string): Error {
  if (error instanceof EmulatedSdkError) return error;
  const { errorType, message } = (error ?? {}) as { errorType?: unknown; message?: unknown };
  if (errorType === 'uniqueViolated') return duplicateKey(api, id ?? '');
  const text = typeof message === 'string' ? message : String(error);
  // nedb's document checks: "$" at the start of a field name, "." in it, and the like.
  if (/field names|cannot/i.test(text)) return new EmulatedSdkError(api, -501007, `invalid parameters. ${text}`);
  return systemError(api, text);
}

const systemError = (api: string, text: string): EmulatedSdkError =>
  new EmulatedSdkError(api, -501001, `resource system error. ${text}`);

/** Runs one nedb operation, rejecting with an SDK-shaped error. */
export async function nedbCall<T>(api: string, action: () => Promise<T>, id?: string): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw sdkErrorFromNedb(error, api, id);
  }
}

/** Runs one write to a collection file; any failure (a full disk...) is a system error. */
export async function storageCall<T>(api: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof EmulatedSdkError) throw error;
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
    throw systemError(api, typeof code === 'string' ? code : typeof message === 'string' ? message : String(error));
  }
}

/**
 * Refuses, before anything is written, the field names nedb cannot store: a leading "$" or a
 * "." anywhere (the checks nedb itself makes on insert and update).
 */
export function checkFieldNames(api: string, doc: Doc): void {
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    if (value === null || typeof value !== 'object' || value instanceof Date) return;
    for (const [key, child] of Object.entries(value)) {
      if (key.startsWith('$')) throw invalidField(api, 'Field names cannot begin with the $ character');
      if (key.includes('.')) throw invalidField(api, 'Field names cannot contain a .');
      visit(child);
    }
  };
  visit(doc);
}

const invalidField = (api: string, text: string): EmulatedSdkError =>
  new EmulatedSdkError(api, -501007, `invalid parameters. ${text}`);

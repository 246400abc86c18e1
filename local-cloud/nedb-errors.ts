/** nedb failures reported the way the cloud database reports them. */
import { EmulatedSdkError, duplicateKey } from '../emulation/sdk-errors';

export function sdkErrorFromNedb(error: unknown, api: string, id?: string): Error {
  if (error instanceof EmulatedSdkError) return error;
  const { errorType, message } = (error ?? {}) as { errorType?: unknown; message?: unknown };
  if (errorType === 'uniqueViolated') return duplicateKey(api, id ?? '');
  const text = typeof message === 'string' ? message : String(error);
  // nedb's document checks: "$" at the start of a field name, "." in it, and the like.
  if (/field names|cannot/i.test(text)) return new EmulatedSdkError(api, -501007, `invalid parameters. ${text}`);
  return new EmulatedSdkError(api, -501001, `resource system error. ${text}`);
}

/** Runs one nedb operation, rejecting with an SDK-shaped error. */
export async function nedbCall<T>(api: string, action: () => Promise<T>, id?: string): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw sdkErrorFromNedb(error, api, id);
  }
}

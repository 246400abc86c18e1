/**
 * The platform error codes the non-database actions answer. The SDK maps a code it knows to
 * its errCode (`INVALID_PARAM` → -501007, `INVALIID_ENV` → -501005, `STORAGE_FILE_NONEXIST` →
 * -503003) and any other to -501001 "resource system error", keeping `message` in errMsg.
 */
import { PlatformError } from './action';

/** Spelled as in the SDK's own table (TCB_ERR_CODE): the correct spelling would map to -501001. */
export const INVALID_ENV = 'INVALIID_ENV';
export const INVALID_PARAM = 'INVALID_PARAM';
export const SYS_ERR = 'SYS_ERR';
export const STORAGE_FILE_NONEXIST = 'STORAGE_FILE_NONEXIST';
export const FUNCTIONS_EXECUTE_FAIL = 'FUNCTIONS_EXECUTE_FAIL';
/** No platform code: the SDK shows -501001 with the message, which says what is missing. */
export const NOT_EMULATED = 'NOT_EMULATED';

export const invalidParam = (message: string): PlatformError => new PlatformError(INVALID_PARAM, message);

export const notEmulated = (what: string): PlatformError =>
  new PlatformError(NOT_EMULATED, `${what} is not emulated by the local CloudBase emulator`);

/**
 * The local cloud's `wx-server-sdk`: the module the functions import when they run in the
 * local cloud (an esbuild alias in the bundle, a jest moduleNameMapper in tests). Each call
 * reaches the local cloud serving it through the call context, so several calls (and several
 * local clouds in one test process) never share state.
 */
import type { WxServerSdkModule } from '../cloud/platform/sdk-surface';
import { EmulatedSdkError } from '../emulation/emulated-sdk-errors';
import { currentCall, parseWxContext, type CallScope } from './call-context';
import type { LocalDatabaseApi } from './nedb-database';
import type { LocalCloudRuntime } from './runtime';
import { checkCloudPath, type FileResult } from './storage';

export const DYNAMIC_CURRENT_ENV = Symbol.for('DYNAMIC_CURRENT_ENV');

function scope(api: string): CallScope {
  const call = currentCall();
  if (!call) throw new Error(`${api}: the local wx-server-sdk is only usable inside a local cloud call`);
  return call;
}

const runtime = (api: string): LocalCloudRuntime => scope(api).runtime;

export function init(config?: { env?: symbol | string; throwOnNotFound?: boolean }): void {
  const call = currentCall();
  if (call && config && 'throwOnNotFound' in config) call.runtime.throwOnNotFound = config.throwOnNotFound !== false;
}

/** What the platform's SDK answers, parsed from the call's WX_* variables with the SDK's rules. */
export function getWXContext(): Record<string, string | number | undefined> {
  const call = currentCall();
  return call ? parseWxContext(call.env) : {};
}

export function database(config?: { throwOnNotFound?: boolean }): LocalDatabaseApi {
  const local = runtime('database');
  const throwOnNotFound =
    config && 'throwOnNotFound' in config ? config.throwOnNotFound !== false : local.throwOnNotFound;
  return local.db.api(throwOnNotFound);
}

export async function uploadFile(param: {
  cloudPath: string;
  fileContent: Buffer | string;
}): Promise<{ fileID: string; statusCode: number; errMsg: string }> {
  const local = runtime('uploadFile');
  const cloudPath = checkCloudPath(param.cloudPath);
  if (!cloudPath) throw new EmulatedSdkError('uploadFile', -501007, 'invalid parameters. cloudPath');
  const { fileID } = await local.storage.upload(cloudPath, Buffer.from(param.fileContent));
  return { fileID, statusCode: 200, errMsg: 'uploadFile:ok' };
}

export async function deleteFile(param: { fileList: string[] }): Promise<{ fileList: FileResult[]; errMsg: string }> {
  const { fileList } = await runtime('deleteFile').storage.deleteFiles(param.fileList);
  return { fileList, errMsg: 'deleteFile:ok' };
}

export async function getTempFileURL(param: { fileList: unknown[] }) {
  const { fileList } = await runtime('getTempFileURL').storage.tempFileURLs(param.fileList);
  return { fileList, errMsg: 'getTempFileURL:ok' };
}

/** Resolves bare cloudID strings for the caller (on the platform, a call to WeChat). */
export async function getOpenData(param: { list: string[] }) {
  const call = scope('getOpenData');
  const context = parseWxContext(call.env);
  const caller = { OPENID: String(context.OPENID ?? ''), APPID: String(context.APPID ?? '') };
  return {
    list: param.list.map((cloudID) => call.runtime.openData.resolve(cloudID, caller)),
    errMsg: 'getOpenData:ok',
  };
}

export function logger() {
  const log = runtime('logger').log;
  return {
    log: (record: Record<string, unknown>) => log('log', record),
    info: (record: Record<string, unknown>) => log('info', record),
    warn: (record: Record<string, unknown>) => log('warn', record),
    error: (record: Record<string, unknown>) => log('error', record),
  };
}

// This module must keep the shape the wrapper (cloud/platform/sdk.ts) expects: checked here.
type ModuleShape<T extends WxServerSdkModule> = T;
export type LocalSdkModule = ModuleShape<typeof import('./local-sdk')>;

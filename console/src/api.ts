/**
 * The console's calls to the emulator: its admin API (`/emulator/admin/*`, local-cloud/console)
 * and the routes the mini program and tests use (`/functions/<name>`, `/open-data/*`,
 * `/emulator/faults`…). Same origin, JSON both ways; a failure throws ApiError with the
 * emulator's message.
 */
import type { CallRecord, CallSummary } from '../../local-cloud/console/activity';
import type { PoolStats } from '../../local-cloud/instances/pool';

export type { CallRecord, CallSummary, PoolStats };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(path, init);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    // Not JSON: kept as text.
  }
  if (!response.ok) {
    const message =
      body && typeof body === 'object' && 'error' in body ? String((body as { error: unknown }).error) : text;
    throw new ApiError(response.status, message || `HTTP ${response.status}`, body);
  }
  return body as T;
}

export const getJson = <T>(path: string): Promise<T> => request<T>(path);

export const postJson = <T>(path: string, body: unknown): Promise<T> =>
  request<T>(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

export const admin = {
  get: <T>(route: string) => getJson<T>(`/emulator/admin/${route}`),
  post: <T>(route: string, body: unknown) => postJson<T>(`/emulator/admin/${route}`, body),
};

export interface Overview {
  env: string;
  appid: string;
  functions: string[];
  instances: PoolStats[];
  recent: CallSummary[];
}

export interface CollectionInfo {
  name: string;
  count: number;
  createdAt: string;
}

export type JsonObject = Record<string, unknown>;

export interface DocumentPage {
  total: number;
  documents: JsonObject[];
}

export interface UserView {
  openid: string;
  unionid: string | null;
  nickName: string | null;
  avatarUrl: string | null;
  avatarPreview: string | null;
  phone: { purePhoneNumber?: string; countryCode?: string } | null;
  loginCount: number | null;
  document: JsonObject;
}

export interface StoredFile {
  cloudPath: string;
  fileID: string;
  size: number;
  modifiedAt: string;
  contentType: string;
  url: string;
}

export interface Caller {
  openid: string;
  unionid?: string;
}

/** A message for the user from any thrown value. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** JSON text typed by the user, as an object, or an Error saying what is wrong. */
export function parseJsonObject(text: string, what: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${what} 不是合法的 JSON：${messageOf(error)}`, { cause: error });
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${what} 必须是 JSON 对象`);
  return value as JsonObject;
}

export const formatTime = (ms: number | string): string => new Date(ms).toLocaleString('zh-CN', { hour12: false });

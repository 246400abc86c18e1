/**
 * Starts the emulator on a free port with a temporary data folder, serving the functions the
 * global setup built (the project's, and the fixtures), and talks to it over HTTP.
 */
import { mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defaultConfig, type LocalCloudConfig } from '../config';
import { decodeDocument, type Doc } from '../engine/codec';
import { Database } from '../engine/database';
import type { LogLevel, LogRecord } from '../log';
import { databaseDir } from '../runtime';
import { startLocalCloud, type LocalCloudServer } from '../server';
import { functionsProject } from './testing/functions-project';

// Each emulator starts its function instances (a Node process each) on first use.
jest.setTimeout(60_000);

export const APPID = defaultConfig().appid;

export interface Caller {
  openid: string;
  unionid?: string;
}

/** What a test can do with any running emulator, over HTTP only. */
export interface CloudClient {
  url: string;
  call(name: string, data: unknown, caller: Caller): Promise<{ status: number; body: unknown }>;
  post(route: string, body: string, headers?: Record<string, string>): Promise<{ status: number; body: unknown }>;
  mintCloudID(caller: Caller, data: Record<string, unknown>): Promise<string>;
  upload(openid: string, cloudPath: string, content: Buffer): Promise<{ status: number; body: unknown }>;
  /** Done with it: stops and deletes an emulator started for the test; leaves a shared one running. */
  close(): Promise<void>;
}

export interface TestCloud extends CloudClient {
  server: LocalCloudServer;
  dataDir: string;
  logs: Array<{ level: LogLevel; record: LogRecord }>;
  /** The clock the cloud sees; move it with `advance`. */
  advance(ms: number): void;
  /** Stops the server, keeping the data folder. */
  stop(): Promise<void>;
  /** Stops the server and deletes the data folder. */
  close(): Promise<void>;
}

/** Set by `npm run emulator:exec` (scripts/emulator-exec.mjs): the emulator it started. */
export const URL_VARIABLE = 'LOCAL_CLOUD_URL';

/**
 * The emulator `npm run emulator:exec` started (LOCAL_CLOUD_URL) when there is one, else one of
 * the test's own. For tests that only talk HTTP and keep to callers of their own (see
 * `uniqueCaller`): a shared emulator serves every test file at once and keeps its data.
 */
export async function useRunningCloud(): Promise<CloudClient> {
  const url = process.env[URL_VARIABLE];
  if (!url) return startTestCloud();
  return { ...httpClient(url.replace(/\/+$/, '')), close: async () => undefined };
}

/** A caller no other test uses (a shared emulator keeps every test's users). */
export function uniqueCaller(name: string): Caller {
  const suffix = `${process.pid.toString(36)}${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;
  return { openid: `o${name}${suffix}`.slice(0, 64) };
}

/** Requests to the emulator at `url`, as the mini program and tests make them. */
export function httpClient(url: string): Omit<CloudClient, 'close'> {
  const request = async (route: string, init: RequestInit) => {
    const response = await fetch(`${url}${route}`, init);
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON (a served file): keep the text.
    }
    return { status: response.status, body };
  };
  const post = (route: string, body: string, headers: Record<string, string> = {}) =>
    request(route, { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...headers } });
  return {
    url,
    call: (name, data, caller) => post(`/functions/${name}`, JSON.stringify({ data, caller })),
    post,
    mintCloudID: async (caller, data) => {
      const { status, body } = await post('/open-data/cloud-id', JSON.stringify({ caller, data }));
      if (status !== 200) throw new Error(`mint failed: ${status} ${JSON.stringify(body)}`);
      return (body as { cloudID: string }).cloudID;
    },
    upload: (openid, cloudPath, content) => {
      const form = new FormData();
      form.append('cloudPath', cloudPath);
      form.append('openid', openid);
      form.append('file', new Blob([content], { type: 'image/png' }), 'tmp_avatar.png');
      // The header the mini program sends (see request-guard.ts).
      return request('/storage/upload', { method: 'POST', body: form, headers: { 'X-Local-Cloud': '1' } });
    },
  };
}

/** The documents of a collection of a stopped emulator's data folder, read from its database. */
export async function storedDocuments(dataDir: string, collection: string): Promise<Doc[]> {
  const db = await Database.open(databaseDir({ dataDir }));
  try {
    const docs: Doc[] = [];
    for await (const entries of db.store.scan(collection)) {
      for (const [, text] of entries) docs.push(decodeDocument(text));
    }
    return docs;
  } finally {
    await db.close();
  }
}

export function tempDataDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'local-cloud-test-'));
}

export async function startTestCloud(
  options: { dataDir?: string; config?: Partial<LocalCloudConfig> } = {},
): Promise<TestCloud> {
  const dataDir = options.dataDir ?? tempDataDir();
  let offset = 0;
  const logs: TestCloud['logs'] = [];
  const server = await startLocalCloud(
    defaultConfig({
      port: 0,
      dataDir,
      ...functionsProject(),
      watchFunctions: false,
      now: () => Date.now() + offset,
      ...options.config,
    }),
    { log: (level, record) => logs.push({ level, record }) },
  );
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await server.close();
  };
  return {
    ...httpClient(server.url),
    server,
    dataDir,
    logs,
    advance: (ms) => {
      offset += ms;
    },
    stop,
    close: async () => {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

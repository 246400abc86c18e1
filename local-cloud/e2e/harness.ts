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

export interface TestCloud {
  server: LocalCloudServer;
  url: string;
  dataDir: string;
  logs: Array<{ level: LogLevel; record: LogRecord }>;
  /** The clock the cloud sees; move it with `advance`. */
  advance(ms: number): void;
  call(name: string, data: unknown, caller: Caller): Promise<{ status: number; body: unknown }>;
  post(route: string, body: string, headers?: Record<string, string>): Promise<{ status: number; body: unknown }>;
  mintCloudID(caller: Caller, data: Record<string, unknown>): Promise<string>;
  upload(openid: string, cloudPath: string, content: Buffer): Promise<{ status: number; body: unknown }>;
  /** Stops the server, keeping the data folder. */
  stop(): Promise<void>;
  /** Stops the server and deletes the data folder. */
  close(): Promise<void>;
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
  const { url } = server;
  let stopped = false;
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
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await server.close();
  };
  return {
    server,
    url,
    dataDir,
    logs,
    advance: (ms) => {
      offset += ms;
    },
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
    stop,
    close: async () => {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

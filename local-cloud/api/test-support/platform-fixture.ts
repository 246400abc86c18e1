/**
 * TEST SUPPORT. An HTTP server serving only the platform API (and the faults admin route), on a
 * free port, with storage in a temporary folder and function folders holding config.json files;
 * plus what the instances layer will provide (tokens → identities, invoke) as recording fakes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { sendJson } from '../../http-io';
import type { LogLevel, LogRecord } from '../../log';
import { OpenDataRegistry } from '../../open-data';
import { LocalStorage } from '../../storage';
import { bucketFor } from '../../config';
import type { ActionTable } from '../action';
import type { CallerIdentity } from '../caller-identity';
import { newSecretId } from '../credential';
import { createFaultsAdminHandler } from '../faults-route';
import type { FunctionsBackend, InvokeCall } from '../functions-actions';
import { ContentSecurity } from '../openapi/content-security-apis';
import { defaultOpenApis, type EmulatedOpenApiTable } from '../openapi/emulated-apis';
import { createPlatformApi, type PlatformApi } from '../platform-api';
import { instanceEnv, runSdk, type SdkOutcome } from './run-sdk';

export const ENV_ID = 'emu-test-env';
export const APPID = 'wxemutest000000001';

export interface FixtureOptions {
  /** Function name → its config.json content (written to the functions folder). */
  configs?: Readonly<Record<string, unknown>>;
  /** Functions the emulator serves, and what each answers when called. */
  functions?: Readonly<Record<string, (data: unknown, call: InvokeCall) => unknown>>;
  actions?: readonly ActionTable[];
  openApis?: (defaults: EmulatedOpenApiTable) => EmulatedOpenApiTable;
  maxUploadBytes?: number;
}

export interface RawRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** The Authorization header the SDK sends, naming `secretId` (the signature is not checked). */
export const tc3Authorization = (secretId: string): string =>
  `TC3-HMAC-SHA256 Credential=${secretId}/2026-01-01/tcb/tc3_request, SignedHeaders=content-type;host, Signature=00`;

export interface PlatformFixture {
  readonly url: string;
  readonly apiUrl: string;
  readonly secretId: string;
  readonly api: PlatformApi;
  readonly storageDir: string;
  readonly openData: OpenDataRegistry;
  /** The emulated content security (word lists, quotas, pending media checks). */
  readonly contentSecurity: ContentSecurity;
  readonly logs: Array<{ level: LogLevel; record: LogRecord }>;
  readonly invocations: Array<{ name: string; data: unknown; call: InvokeCall }>;
  /** A token for a running invocation of `functionName` for `openid` (as the instances layer issues). */
  tokenFor(functionName: string, openid: string): string;
  /** Sends a raw request to the server (the API with the emulator's credential unless headers say otherwise). */
  request(options: RawRequest): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>;
  /** Runs SDK code as an instance of the function the token was issued for. */
  sdk(token: string, script: string, envOverrides?: Record<string, string>): Promise<SdkOutcome>;
  close(): Promise<void>;
}

export async function startPlatformFixture(options: FixtureOptions = {}): Promise<PlatformFixture> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'platform-api-'));
  const functionsRoot = path.join(dir, 'cloudfunctions');
  for (const [name, config] of Object.entries(options.configs ?? {})) {
    mkdirSync(path.join(functionsRoot, name), { recursive: true });
    writeFileSync(path.join(functionsRoot, name, 'config.json'), JSON.stringify(config));
  }
  const storageDir = path.join(dir, 'storage');
  let url = '';
  const storage = new LocalStorage(storageDir, ENV_ID, bucketFor(ENV_ID), () => url);
  const openData = new OpenDataRegistry(Date.now, 5 * 60 * 1000);
  const identities = new Map<string, CallerIdentity & { openid: string }>();
  const logs: PlatformFixture['logs'] = [];
  const invocations: PlatformFixture['invocations'] = [];
  const served = options.functions ?? {};
  const functions: FunctionsBackend = {
    has: (name) => Object.prototype.hasOwnProperty.call(served, name),
    invoke: async (name, data, call) => {
      invocations.push({ name, data, call });
      return served[name](data, call);
    },
  };
  const secretId = newSecretId();
  const contentSecurity = new ContentSecurity();
  const api = createPlatformApi({
    envId: ENV_ID,
    appid: APPID,
    secretId,
    host: '127.0.0.1',
    baseUrl: () => url,
    storage,
    openData,
    contentSecurity,
    identityOf: (token) => identities.get(token) ?? null,
    functions,
    functionsRoot,
    actions: options.actions,
    openApis: options.openApis?.(defaultOpenApis(openData, APPID)),
    maxUploadBytes: options.maxUploadBytes,
    log: (level, record) => logs.push({ level, record }),
  });
  const faultsAdmin = createFaultsAdminHandler(api.faults, { host: '127.0.0.1', log: () => undefined });
  const server = http.createServer((req, res) => {
    void (async () => {
      if (await api.handle(req, res)) return;
      if ((req.url ?? '').split('?')[0] === '/emulator/faults') return faultsAdmin(req, res);
      sendJson(res, 404, { error: 'no route' });
    })();
  });
  // Longer than Node's client keep-alive (5 s), so the SDK never reuses a socket being closed.
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let tokens = 0;
  return {
    url,
    apiUrl: `${url}${api.apiPath}`,
    secretId,
    api,
    storageDir,
    openData,
    contentSecurity,
    logs,
    invocations,
    tokenFor: (functionName, openid) => {
      const token = `tok-${(tokens += 1)}-${functionName}`;
      identities.set(token, { functionName, openid, appid: APPID });
      return token;
    },
    request: ({ method = 'POST', path: requestPath = api.apiPath, headers, body }) =>
      new Promise((resolve, reject) => {
        const req = http.request(
          `${url}${requestPath}`,
          {
            method,
            headers: headers ?? { 'content-type': 'application/json', authorization: tc3Authorization(secretId) },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
          },
        );
        req.on('error', reject);
        req.end(body);
      }),
    sdk: (token, script, envOverrides = {}) => {
      const identity = identities.get(token);
      const env = instanceEnv({
        apiUrl: `${url}${api.apiPath}`,
        envId: ENV_ID,
        secretId,
        appid: APPID,
        openid: identity?.openid ?? '',
        token,
      });
      return runSdk({ ...env, ...envOverrides }, script);
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

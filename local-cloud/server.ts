/**
 * The emulator's HTTP server, one port for everything:
 * - the platform API (`/tcb/...`, see api/platform-api.ts) that the real wx-server-sdk inside the
 *   function instances calls, and the admin routes `/emulator/faults`, `/emulator/content-safety`
 *   and `/emulator/media-checks[/deliver]`: they check their
 *   callers themselves and come before the request guard (the SDK's multipart wx.openApi posts
 *   carry no X-Local-Cloud header);
 * - the function gateway for the mini program's local mode, scripts and tests: `/functions/<name>`,
 *   `/open-data/cloud-id`, `/open-data/phone-code`, `/storage/upload`, `/storage/files/...`, `/health`, behind the request
 *   guard (request-guard.ts).
 * Every failure is answered with a 4xx/5xx and a JSON `{ error }`; the server keeps serving
 * whatever a request or a function does.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { createDatabaseActions } from './api/database';
import { newSecretId } from './api/credential';
import { FaultTable } from './api/fault-table';
import { createFaultsAdminHandler } from './api/faults-route';
import { createPlatformApi, type PlatformApi } from './api/platform-api';
import type { LocalCloudConfig } from './config';
import { ActivityLog } from './console/activity';
import { ADMIN_PREFIX, createAdminHandler } from './console/admin-api';
import { CONSOLE_PATH, serveConsole } from './console/static-files';
import { createExportAdminHandler, EXPORT_ROUTE } from './data-io/export-route';
import { FunctionHost, loadFunctionSpecs } from './function-host';
import { HttpError, sendError, sendJson } from './http-io';
import { consoleSink, type LogSink } from './log';
import { createMediaCheckDelivery } from './media-check-delivery';
import { guardRequest } from './request-guard';
import { createContentSafetyAdmin, type ContentSafetyAdmin } from './route-content-safety';
import { callFunctionRoute, type GatewayDeps } from './route-functions';
import { mintCloudIdRoute, mintPhoneCodeRoute } from './route-open-data';
import { serveFileRoute, uploadRoute } from './route-storage';
import { LocalCloudRuntime } from './runtime';

export const FAULTS_ROUTE = '/emulator/faults';

export interface LocalCloudServer {
  readonly url: string;
  readonly port: number;
  readonly runtime: LocalCloudRuntime;
  readonly functions: FunctionHost;
  readonly api: PlatformApi;
  /** The calls and SDK requests the console's 请求 screen shows. */
  readonly activity: ActivityLog;
  /** Lets running calls finish, stops the instances and the server, closes the database. */
  close(): Promise<void>;
}

export interface StartOptions {
  log?: LogSink;
}

export async function startLocalCloud(config: LocalCloudConfig, options: StartOptions = {}): Promise<LocalCloudServer> {
  const log = options.log ?? consoleSink;
  const specs = loadFunctionSpecs(config);
  const runtime = await LocalCloudRuntime.open(config, log);
  let connections = 0;
  // Filled once the server listens (the instances need its port).
  const started: { ready?: Ready; functions?: FunctionHost } = {};
  let closing = false;
  const inFlight = new Set<Promise<void>>();
  const server = http.createServer(timeouts(config), (req, res) => {
    const { ready } = started;
    if (!ready) {
      sendError(res, 503, 'the local cloud is starting; try again shortly');
      return;
    }
    const state = { closing, overloaded: connections > config.maxConnections, maxConnections: config.maxConnections };
    const handled = route(ready, req, res, state).catch((error: unknown) => {
      if (error instanceof HttpError) {
        req.resume();
        sendError(res, error.status, error.message);
        return;
      }
      log('error', { event: 'request-failed', errorName: error instanceof Error ? error.name : typeof error });
      if (!res.headersSent) sendError(res, 500, 'internal error of the local cloud');
      else res.destroy();
    });
    inFlight.add(handled);
    void handled.finally(() => inFlight.delete(handled));
  });
  // A connection with nothing moving is closed (no 'timeout' listener: Node destroys it).
  server.timeout = config.idleTimeoutMs;
  // Longer than Node's client keep-alive (5 s): the SDK never reuses a socket the server is closing.
  server.keepAliveTimeout = 10_000;
  server.on('connection', (socket) => {
    connections += 1;
    socket.once('close', () => (connections -= 1));
  });
  // Past twice the cap, connections are closed unanswered: each costs nothing but a file descriptor.
  server.maxConnections = 2 * config.maxConnections;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, resolve);
    });
  } catch (error) {
    await runtime.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${urlHost(config.host)}:${port}`;
  runtime.baseUrl = url;
  const secretId = newSecretId();
  const activity = new ActivityLog();
  const api = createPlatformApi({
    envId: config.envId,
    appid: config.appid,
    secretId,
    host: config.host,
    baseUrl: () => url,
    storage: runtime.storage,
    openData: runtime.openData,
    phoneCodes: runtime.phoneCodes,
    contentSecurity: runtime.contentSecurity,
    identityOf: (token) => started.functions?.identityOf(token) ?? null,
    functions: {
      has: (name) => started.functions?.has(name) ?? false,
      invoke: (...args) => started.functions!.backend.invoke(...args),
    },
    functionsRoot: config.functionsRoot ?? rootOf(specs),
    actions: [createDatabaseActions(runtime.db)],
    faults: new FaultTable(),
    maxUploadBytes: config.maxUploadBytes,
    now: config.now,
    log,
    onAction: (record) => activity.operation(record.invocation, record),
  });
  // The instances reach the API on a loopback address, whatever address the server is bound to.
  let functions: FunctionHost;
  try {
    functions = new FunctionHost({
      config,
      specs,
      apiUrl: `http://${apiHost(config.host)}:${port}${api.apiPath}`,
      secretId,
      log,
      calls: {
        started: (call) =>
          activity.callStarted({ requestId: call.requestId, functionName: call.functionName, ...call.identity }),
        ended: (outcome) =>
          activity.callEnded({
            ...outcome,
            ...(outcome.ok ? {} : { errCode: outcome.error.errCode, kind: outcome.error.kind }),
          }),
      },
    });
  } catch (error) {
    server.close();
    await runtime.close();
    throw error;
  }
  started.functions = functions;
  const mediaChecks = createMediaCheckDelivery({
    security: runtime.contentSecurity,
    functions,
    settings: config,
    appid: config.appid,
    now: config.now,
    log,
  });
  started.ready = {
    gateway: { runtime, functions, faults: api.faults },
    api,
    faultsAdmin: createFaultsAdminHandler(api.faults, { host: config.host, log }),
    contentSafetyAdmin: createContentSafetyAdmin({
      security: runtime.contentSecurity,
      delivery: mediaChecks,
      host: config.host,
      log,
    }),
    exportAdmin: createExportAdminHandler(runtime),
    consoleAdmin: createAdminHandler({ runtime, functions, activity }),
  };
  return {
    url,
    port,
    runtime,
    functions,
    api,
    activity,
    close: async () => {
      closing = true;
      mediaChecks.stop();
      // Running calls still need the platform API: they finish before the server stops.
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      await functions.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
      await runtime.close();
    },
  };
}

interface Ready {
  gateway: GatewayDeps;
  api: PlatformApi;
  faultsAdmin: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;
  contentSafetyAdmin: ContentSafetyAdmin;
  exportAdmin: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;
  consoleAdmin: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;
}

/** Slow clients (slowloris) are answered 408 and closed. */
function timeouts(config: LocalCloudConfig): http.ServerOptions {
  return {
    headersTimeout: config.headersTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    // How often Node checks those two; its default (30 s) would let a client overrun them by as much.
    connectionsCheckingInterval: Math.min(1000, config.headersTimeoutMs),
  };
}

interface ServerState {
  closing: boolean;
  /** More connections are open than the gateway serves at once. */
  overloaded: boolean;
  maxConnections: number;
}

async function route(
  ready: Ready,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  { closing, overloaded, maxConnections }: ServerState,
): Promise<void> {
  // The platform API and the admin route check their callers themselves (see their headers). The
  // API serves the calls already running whatever the load: refusing them would fail those calls.
  if (await ready.api.handle(req, res)) return;
  if (overloaded) {
    res.setHeader('Connection', 'close');
    throw new HttpError(503, `more than ${maxConnections} open connections; try again shortly`);
  }
  // The path as sent: no dot-segment normalisation, so a traversal attempt is seen and refused.
  const pathname = (req.url ?? '/').split('?')[0];
  if (pathname === FAULTS_ROUTE) return ready.faultsAdmin(req, res);
  if (await ready.contentSafetyAdmin(pathname, req, res)) return;
  if (pathname === EXPORT_ROUTE) return ready.exportAdmin(req, res);
  if (pathname.startsWith(ADMIN_PREFIX)) return ready.consoleAdmin(req, res);
  const { runtime, functions } = ready.gateway;
  // Web pages in the developer's browser: refused (Host, Origin, CORS preflight), see request-guard.ts.
  if (guardRequest(runtime.config, runtime.log, req, res) === 'answered') return;
  const method = req.method ?? 'GET';
  if (pathname === '/health') {
    const { envId, appid } = runtime.config;
    return sendJson(res, 200, { ok: true, env: envId, appid, functions: functions.names() });
  }
  if (pathname === CONSOLE_PATH || pathname.startsWith(`${CONSOLE_PATH}/`)) return serveConsole(req, res, pathname);
  if (closing) {
    res.setHeader('Connection', 'close');
    throw new HttpError(503, 'the local cloud is stopping');
  }
  const functionName = /^\/functions\/([^/]+)$/.exec(pathname)?.[1];
  if (functionName !== undefined) {
    requireMethod(method, 'POST');
    return callFunctionRoute(ready.gateway, safeDecode(functionName), req, res);
  }
  if (pathname === '/open-data/cloud-id') {
    requireMethod(method, 'POST');
    return mintCloudIdRoute(runtime, req, res);
  }
  if (pathname === '/open-data/phone-code') {
    requireMethod(method, 'POST');
    return mintPhoneCodeRoute(runtime, req, res);
  }
  if (pathname === '/storage/upload') {
    requireMethod(method, 'POST');
    return uploadRoute(runtime, req, res);
  }
  if (pathname.startsWith('/storage/files/')) {
    requireMethod(method, 'GET');
    return serveFileRoute(runtime, pathname.slice('/storage/files/'.length), res);
  }
  throw new HttpError(404, `no route ${method} ${pathname.slice(0, 100)}`);
}

function requireMethod(method: string, expected: string): void {
  if (method !== expected) throw new HttpError(405, `use ${expected}`);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

/** A wildcard bind is reached on loopback. */
function apiHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return urlHost(host);
}

/** The folder holding the function folders (where config.json files are read for cloud-call permissions). */
function rootOf(specs: readonly { dir: string }[]): string {
  return specs.length > 0 ? path.dirname(specs[0].dir) : '.';
}

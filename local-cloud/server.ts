/**
 * The local cloud's HTTP server: routes requests, answers every failure with a 4xx/5xx and a
 * JSON `{ error }`, and keeps serving whatever a request does.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import type { LocalCloudConfig } from './config';
import { FUNCTIONS, type FunctionRegistry } from './functions';
import { HttpError, sendError, sendJson } from './http-io';
import { consoleSink, type LogSink } from './log';
import { callFunctionRoute } from './route-functions';
import { mintCloudIdRoute } from './route-open-data';
import { guardRequest } from './request-guard';
import { serveFileRoute, uploadRoute } from './route-storage';
import { LocalCloudRuntime } from './runtime';

export interface LocalCloudServer {
  readonly url: string;
  readonly port: number;
  readonly runtime: LocalCloudRuntime;
  /** Stops accepting requests, lets running ones finish, persists the database. */
  close(): Promise<void>;
}

export interface StartOptions {
  log?: LogSink;
  /** The functions served (default: all of cloud/functions, see functions.ts). */
  functions?: FunctionRegistry;
}

export async function startLocalCloud(config: LocalCloudConfig, options: StartOptions = {}): Promise<LocalCloudServer> {
  const log = options.log ?? consoleSink;
  const runtime = await LocalCloudRuntime.open(config, log, options.functions ?? FUNCTIONS);
  let connections = 0;
  const server = http.createServer(timeouts(config), (req, res) => {
    if (connections > config.maxConnections) {
      res.setHeader('Connection', 'close');
      sendError(res, 503, `more than ${config.maxConnections} open connections; try again shortly`);
      return;
    }
    route(runtime, req, res).catch((error: unknown) => {
      if (error instanceof HttpError) {
        req.resume();
        sendError(res, error.status, error.message);
        return;
      }
      log('error', { event: 'request-failed', errorName: error instanceof Error ? error.name : typeof error });
      if (!res.headersSent) sendError(res, 500, 'internal error of the local cloud');
      else res.destroy();
    });
  });
  // A connection with nothing moving is closed (no 'timeout' listener: Node destroys it).
  server.timeout = config.idleTimeoutMs;
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
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  runtime.baseUrl = url;
  return {
    url,
    port,
    runtime,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
      await runtime.close();
    },
  };
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

async function route(runtime: LocalCloudRuntime, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  // Web pages in the developer's browser: refused (Host, Origin, CORS preflight), see request-guard.ts.
  if (guardRequest(runtime.config, runtime.log, req, res) === 'answered') return;
  // The path as sent: no dot-segment normalisation, so a traversal attempt is seen and refused.
  const pathname = (req.url ?? '/').split('?')[0];
  const method = req.method ?? 'GET';
  if (pathname === '/health') {
    const { envId, appid } = runtime.config;
    return sendJson(res, 200, { ok: true, env: envId, appid, functions: Object.keys(runtime.functions) });
  }
  const functionName = /^\/functions\/([^/]+)$/.exec(pathname)?.[1];
  if (functionName !== undefined) {
    requireMethod(method, 'POST');
    return callFunctionRoute(runtime, safeDecode(functionName), req, res);
  }
  if (pathname === '/open-data/cloud-id') {
    requireMethod(method, 'POST');
    return mintCloudIdRoute(runtime, req, res);
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

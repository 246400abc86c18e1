/**
 * The platform API of the emulator: what the real wx-server-sdk calls from inside a function
 * instance (`TCB_CONTEXT_CNFG.URL`), plus the two storage routes its answers point to.
 *
 *   POST     <basePath>/api             JSON actions; multipart for wx.openApi
 *   PUT      <basePath>/upload/<token>  uploadFile's bytes (URL from storage.getUploadMetadata)
 *   GET|HEAD <basePath>/files/<path>    temp URLs (getTempFileURL, downloadFile)
 *
 * Only this emulator's instances may call the API: they hold its per-run SecretId (see
 * credential.ts); anything else is answered 401, web pages 403. Every answer the SDK should
 * understand is HTTP 200: `{ requestId, data, … }` or the platform error
 * `{ requestId, code, message }` (see docs/sdk-protocol.md §1.5).
 */
import { randomBytes } from 'crypto';
import type { IncomingMessage, ServerResponse } from 'http';
import { performance } from 'perf_hooks';
import { HttpError, sendJson } from '../http-io';
import { consoleSink, type LogSink } from '../log';
import type { LocalStorage } from '../storage';
import { PlatformError, type ActionContext, type ActionRequest, type ActionResult, type ActionTable } from './action';
import { refuseBrowser } from './browser-guard';
import { callerOf, type IdentityOf } from './caller-identity';
import { hasCredential } from './credential';
import { INVALID_ENV, notEmulated, SYS_ERR } from './errors';
import { FaultTable, type FaultSubject } from './fault-table';
import { createFunctionsActions, type FunctionsBackend } from './functions-actions';
import { defaultOpenApis, type EmulatedOpenApiTable, type OpenDataResolver } from './openapi/emulated-apis';
import { ContentSecurity } from './openapi/content-security-apis';
import { createOpenApiActions } from './openapi/openapi-action';
import { configJsonPermissions, type OpenApiPermissions } from './openapi/permissions';
import { readActionRequest } from './request-body';
import type { PhoneCodes } from '../../emulation/phone-codes';
import { createStorageActions } from './storage/storage-actions';
import { ownFileIdOfUrl } from './storage/own-file-urls';
import { receiveUpload, serveTempUrl, type StorageHttpOptions } from './storage/storage-http';
import { TempUrlSigner } from './storage/temp-urls';
import { UploadTokens } from './storage/upload-tokens';

export const DEFAULT_BASE_PATH = '/tcb';
/** Database documents may be large (16 MB on the platform); a body past this is refused 413. */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface PlatformApiOptions {
  envId: string;
  appid: string;
  /** The TENCENTCLOUD_SECRETID given to this run's instances (credential.ts `newSecretId`). */
  secretId: string;
  /** The address the server is bound to (requests must name it, or a loopback name, in Host). */
  host: string;
  /** The server's own URL (`http://127.0.0.1:3000`), known once it listens. */
  baseUrl: () => string;
  /** Prefix of the routes above (default `/tcb`). */
  basePath?: string;
  storage: LocalStorage;
  openData: OpenDataResolver;
  /** The codes of the getPhoneNumber button, minted by `POST /open-data/phone-code`. */
  phoneCodes?: PhoneCodes;
  /** Word lists and pending media checks of security.msgSecCheck / mediaCheckAsync. */
  contentSecurity?: ContentSecurity;
  identityOf: IdentityOf;
  functions: FunctionsBackend;
  /** Where `<name>/config.json` declares a function's cloud calls (`cloudfunctions`). */
  functionsRoot: string;
  /** Further actions: the database's `database.*` table. */
  actions?: readonly ActionTable[];
  /** The emulated wx.openApi APIs (default: getOpenData). */
  openApis?: EmulatedOpenApiTable;
  /** Overrides the config.json reader (tests). */
  permissionsOf?: OpenApiPermissions;
  faults?: FaultTable;
  maxBodyBytes?: number;
  maxUploadBytes?: number;
  now?: () => number;
  log?: LogSink;
  /** Told of every action answered, with the invocation that made it (the console's 请求 screen). */
  onAction?: (record: ActionRecord) => void;
}

/** One SDK request as the console shows it: nothing of its content, only what and how it went. */
export interface ActionRecord {
  /** The request id of the calling invocation, undefined when no running call sent it. */
  invocation: string | undefined;
  action: string;
  collection?: string;
  /** Milliseconds since the epoch, when it arrived. */
  at: number;
  durationMs: number;
  /** `OK`, or the platform error code answered. */
  code: string;
}

export interface PlatformApi {
  /** The path of the JSON API: inject `TCB_CONTEXT_CNFG={"URL":"<baseUrl><apiPath>"}`. */
  readonly apiPath: string;
  readonly faults: FaultTable;
  /** Answers a request on one of the platform routes (true); leaves any other untouched (false). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}

export function createPlatformApi(options: PlatformApiOptions): PlatformApi {
  const basePath = options.basePath ?? DEFAULT_BASE_PATH;
  const apiPath = `${basePath}/api`;
  const now = options.now ?? Date.now;
  const log = options.log ?? consoleSink;
  const faults = options.faults ?? new FaultTable();
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const storageHttp: StorageHttpOptions = {
    storage: options.storage,
    uploads: new UploadTokens(now),
    urls: new TempUrlSigner(now),
    maxUploadBytes: options.maxUploadBytes ?? 50 * 1024 * 1024,
    log,
  };
  const actions = mergeTables([
    createStorageActions({ ...storageHttp, publicBase: () => `${options.baseUrl()}${basePath}` }),
    createFunctionsActions(options.functions, options.identityOf),
    createOpenApiActions({
      apis:
        options.openApis ??
        defaultOpenApis(options.openData, options.appid, options.phoneCodes, now, {
          contentSecurity: options.contentSecurity ?? new ContentSecurity({ log }),
          fileIdOfUrl: (url) =>
            ownFileIdOfUrl(
              url,
              [`${options.baseUrl()}${basePath}/files/`, `${options.baseUrl()}/storage/files/`],
              options.storage,
            ),
        }),
      identityOf: options.identityOf,
      permissionsOf: options.permissionsOf ?? configJsonPermissions(options.functionsRoot, log),
      appid: options.appid,
    }),
    ...(options.actions ?? []),
  ]);
  const requestIds = requestIdSource();

  const refuse = (req: IncomingMessage, res: ServerResponse, status: number, message: string, reason: string) => {
    log('warn', { event: 'platform-api-refused', reason });
    req.resume();
    sendJson(res, status, { requestId: requestIds(), code: status === 401 ? 'AUTH_FAILED' : 'ACCESS_DENIED', message });
  };

  async function serveAction(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return refuse(req, res, 405, 'the platform API takes POST', 'method');
    if (!hasCredential(req.headers.authorization, options.secretId)) {
      return refuse(
        req,
        res,
        401,
        'only the function instances of this emulator may call its platform API',
        'credential',
      );
    }
    const requestId = requestIds();
    let request: ActionRequest;
    try {
      request = await readActionRequest(req, maxBodyBytes);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      if (error.status === 413) res.setHeader('Connection', 'close');
      req.resume();
      return sendJson(res, error.status, { requestId, code: 'INVALID_PARAM', message: error.message });
    }
    const source = req.headers['x-tcb-source'];
    const context: ActionContext = { requestId, source: typeof source === 'string' ? source : '' };
    const at = Date.now();
    const started = performance.now();
    // Resolved first: a call that does not wait for its SDK request may have ended by its answer.
    const invocation = options.onAction ? callerOf(request, options.identityOf)?.requestId : undefined;
    const answer = await runAction(request, context);
    options.onAction?.({
      invocation,
      action: typeof request.action === 'string' ? request.action.slice(0, 100) : '',
      ...(typeof request.collectionName === 'string' ? { collection: request.collectionName.slice(0, 100) } : {}),
      at,
      durationMs: performance.now() - started,
      code: typeof answer.top?.code === 'string' ? answer.top.code : 'OK',
    });
    if (answer.binary) {
      res.writeHead(200, { 'Content-Type': answer.binary.contentType, 'Content-Length': answer.binary.body.length });
      res.end(answer.binary.body);
      return;
    }
    sendJson(
      res,
      200,
      answer.data === undefined ? { requestId, ...answer.top } : { requestId, ...answer.top, data: answer.data },
    );
  }

  /** The action's result, or its platform error as `top` (`{ code, message }`). */
  async function runAction(request: ActionRequest, context: ActionContext): Promise<ActionResult> {
    const action = typeof request.action === 'string' ? request.action : '';
    try {
      if (request.envName !== options.envId) {
        throw new PlatformError(
          INVALID_ENV,
          `env "${String(request.envName).slice(0, 64)}" does not exist; this emulator serves "${options.envId}"`,
        );
      }
      const handler = Object.prototype.hasOwnProperty.call(actions, action) ? actions[action] : undefined;
      if (!handler) throw notEmulated(`the action "${action.slice(0, 100)}"`);
      if (faults.active) {
        const fault = faults.decide(faultSubject(request, action, options.identityOf));
        if (fault.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
        if (fault.error) throw fault.error;
      }
      return await handler(request, context);
    } catch (error) {
      if (error instanceof PlatformError) return { top: { code: error.code, message: error.message } };
      log('error', {
        event: 'platform-action-failed',
        action: action.slice(0, 100),
        errorName: errorName(error),
        requestId: context.requestId,
      });
      return {
        top: { code: SYS_ERR, message: `internal error of the emulator (request ${context.requestId}, see its log)` },
      };
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const [pathname, queryText = ''] = (req.url ?? '/').split('?', 2);
    const route = routeOf(pathname, basePath, apiPath);
    if (!route) return false;
    try {
      const refusal = refuseBrowser(req, options.host);
      if (refusal) {
        refuse(req, res, 403, refusal.message, refusal.reason);
        return true;
      }
      if (route.kind === 'api') await serveAction(req, res);
      else if (route.kind === 'upload') {
        if (req.method !== 'PUT') refuse(req, res, 405, 'uploads take PUT', 'method');
        else await receiveUpload(storageHttp, route.rest, req, res);
      } else if (req.method !== 'GET' && req.method !== 'HEAD') refuse(req, res, 405, 'files take GET', 'method');
      else await serveTempUrl(storageHttp, route.rest, new URLSearchParams(queryText), req, res);
    } catch (error) {
      log('error', { event: 'platform-route-failed', route: route.kind, errorName: errorName(error) });
      if (!res.headersSent) sendJson(res, 500, { code: SYS_ERR, message: 'internal error of the emulator' });
      else res.destroy();
    }
    return true;
  }

  return { apiPath, faults, handle };
}

type Route = { kind: 'api' | 'upload' | 'files'; rest: string };

function routeOf(pathname: string, basePath: string, apiPath: string): Route | null {
  if (pathname === apiPath) return { kind: 'api', rest: '' };
  for (const kind of ['upload', 'files'] as const) {
    const prefix = `${basePath}/${kind}/`;
    if (pathname.startsWith(prefix)) return { kind, rest: pathname.slice(prefix.length) };
  }
  return null;
}

/**
 * What fault rules match on. `function` is the function called for invokeFunction, else the
 * function making the call.
 */
export function faultSubject(request: ActionRequest, action: string, identityOf: IdentityOf): FaultSubject {
  const subject: FaultSubject = { action };
  if (typeof request.collectionName === 'string') subject.collection = request.collectionName;
  if (action === 'wx.openApi' && typeof request.apiName === 'string') subject.apiName = request.apiName;
  if (action === 'functions.invokeFunction') {
    if (typeof request.function_name === 'string') subject.function = request.function_name;
  } else {
    const caller = callerOf(request, identityOf);
    if (caller) subject.function = caller.functionName;
  }
  return subject;
}

function mergeTables(tables: readonly ActionTable[]): ActionTable {
  const merged: Record<string, ActionTable[string]> = Object.create(null);
  for (const table of tables) {
    for (const [action, handler] of Object.entries(table)) {
      if (action in merged) throw new Error(`action ${action} is handled twice`);
      merged[action] = handler;
    }
  }
  return merged;
}

/** `emu-<run>-<n>`: unique within the run, and across runs. */
function requestIdSource(): () => string {
  const run = randomBytes(4).toString('hex');
  let counter = 0;
  return () => `emu-${run}-${(counter += 1)}`;
}

const errorName = (error: unknown): string => (error instanceof Error ? error.name : typeof error);

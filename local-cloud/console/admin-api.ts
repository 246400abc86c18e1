/**
 * The console's JSON API, `/emulator/admin/*`. Only programs and the emulator's own pages may
 * call it (api/browser-guard.ts: a foreign Origin or Host is refused 403), and every write is
 * a POST of `application/json`, which no cross-site form can send:
 *   GET  overview              functions, their instances and the latest calls
 *   GET  requests              the kept calls, newest first (activity.ts)
 *   GET  requests/<requestId>  one call with its SDK operations and its lines
 *   POST requests              { op: "clear" }
 *   GET  collections           names and counts
 *   POST database              { op: "browse" | "add" | "replace" | "delete" | "clear", collection, … }
 *   GET  users?offset&limit    the users collection as the 用户 view shows it
 *   POST storage               { op: "list", prefix? } | { op: "delete", fileID }
 * Errors are `{ error, code? }` with a 4xx status.
 */
import { PlatformError } from '../api/action';
import { answerError, guardedAdminRoute, type RouteHandler } from '../api/admin-route';
import type { FunctionHost } from '../function-host';
import { HttpError, readJsonObject, sendJson } from '../http-io';
import type { LocalCloudRuntime } from '../runtime';
import type { ActivityLog } from './activity';
import * as data from './console-data';

export const ADMIN_PREFIX = '/emulator/admin/';
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const RECENT_CALLS = 20;

export interface AdminDeps {
  runtime: LocalCloudRuntime;
  functions: FunctionHost;
  activity: ActivityLog;
}

type Handler = (deps: AdminDeps, body: Record<string, unknown>, query: URLSearchParams) => Promise<unknown> | unknown;

const GET: Readonly<Record<string, Handler>> = {
  overview: ({ runtime, functions, activity }) => ({
    env: runtime.config.envId,
    appid: runtime.config.appid,
    functions: functions.names(),
    instances: functions.stats(),
    recent: activity.summaries().slice(0, RECENT_CALLS),
  }),
  requests: ({ activity }) => ({ calls: activity.summaries(), unattributed: activity.unattributedOperations }),
  collections: ({ runtime }) => ({ collections: data.collections(runtime.db) }),
  users: async ({ runtime }, _body, query) => {
    const page = await data.browse(runtime.db, {
      collection: 'users',
      offset: query.has('offset') ? Number(query.get('offset')) : undefined,
      limit: query.has('limit') ? Number(query.get('limit')) : undefined,
    });
    return { total: page.total, users: page.documents.map((doc) => userView(runtime, doc)) };
  },
};

const POST: Readonly<Record<string, Handler>> = {
  requests: ({ activity }, body) => {
    if (body.op !== 'clear') throw new HttpError(400, 'op must be "clear"');
    activity.clear();
    return { cleared: true };
  },
  database: ({ runtime }, body) => {
    switch (body.op) {
      case 'browse':
        return data.browse(runtime.db, body);
      case 'add':
        return data.addDocument(runtime.db, body);
      case 'replace':
        return data.replaceDocument(runtime.db, body);
      case 'delete':
        return data.deleteDocument(runtime.db, body);
      case 'clear':
        return data.clearCollection(runtime.db, body);
      default:
        throw new HttpError(400, 'op must be "browse", "add", "replace", "delete" or "clear"');
    }
  },
  storage: ({ runtime }, body) => {
    if (body.op === 'list') return data.listFiles(runtime, body.prefix);
    if (body.op === 'delete') return data.deleteFile(runtime, body.fileID);
    throw new HttpError(400, 'op must be "list" or "delete"');
  },
};

export function createAdminHandler(deps: AdminDeps): RouteHandler {
  const { runtime } = deps;
  return guardedAdminRoute('admin', { host: runtime.config.host, log: runtime.log }, async (req, res) => {
    const [pathname, queryText = ''] = (req.url ?? '/').split('?', 2);
    const route = pathname.slice(ADMIN_PREFIX.length);
    const method = req.method ?? 'GET';
    const detail = /^requests\/([^/]+)$/.exec(route);
    try {
      if (method === 'GET' && detail) {
        const call = deps.activity.get(decodeURIComponent(detail[1]));
        if (!call) throw new HttpError(404, 'no such call (or no longer kept)');
        return sendJson(res, 200, call);
      }
      const table = method === 'GET' ? GET : method === 'POST' ? POST : undefined;
      const handler = table && Object.prototype.hasOwnProperty.call(table, route) ? table[route] : undefined;
      if (!handler) {
        const other = method === 'GET' ? POST : GET;
        if (Object.prototype.hasOwnProperty.call(other, route))
          throw new HttpError(405, `use ${method === 'GET' ? 'POST' : 'GET'}`);
        throw new HttpError(404, `no admin route ${method} ${route.slice(0, 100)}`);
      }
      const body = method === 'POST' ? await readJsonObject(req, MAX_BODY_BYTES) : {};
      sendJson(res, 200, await handler(deps, body, new URLSearchParams(queryText)));
    } catch (error) {
      if (error instanceof PlatformError) {
        return answerError(req, res, error.code.includes('NOT_EXIST') ? 404 : 400, error.message, error.code);
      }
      if (error instanceof URIError) throw new HttpError(400, 'malformed request id');
      throw error;
    }
  });
}

/** A users document as the 用户 view lists it; the avatar preview is a same-origin URL when stored here. */
function userView(runtime: LocalCloudRuntime, doc: unknown) {
  const user = (doc ?? {}) as Record<string, unknown>;
  const profile = (user.profile ?? null) as Record<string, unknown> | null;
  const avatar = profile?.avatarUrl;
  return {
    openid: user._id,
    unionid: user.unionid ?? null,
    nickName: typeof profile?.nickName === 'string' ? profile.nickName : null,
    avatarUrl: typeof avatar === 'string' ? avatar : null,
    avatarPreview: data.avatarUrl(runtime, avatar),
    phone: user.phone ?? null,
    loginCount: user.loginCount ?? null,
    document: doc,
  };
}

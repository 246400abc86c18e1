/**
 * The local cloud's settings: defaults, overridden by environment variables, overridden by
 * command-line flags. Everything a test needs to control (port, folder, clock) is here.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CLOUD_ID_TTL_MS } from '../emulation/cloud-id-resolution';
import {
  applyContentSafetyFlag,
  CONTENT_SAFETY_FLAGS,
  CONTENT_SAFETY_USAGE,
  DEFAULT_CONTENT_SAFETY,
  type ContentSafetySettings,
} from './content-safety-flags';

export interface LocalCloudConfig extends ContentSafetySettings {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Holds database/ (the document database) and storage/ (uploaded files). */
  dataDir: string;
  /** The cloudbaserc.json whose functions are served (its `functionRoot` is relative to its folder). */
  cloudbaserc: string;
  /** Where the function folders are (`<functionsRoot>/<name>/index.js`); default: cloudbaserc.json's functionRoot. */
  functionsRoot?: string;
  /** Replace a function's instances when its folder changes (a rebuild, an edit). */
  watchFunctions: boolean;
  appid: string;
  envId: string;
  bucket: string;
  /** Largest JSON body of /functions and /open-data calls. */
  maxBodyBytes: number;
  /** Largest file /storage/upload accepts (the form around it may add 64 KB). */
  maxUploadBytes: number;
  /** Open connections served at once; a request on any further one is answered 503. */
  maxConnections: number;
  /** Uploads received at once (each may write up to maxUploadBytes to disk); more are answered 503. */
  maxConcurrentUploads: number;
  /** A request whose headers take longer is answered 408 and closed (slowloris). */
  headersTimeoutMs: number;
  /** A request (headers and body) that takes longer to arrive is answered 408 and closed. */
  requestTimeoutMs: number;
  /** A connection on which nothing moves for this long is closed: a stalled upload (its temp file removed), a reader that stopped reading. */
  idleTimeoutMs: number;
  cloudIdTtlMs: number;
  /** The clock of serverDate, cloudID expiry and watermarks (injectable for tests). */
  now: () => number;
  /**
   * Web origins, besides the local cloud's own and the simulator's, whose requests are served
   * (exact `scheme://host[:port]`); every other Origin is refused (see request-guard.ts).
   */
  allowedOrigins: readonly string[];
}

export const DEFAULT_PORT = 3000;
export const DEFAULT_APPID = 'wxlocal0000000000';
export const DEFAULT_ENV_ID = 'local-env';
/** The project folder: the nearest with a package.json (from local-cloud/ or the bundle in .local-cloud/build/). */
export const ROOT = projectRoot(__dirname);
export const DEFAULT_DATA_DIR = path.join(ROOT, '.local-cloud', 'data');
export const DEFAULT_CLOUDBASERC = path.join(ROOT, 'cloudbaserc.json');

/** The bucket part of a fileID, shaped like the platform's `<hex of 2 chars>-<env>-<number>`. */
export function bucketFor(envId: string): string {
  return `${Buffer.from(envId.slice(0, 2)).toString('hex')}-${envId}-1300000000`;
}

export function defaultConfig(overrides: Partial<LocalCloudConfig> = {}): LocalCloudConfig {
  const envId = overrides.envId ?? DEFAULT_ENV_ID;
  return {
    host: '127.0.0.1',
    port: DEFAULT_PORT,
    dataDir: DEFAULT_DATA_DIR,
    appid: DEFAULT_APPID,
    envId,
    bucket: bucketFor(envId),
    maxBodyBytes: 1024 * 1024,
    maxUploadBytes: 10 * 1024 * 1024,
    maxConnections: 128,
    maxConcurrentUploads: 16,
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 120_000,
    idleTimeoutMs: 30_000,
    cloudIdTtlMs: CLOUD_ID_TTL_MS,
    cloudbaserc: DEFAULT_CLOUDBASERC,
    watchFunctions: true,
    now: Date.now,
    allowedOrigins: [],
    ...DEFAULT_CONTENT_SAFETY,
    ...overrides,
  };
}

export interface CliOptions {
  config: LocalCloudConfig;
  reset: boolean;
  help: boolean;
  /** `--import DIR`: an export (or CloudBase console export files) to start from; absolute. */
  importFrom: string | null;
  /** `--seed NAME`: a seed scenario of local-cloud/seeds/ to start from. */
  seed: string | null;
  /** `--export-on-exit DIR`: where to write an export when stopped (Ctrl-C, SIGTERM); absolute. */
  exportOnExit: string | null;
}

export const USAGE = `Usage: npm start -- [--reset] [--port N] [--host H] [--data-dir DIR] [--allow-origin O]
                    [--import DIR | --seed NAME] [--export-on-exit DIR]

  --reset          wipe the data folder (database and uploaded files) before starting
  --port N         port to listen on (env PORT, default ${DEFAULT_PORT}; 0 = any free port)
  --host H         address to bind (env LOCAL_CLOUD_HOST, default 127.0.0.1)
  --data-dir DIR   data folder (env LOCAL_CLOUD_DATA_DIR, default .local-cloud/data)
  --allow-origin O also serve requests from the web origin O, e.g. http://localhost:5173
                   (repeatable; env LOCAL_CLOUD_ALLOWED_ORIGINS, comma-separated). Requests
                   from any other web page are refused.
  --import DIR     start from an export (or a folder of CloudBase console export files,
                   <collection>.json); the data folder must be empty (or add --reset)
  --seed NAME      start from a seed scenario: new-user, getuserprofile-user,
                   anonymous-profile, phone-bound, deleted-user (local-cloud/seeds/)
  --export-on-exit DIR
                   write an export to DIR when stopped (Ctrl-C, SIGTERM)
${CONTENT_SAFETY_USAGE}

Environment: LOCAL_CLOUD_APPID (default ${DEFAULT_APPID}), LOCAL_CLOUD_ENV (default ${DEFAULT_ENV_ID}).`;

const ENV_ID = /^[A-Za-z0-9-]{1,64}$/;
// Real AppIDs start with "wx"; an all-digit one would reach getWXContext() as a number.
const APPID = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** Reads flags and environment variables; throws an Error with a message for a bad value. */
export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): CliOptions {
  const flags = new Map<string, string>();
  const origins: string[] = [];
  let reset = false;
  let help = false;
  let contentSafety = DEFAULT_CONTENT_SAFETY;
  const data: Record<'--import' | '--seed' | '--export-on-exit', string | null> = {
    '--import': null,
    '--seed': null,
    '--export-on-exit': null,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--reset') reset = true;
    else if (arg === '--help' || arg === '-h') help = true;
    else if (['--port', '--host', '--data-dir', '--allow-origin'].includes(arg)) {
      const value = argv[i + 1];
      if (value === undefined) throw new Error(`${arg} needs a value`);
      if (arg === '--allow-origin') origins.push(value);
      else flags.set(arg, value);
      i += 1;
    } else if (arg === '--import' || arg === '--seed' || arg === '--export-on-exit') {
      const value = argv[i + 1];
      if (value === undefined || value === '') throw new Error(`${arg} needs a value`);
      data[arg] = value;
      i += 1;
    } else if (CONTENT_SAFETY_FLAGS.includes(arg)) {
      const value = argv[i + 1];
      if (value === undefined) throw new Error(`${arg} needs a value`);
      contentSafety = applyContentSafetyFlag(contentSafety, arg, value);
      i += 1;
    } else throw new Error(`unknown option ${arg}`);
  }
  const port = parsePort(flags.get('--port') ?? env.PORT ?? String(DEFAULT_PORT));
  const envId = env.LOCAL_CLOUD_ENV || DEFAULT_ENV_ID;
  const appid = env.LOCAL_CLOUD_APPID || DEFAULT_APPID;
  if (!ENV_ID.test(envId)) throw new Error('LOCAL_CLOUD_ENV: letters, digits and "-" only');
  if (!APPID.test(appid)) throw new Error('LOCAL_CLOUD_APPID: a letter first, then letters, digits, "_" and "-"');
  const dataDir = path.resolve(flags.get('--data-dir') ?? env.LOCAL_CLOUD_DATA_DIR ?? DEFAULT_DATA_DIR);
  const host = flags.get('--host') ?? env.LOCAL_CLOUD_HOST ?? '127.0.0.1';
  const allowedOrigins = (origins.length > 0 ? origins : (env.LOCAL_CLOUD_ALLOWED_ORIGINS ?? '').split(','))
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '')
    .map(parseOrigin);
  if (data['--import'] !== null && data['--seed'] !== null) throw new Error('use --import or --seed, not both');
  return {
    config: defaultConfig({ port, host, dataDir, envId, appid, allowedOrigins, ...contentSafety }),
    reset,
    help,
    importFrom: data['--import'] === null ? null : path.resolve(data['--import']),
    seed: data['--seed'],
    exportOnExit: data['--export-on-exit'] === null ? null : path.resolve(data['--export-on-exit']),
  };
}

/** `scheme://host[:port]`, as browsers send it in Origin; a path, "null" or "*" throws. */
function parseOrigin(text: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  const bare = url && url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
  if (!url || !bare || !/^https?:$/.test(url.protocol)) {
    throw new Error(
      `--allow-origin / LOCAL_CLOUD_ALLOWED_ORIGINS: "${text}" is not an origin like http://localhost:5173`,
    );
  }
  return url.origin;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new Error(`invalid port ${text}`);
  return port;
}

function projectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

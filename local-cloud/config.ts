/**
 * The local cloud's settings: defaults, overridden by environment variables, overridden by
 * command-line flags. Everything a test needs to control (port, folder, clock) is here.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CLOUD_ID_TTL_MS } from '../emulation/open-data';

export interface LocalCloudConfig {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Holds db/ (one nedb file per collection) and storage/ (uploaded files). */
  dataDir: string;
  appid: string;
  envId: string;
  bucket: string;
  /** Largest JSON body of /functions and /open-data calls. */
  maxBodyBytes: number;
  /** Largest multipart body of /storage/upload. */
  maxUploadBytes: number;
  cloudIdTtlMs: number;
  /** nedb rewrites each collection file this often (and on load and close); 0 turns it off. */
  compactionIntervalMs: number;
  /** The clock of serverDate, cloudID expiry and watermarks (injectable for tests). */
  now: () => number;
}

export const DEFAULT_PORT = 3000;
export const DEFAULT_APPID = 'wxlocal0000000000';
export const DEFAULT_ENV_ID = 'local-env';
/** The project folder: the nearest with a package.json (from local-cloud/ or the bundle in .local-cloud/build/). */
export const ROOT = projectRoot(__dirname);
export const DEFAULT_DATA_DIR = path.join(ROOT, '.local-cloud', 'data');

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
    cloudIdTtlMs: CLOUD_ID_TTL_MS,
    compactionIntervalMs: 10 * 60 * 1000,
    now: Date.now,
    ...overrides,
  };
}

export interface CliOptions {
  config: LocalCloudConfig;
  reset: boolean;
  help: boolean;
}

export const USAGE = `Usage: npm start -- [--reset] [--port N] [--host H] [--data-dir DIR]

  --reset          wipe the data folder (database and uploaded files) before starting
  --port N         port to listen on (env PORT, default ${DEFAULT_PORT}; 0 = any free port)
  --host H         address to bind (env LOCAL_CLOUD_HOST, default 127.0.0.1)
  --data-dir DIR   data folder (env LOCAL_CLOUD_DATA_DIR, default .local-cloud/data)

Environment: LOCAL_CLOUD_APPID (default ${DEFAULT_APPID}), LOCAL_CLOUD_ENV (default ${DEFAULT_ENV_ID}).`;

const ENV_ID = /^[A-Za-z0-9-]{1,64}$/;
const APPID = /^[A-Za-z0-9_-]{1,64}$/;

/** Reads flags and environment variables; throws an Error with a message for a bad value. */
export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): CliOptions {
  const flags = new Map<string, string>();
  let reset = false;
  let help = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--reset') reset = true;
    else if (arg === '--help' || arg === '-h') help = true;
    else if (['--port', '--host', '--data-dir'].includes(arg)) {
      const value = argv[i + 1];
      if (value === undefined) throw new Error(`${arg} needs a value`);
      flags.set(arg, value);
      i += 1;
    } else throw new Error(`unknown option ${arg}`);
  }
  const port = parsePort(flags.get('--port') ?? env.PORT ?? String(DEFAULT_PORT));
  const envId = env.LOCAL_CLOUD_ENV || DEFAULT_ENV_ID;
  const appid = env.LOCAL_CLOUD_APPID || DEFAULT_APPID;
  if (!ENV_ID.test(envId)) throw new Error('LOCAL_CLOUD_ENV: letters, digits and "-" only');
  if (!APPID.test(appid)) throw new Error('LOCAL_CLOUD_APPID: letters, digits, "_" and "-" only');
  const dataDir = path.resolve(flags.get('--data-dir') ?? env.LOCAL_CLOUD_DATA_DIR ?? DEFAULT_DATA_DIR);
  const host = flags.get('--host') ?? env.LOCAL_CLOUD_HOST ?? '127.0.0.1';
  return { config: defaultConfig({ port, host, dataDir, envId, appid }), reset, help };
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

/** One running local cloud: its settings, database, storage and open data. */
import { promises as fsp } from 'fs';
import * as path from 'path';
import { ROOT, type LocalCloudConfig } from './config';
import type { FunctionRegistry } from './functions';
import type { LogSink } from './log';
import { NedbDatabase } from './nedb-database';
import { OpenDataRegistry } from './open-data';
import { LocalStorage } from './storage';

export class LocalCloudRuntime {
  /** Set once the server listens (temp file URLs point at it). */
  baseUrl = '';
  /** `init({ throwOnNotFound })`: the SDK's default is to throw. */
  throwOnNotFound = true;
  readonly storage: LocalStorage;
  readonly openData: OpenDataRegistry;

  private constructor(
    readonly config: LocalCloudConfig,
    readonly db: NedbDatabase,
    readonly log: LogSink,
    readonly functions: FunctionRegistry,
  ) {
    this.storage = new LocalStorage(storageDir(config), config.envId, config.bucket, () => this.baseUrl);
    this.openData = new OpenDataRegistry(config.now, config.cloudIdTtlMs);
  }

  static async open(config: LocalCloudConfig, log: LogSink, functions: FunctionRegistry): Promise<LocalCloudRuntime> {
    const collections = await committedCollections();
    const db = await NedbDatabase.open(databaseDir(config), {
      compactionIntervalMs: config.compactionIntervalMs,
      clock: config.now,
    });
    try {
      await db.createMissingCollections(collections);
    } catch (error) {
      await db.close();
      throw error;
    }
    return new LocalCloudRuntime(config, db, log, functions);
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

export const SECURITY_RULES_FILE = path.join(ROOT, 'database', 'security-rules.json');

/**
 * The collections of database/security-rules.json. Deploy creates each with its committed rule,
 * and the functions never create one (a collection a function creates gets the platform's
 * default rule), so the local cloud creates them at start, as deploy does.
 */
export async function committedCollections(file = SECURITY_RULES_FILE): Promise<string[]> {
  let rules: unknown;
  try {
    rules = JSON.parse(await fsp.readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: cannot read the security rules (${(error as Error).message})`, { cause: error });
  }
  if (rules === null || typeof rules !== 'object' || Array.isArray(rules)) {
    throw new Error(`${file}: expected an object of collection names to rules`);
  }
  return Object.keys(rules);
}

export const databaseDir = (config: LocalCloudConfig): string => path.join(config.dataDir, 'db');
export const storageDir = (config: LocalCloudConfig): string => path.join(config.dataDir, 'storage');

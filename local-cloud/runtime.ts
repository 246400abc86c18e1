/** One running local cloud: its settings, database, storage and open data. */
import * as path from 'path';
import type { LocalCloudConfig } from './config';
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
    const db = await NedbDatabase.open(databaseDir(config), config.compactionIntervalMs, config.now);
    return new LocalCloudRuntime(config, db, log, functions);
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

export const databaseDir = (config: LocalCloudConfig): string => path.join(config.dataDir, 'db');
export const storageDir = (config: LocalCloudConfig): string => path.join(config.dataDir, 'storage');

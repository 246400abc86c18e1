/** The state of one running emulator: its settings, database, storage and open data. */
import { promises as fsp } from 'fs';
import * as path from 'path';
import { ContentSecurity } from './api/openapi/content-security-apis';
import { ROOT, type LocalCloudConfig } from './config';
import { Database } from './engine/database';
import type { LogSink } from './log';
import { importLegacyData, type LegacyImport } from './nedb-import';
import { PhoneCodes } from '../emulation/phone-codes';
import { OpenDataRegistry } from './open-data';
import { LocalStorage } from './storage';

export class LocalCloudRuntime {
  /** Set once the server listens (temp file URLs point at it). */
  baseUrl = '';
  readonly storage: LocalStorage;
  readonly openData: OpenDataRegistry;
  /** The codes of the getPhoneNumber button (`POST /open-data/phone-code`). */
  readonly phoneCodes = new PhoneCodes();
  /** The emulated content security: word lists, quotas, media checks waiting for a verdict. */
  readonly contentSecurity: ContentSecurity;

  private constructor(
    readonly config: LocalCloudConfig,
    readonly db: Database,
    readonly log: LogSink,
    /** What was imported from the local cloud's old nedb folder at this start, if anything. */
    readonly imported: LegacyImport | null,
  ) {
    this.storage = new LocalStorage(storageDir(config), config.envId, config.bucket, () => this.baseUrl);
    this.openData = new OpenDataRegistry(config.now, config.cloudIdTtlMs);
    const lists = config.riskyWords ? { riskyWords: config.riskyWords } : {};
    this.contentSecurity = new ContentSecurity({ lists, log });
  }

  /**
   * Opens the database of the data folder (importing an old nedb folder once, see nedb-import.ts)
   * and creates the collections deploy creates.
   */
  static async open(config: LocalCloudConfig, log: LogSink): Promise<LocalCloudRuntime> {
    const collections = await committedCollections();
    await fsp.mkdir(config.dataDir, { recursive: true });
    const db = await Database.open(databaseDir(config), { now: config.now });
    let imported: LegacyImport | null;
    try {
      imported = await importLegacyData(config.dataDir, db);
      await db.ensureCollections(collections);
    } catch (error) {
      await db.close();
      throw error;
    }
    if (imported) log('info', { event: 'nedb-data-imported', collections: imported.collections });
    return new LocalCloudRuntime(config, db, log, imported);
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

export const SECURITY_RULES_FILE = path.join(ROOT, 'database', 'security-rules.json');

/**
 * The collections of database/security-rules.json. Deploy creates each with its committed rule,
 * and the functions never create one (a collection a function creates gets the platform's
 * default rule), so the emulator creates them at start, as deploy does.
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

/** The document database (LevelDB). */
export const databaseDir = (config: Pick<LocalCloudConfig, 'dataDir'>): string => path.join(config.dataDir, 'database');
export const storageDir = (config: Pick<LocalCloudConfig, 'dataDir'>): string => path.join(config.dataDir, 'storage');

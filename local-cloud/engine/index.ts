/**
 * The emulator's document database. For the server: open it (collections of
 * database/security-rules.json created), give `createDatabaseActions(db)` (api/database) to the
 * platform API, close it on exit. For a console and scripts: the admin functions.
 *
 * Bundling: keep `classic-level` external (esbuild `external: ['classic-level']`); it loads
 * its native prebuild from its own package folder.
 */
import { existsSync } from 'fs';
import { collectionsOfSecurityRules } from './admin';
import { Database, type DatabaseOptions } from './database';

export {
  browseCollection,
  collectionsOfSecurityRules,
  exportJsonLines,
  importJsonLines,
  listCollections,
} from './admin';
export type { BrowseOptions, CollectionSummary, ImportOptions, ImportResult } from './admin';
export { Database, type DatabaseOptions } from './database';

export interface EmulatorDatabaseOptions extends DatabaseOptions {
  /** The LevelDB folder (created if missing). */
  dir: string;
  /** A security-rules.json whose top-level keys name collections to create when missing. */
  securityRulesFile?: string;
}

export async function openEmulatorDatabase(options: EmulatorDatabaseOptions): Promise<Database> {
  const db = await Database.open(options.dir, options);
  try {
    if (options.securityRulesFile && existsSync(options.securityRulesFile)) {
      await db.ensureCollections(collectionsOfSecurityRules(options.securityRulesFile));
    }
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

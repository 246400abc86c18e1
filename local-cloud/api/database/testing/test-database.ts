/** For the database tests: a database in a fresh temporary folder, and the real SDK talking to it. */
import { mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createDatabaseActions } from '..';
import { Database, type DatabaseOptions } from '../../../engine/database';
import { startSdkHarness, type SdkHarness } from './sdk-harness';

export interface TestDatabase {
  dir: string;
  db: Database;
  sdk: SdkHarness;
  /** Closes the database and opens the same folder again (the SDK keeps talking to the new one). */
  reopen(): Promise<Database>;
  close(): Promise<void>;
}

export async function openTestDatabase(options: DatabaseOptions = {}): Promise<TestDatabase> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'emu-db-'));
  let db = await Database.open(path.join(dir, 'db'), options);
  // The table reads `db` on each call, so reopen() swaps the database under the same server.
  const table = new Proxy(
    {},
    {
      get: (_target, action: string) => createDatabaseActions(db)[action],
    },
  );
  const sdk = await startSdkHarness(table);
  return {
    dir,
    get db() {
      return db;
    },
    sdk,
    async reopen() {
      await db.close();
      db = await Database.open(path.join(dir, 'db'), options);
      return db;
    },
    async close() {
      await sdk.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

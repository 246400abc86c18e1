/**
 * The emulator's document database: one LevelDB folder, the platform's collections and
 * documents in it, the operations run in the store or in a transaction. The action handlers
 * (api/database) and the emulator's own tools (admin.ts) use it.
 */
import { PlatformError } from '../api/action';
import { KeyLocks } from './key-locks';
import { directSpace, type DocumentSpace } from './space';
import { checkCollectionName, Store, type StoreOptions } from './store';
import { START_WAIT_MS, TRANSACTION_LIFETIME_MS, Transactions } from './transactions';

export interface DatabaseOptions extends StoreOptions {
  now?: () => number;
  transactionLifetimeMs?: number;
  transactionStartWaitMs?: number;
}

export function collectionMissing(): PlatformError {
  return new PlatformError(
    'DATABASE_COLLECTION_NOT_EXIST',
    '[ResourceNotFound] Db or Table not exist. Please check your request, but if the problem persists, contact us.',
  );
}

export function collectionExists(): PlatformError {
  return new PlatformError('DATABASE_COLLECTION_ALREADY_EXIST', '[ResourceInUse] Table exist.');
}

export class Database {
  readonly now: () => number;
  private readonly locks = new KeyLocks();
  private readonly direct: DocumentSpace;
  readonly transactions: Transactions;

  private constructor(
    readonly store: Store,
    options: DatabaseOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.direct = directSpace(store, (keys) => this.locks.acquire(keys));
    this.transactions = new Transactions(
      store,
      this.locks,
      this.now,
      options.transactionLifetimeMs ?? TRANSACTION_LIFETIME_MS,
      options.transactionStartWaitMs ?? START_WAIT_MS,
    );
  }

  /** Opens (creating if needed) the database in `dir`; one process at a time (LevelDB locks it). */
  static async open(dir: string, options: DatabaseOptions = {}): Promise<Database> {
    return new Database(await Store.open(dir, options), options);
  }

  async close(): Promise<void> {
    this.transactions.close();
    await this.store.close();
  }

  /** Runs `work` on the documents as they are, or inside the transaction `transactionId`. */
  inSpace<T>(transactionId: string | undefined, work: (space: DocumentSpace) => Promise<T>): Promise<T> {
    return transactionId === undefined ? work(this.direct) : this.transactions.run(transactionId, work);
  }

  requireCollection(name: unknown): string {
    const checked = typeof name === 'string' ? name : checkCollectionName(name);
    if (!this.store.hasCollection(checked)) throw collectionMissing();
    return checked;
  }

  async createCollection(name: unknown): Promise<void> {
    if (!(await this.store.createCollection(checkCollectionName(name), this.now()))) throw collectionExists();
  }

  /** Creates those of `names` that do not exist yet (e.g. from database/security-rules.json). */
  async ensureCollections(names: Iterable<string>): Promise<string[]> {
    const created: string[] = [];
    for (const name of names) {
      if (await this.store.createCollection(checkCollectionName(name), this.now())) created.push(name);
    }
    return created;
  }
}

/**
 * The local cloud database: one collection per file `<dir>/<collection>.db`, held in an
 * in-memory nedb datastore (queries, the unique `_id` index) and persisted by a Journal
 * (group-committed, fdatasynced appends in nedb's file format; see journal.ts and table.ts).
 * Files are compacted on load, on close and every `compactionIntervalMs`. As on the platform, a
 * collection exists only once created: until then every operation fails with -502005.
 */
import { promises as fsp } from 'fs';
import * as path from 'path';
import { command, serverDate } from '../emulation/db-commands';
import { EmulatedSdkError, collectionMissing } from '../emulation/emulated-sdk-errors';
import type { JournalOptions } from './journal';
import { KeyedLock } from './keyed-lock';
import { LocalCollection, type CollectionHost } from './nedb-collection';
import { storageCall } from './nedb-errors';
import { Table } from './table';

const COLLECTION_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
const FILE_SUFFIX = '.db';

/** What `database()` answers: the part of the SDK's Database the local cloud emulates. */
export interface LocalDatabaseApi {
  readonly command: typeof command;
  serverDate: typeof serverDate;
  collection(name: string): LocalCollection;
  createCollection(name: string): Promise<{ errMsg: string }>;
}

export interface NedbDatabaseOptions {
  /** Every compaction of every collection this often; 0 turns it off. */
  compactionIntervalMs: number;
  /** The clock of serverDate. */
  clock: () => number;
  /** How the collection files are written (tests inject failures). */
  journal?: JournalOptions;
}

export class NedbDatabase implements CollectionHost {
  readonly locks = new KeyedLock();
  private readonly tables = new Map<string, Table>();
  /** Collections whose file is being created: taken, but not usable yet. */
  private readonly creating = new Set<string>();
  private compaction: NodeJS.Timeout | undefined;
  private compacting: Promise<void> | undefined;

  private constructor(
    private readonly dir: string,
    private readonly options: NedbDatabaseOptions,
  ) {}

  /**
   * Opens the database in `dir`, loading (and compacting) every collection file found there.
   * A last line cut short by a crash is dropped; a damaged file refuses the start, naming the line.
   */
  static async open(dir: string, options: NedbDatabaseOptions): Promise<NedbDatabase> {
    await fsp.mkdir(dir, { recursive: true });
    const db = new NedbDatabase(dir, options);
    try {
      for (const file of await fsp.readdir(dir)) {
        const name = file.slice(0, -FILE_SUFFIX.length);
        if (!file.endsWith(FILE_SUFFIX) || !COLLECTION_NAME.test(name)) continue;
        const table = await db.openTable(name);
        // A failed compaction (a full disk) changes nothing: the file just read stays in use.
        await table.compact().catch(() => undefined);
        db.tables.set(name, table);
      }
    } catch (error) {
      await db.close();
      throw error;
    }
    if (options.compactionIntervalMs > 0) {
      db.compaction = setInterval(() => db.compactAll(), options.compactionIntervalMs);
      db.compaction.unref();
    }
    return db;
  }

  now(): Date {
    return new Date(this.options.clock());
  }

  table(api: string, name: string): Table {
    const table = this.tables.get(name);
    if (!table) throw collectionMissing(api, name);
    return table;
  }

  api(throwOnNotFound: boolean): LocalDatabaseApi {
    return {
      command,
      serverDate,
      collection: (name) => new LocalCollection(this, name, throwOnNotFound),
      createCollection: (name) => this.createCollection(name),
    };
  }

  async createCollection(name: string): Promise<{ errMsg: string }> {
    const api = 'database.createCollection';
    if (!COLLECTION_NAME.test(name)) throw new EmulatedSdkError(api, -501007, 'invalid parameters. collection name');
    if (this.tables.has(name) || this.creating.has(name)) throw new EmulatedSdkError(api, -501001, 'Table exist');
    this.creating.add(name);
    try {
      this.tables.set(name, await storageCall(api, () => this.openTable(name)));
    } finally {
      this.creating.delete(name);
    }
    return { errMsg: 'createCollection:ok' };
  }

  /** Creates each of `names` that does not exist yet (as deploy does with the committed rules). */
  async createMissingCollections(names: readonly string[]): Promise<void> {
    for (const name of names) if (!this.tables.has(name)) await this.createCollection(name);
  }

  /** Waits for pending writes and leaves each file compacted. */
  async close(): Promise<void> {
    clearInterval(this.compaction);
    const tables = [...this.tables.values()];
    this.tables.clear();
    await Promise.all(tables.map((table) => table.close()));
  }

  /** Skipped while the previous round runs (a slow disk must not pile compactions up). */
  private compactAll(): void {
    if (this.compacting) return;
    const round = Promise.all([...this.tables.values()].map((table) => table.compact().catch(() => undefined)));
    this.compacting = round.then(() => {
      this.compacting = undefined;
    });
  }

  private openTable(name: string): Promise<Table> {
    return Table.open(path.join(this.dir, `${name}${FILE_SUFFIX}`), this.options.journal);
  }
}

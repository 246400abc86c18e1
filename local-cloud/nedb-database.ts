/**
 * The local cloud database: one collection per file `<dir>/<collection>.db`, held in an
 * in-memory nedb datastore (queries, the unique `_id` index) and persisted by a Journal
 * (group-committed appends, in nedb's file format). Files are compacted on load, on close and
 * every `compactionIntervalMs`. As on the platform, a collection exists only once created:
 * until then every operation fails with -502005.
 */
import Datastore from '@seald-io/nedb';
import { promises as fsp } from 'fs';
import * as path from 'path';
import { command, serverDate, type Doc } from '../emulation/db-commands';
import { EmulatedSdkError, collectionMissing } from '../emulation/sdk-errors';
import { Journal, readCollectionFile } from './journal';
import { KeyedLock } from './keyed-lock';
import { LocalCollection, type CollectionHost, type Table } from './nedb-collection';

const COLLECTION_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
const FILE_SUFFIX = '.db';

/** What `database()` answers: the part of the SDK's Database the local cloud emulates. */
export interface LocalDatabaseApi {
  readonly command: typeof command;
  serverDate: typeof serverDate;
  collection(name: string): LocalCollection;
  createCollection(name: string): Promise<{ errMsg: string }>;
}

export class NedbDatabase implements CollectionHost {
  readonly locks = new KeyedLock();
  private readonly tables = new Map<string, Table>();
  private compaction: NodeJS.Timeout | undefined;

  private constructor(
    private readonly dir: string,
    private readonly clock: () => number,
  ) {}

  /** Opens the database in `dir`, loading (and compacting) every collection file found there. */
  static async open(dir: string, compactionIntervalMs: number, clock: () => number): Promise<NedbDatabase> {
    await fsp.mkdir(dir, { recursive: true });
    const db = new NedbDatabase(dir, clock);
    for (const file of await fsp.readdir(dir)) {
      const name = file.slice(0, -FILE_SUFFIX.length);
      if (!file.endsWith(FILE_SUFFIX) || !COLLECTION_NAME.test(name)) continue;
      const table = db.emptyTable(name);
      await table.store.insertAsync(await readCollectionFile(db.fileOf(name)));
      await compactTable(table);
      db.tables.set(name, table);
    }
    if (compactionIntervalMs > 0) {
      db.compaction = setInterval(() => db.compactAll().catch(() => undefined), compactionIntervalMs);
      db.compaction.unref();
    }
    return db;
  }

  now(): Date {
    return new Date(this.clock());
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
    if (this.tables.has(name)) throw new EmulatedSdkError(api, -501001, 'Table exist');
    const table = this.emptyTable(name);
    this.tables.set(name, table);
    await compactTable(table);
    return { errMsg: 'createCollection:ok' };
  }

  /** Waits for pending writes and leaves each file compacted. */
  async close(): Promise<void> {
    clearInterval(this.compaction);
    const tables = [...this.tables.values()];
    this.tables.clear();
    await Promise.all(tables.map((table) => table.journal.close(() => table.store.getAllData())));
  }

  private compactAll(): Promise<unknown> {
    return Promise.all([...this.tables.values()].map(compactTable));
  }

  private fileOf(name: string): string {
    return path.join(this.dir, `${name}${FILE_SUFFIX}`);
  }

  private emptyTable(name: string): Table {
    return { store: new Datastore<Doc>({ inMemoryOnly: true }), journal: new Journal(this.fileOf(name)) };
  }
}

const compactTable = (table: Table): Promise<void> => table.journal.compact(() => table.store.getAllData());

/**
 * One collection: its documents in memory (an nedb datastore, for queries and the `_id` index)
 * and its file (a Journal). A write goes to the file first and reaches memory only once it is
 * there, from inside the journal's queue: a write that failed is never readable, and a
 * compaction never misses a write that was answered before it.
 */
import Datastore from '@seald-io/nedb';
import type { Doc } from '../emulation/db-commands';
import { Journal, type JournalOptions } from './journal';

export class Table {
  private constructor(
    /** For reads only: writes go through put() and delete(). */
    readonly store: Datastore<Doc>,
    private readonly journal: Journal,
  ) {}

  /** Opens (creating if missing) the collection file and loads it. */
  static async open(file: string, options: JournalOptions = {}): Promise<Table> {
    const { journal, docs } = await Journal.open(file, options);
    const store = new Datastore<Doc>({ inMemoryOnly: true });
    await store.insertAsync(docs);
    return new Table(store, journal);
  }

  /** Inserts or replaces the document with `doc._id`. */
  put(doc: Doc): Promise<void> {
    return this.journal.write(doc, async () => {
      await this.store.updateAsync({ _id: doc._id }, doc, { upsert: true });
    });
  }

  delete(id: string): Promise<void> {
    return this.journal.remove(id, async () => {
      await this.store.removeAsync({ _id: id }, {});
    });
  }

  compact(): Promise<void> {
    return this.journal.compact(() => this.store.getAllData());
  }

  /**
   * Compacts (best effort: a failed compaction leaves the journal file complete) and releases
   * the file once every pending write is done.
   */
  async close(): Promise<void> {
    await this.compact().catch(() => undefined);
    await this.journal.close();
  }
}

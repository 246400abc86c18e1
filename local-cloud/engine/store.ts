/**
 * The documents on disk: one LevelDB key per document, `d!<collection>!<id key>` → its relaxed
 * EJSON text (codec.ts). Collections and their document counts are small meta keys read at
 * open, so opening costs the same with 10 or 10 million documents (LevelDB replays only its
 * recent log and compacts in a background thread).
 *
 * Writes go through one group-commit queue: each `commit()` waits for the LevelDB batch that
 * carries it, written with `sync` (fsync) by default, so an answered write survives a crash of
 * the process (LevelDB writes its log before answering) and, with sync, of the machine. Writes
 * that arrive while a batch is being written share the next one. A batch that fails rejects
 * every commit in it and changes nothing (LevelDB batches are atomic).
 */
import { ClassicLevel } from 'classic-level';
import { invalidParam } from '../api/errors';

export interface StoreOptions {
  /** fsync each batch (default true). False still survives kill -9, not a power loss. */
  sync?: boolean;
}

/** One document write: `text` null deletes. `delta` is the change of the collection's count. */
export interface DocWrite {
  collection: string;
  key: string;
  text: string | null;
  delta: -1 | 0 | 1;
}

export interface CollectionInfo {
  name: string;
  createdAt: number;
}

type Level = ClassicLevel<string, string>;
type Snapshot = ReturnType<Level['snapshot']>;
type BatchOp = { type: 'put'; key: string; value: string } | { type: 'del'; key: string };

interface Submission {
  ops: BatchOp[];
  deltas: Map<string, number>;
  meta: CollectionInfo | null;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const COLLECTION_META = 'm!c!';
const COUNT_META = 'm!n!';
/** Characters a collection name may not hold: the key separator and what would confuse paths. */
const COLLECTION_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}$/;

export function checkCollectionName(name: unknown): string {
  if (typeof name !== 'string' || !COLLECTION_NAME.test(name)) {
    throw invalidParam('collection names are 1 to 64 letters, digits, "_", "-" or "." (not first)');
  }
  return name;
}

/** The key of a document id: strings and numbers are distinct ids, as in MongoDB. */
export function idKey(id: unknown): string {
  if (typeof id === 'string') return `s${id}`;
  if (typeof id === 'number' && Number.isFinite(id)) return `n${id === 0 ? 0 : id}`;
  throw invalidParam('_id must be a string or a finite number');
}

const docPrefix = (collection: string) => `d!${collection}!`;

export class Store {
  private readonly collections = new Map<string, CollectionInfo>();
  private readonly counts = new Map<string, number>();
  private readonly creating = new Set<string>();
  private queue: Submission[] = [];
  private flushing: Promise<void> | null = null;
  private closed = false;

  private constructor(
    private readonly db: Level,
    private readonly sync: boolean,
  ) {}

  static async open(dir: string, options: StoreOptions = {}): Promise<Store> {
    const db = new ClassicLevel<string, string>(dir, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    await db.open();
    const store = new Store(db, options.sync ?? true);
    for await (const [key, value] of db.iterator({ gte: 'm!', lt: 'm"' })) {
      if (key.startsWith(COLLECTION_META)) {
        const name = key.slice(COLLECTION_META.length);
        store.collections.set(name, { name, createdAt: (JSON.parse(value) as { createdAt: number }).createdAt });
      } else if (key.startsWith(COUNT_META)) {
        store.counts.set(key.slice(COUNT_META.length), Number(value));
      }
    }
    return store;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.flushing) await this.flushing;
    await this.db.close();
  }

  hasCollection(name: string): boolean {
    return this.collections.has(name);
  }

  listCollections(): CollectionInfo[] {
    return [...this.collections.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  count(collection: string): number {
    return this.counts.get(collection) ?? 0;
  }

  /** Creates a collection; false if it exists (or is being created). */
  async createCollection(name: string, now: number): Promise<boolean> {
    if (this.collections.has(name) || this.creating.has(name)) return false;
    this.creating.add(name);
    try {
      const meta = { name, createdAt: now };
      await this.submit(
        [{ type: 'put', key: COLLECTION_META + name, value: JSON.stringify({ createdAt: now }) }],
        new Map(),
        meta,
      );
      return true;
    } finally {
      this.creating.delete(name);
    }
  }

  docKey(collection: string, id: unknown): string {
    return docPrefix(collection) + idKey(id);
  }

  async get(key: string, snapshot?: Snapshot): Promise<string | undefined> {
    return snapshot ? this.db.get(key, { snapshot }) : this.db.get(key);
  }

  /**
   * One key is read synchronously: a point read answers from LevelDB's memtable or block cache
   * in microseconds, where a round trip through libuv's thread pool costs more than the read.
   */
  async getMany(keys: string[], snapshot?: Snapshot): Promise<(string | undefined)[]> {
    if (keys.length === 0) return [];
    if (keys.length === 1) return [snapshot ? this.db.getSync(keys[0], { snapshot }) : this.db.getSync(keys[0])];
    return snapshot ? this.db.getMany(keys, { snapshot }) : this.db.getMany(keys);
  }

  /** A consistent view for reads that must agree with each other; close it when done. */
  snapshot(): Snapshot {
    return this.db.snapshot();
  }

  /** The documents of a collection in key order, `chunk` at a time, as [key, text] pairs. */
  async *scan(
    collection: string,
    options: { snapshot?: Snapshot; chunk?: number } = {},
  ): AsyncGenerator<[string, string][]> {
    const prefix = docPrefix(collection);
    const range = { gt: prefix, lt: `d!${collection}"` };
    const iterator = this.db.iterator(options.snapshot ? { ...range, snapshot: options.snapshot } : range);
    try {
      for (;;) {
        const entries = await iterator.nextv(options.chunk ?? 256);
        if (entries.length === 0) return;
        yield entries as [string, string][];
      }
    } finally {
      await iterator.close();
    }
  }

  /** Writes documents atomically (one LevelDB batch); resolves once durable. */
  commit(writes: readonly DocWrite[]): Promise<void> {
    if (writes.length === 0) return Promise.resolve();
    const ops: BatchOp[] = [];
    const deltas = new Map<string, number>();
    for (const write of writes) {
      ops.push(
        write.text === null ? { type: 'del', key: write.key } : { type: 'put', key: write.key, value: write.text },
      );
      if (write.delta !== 0) deltas.set(write.collection, (deltas.get(write.collection) ?? 0) + write.delta);
    }
    return this.submit(ops, deltas, null);
  }

  private submit(ops: BatchOp[], deltas: Map<string, number>, meta: CollectionInfo | null): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the database is closed'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ ops, deltas, meta, resolve, reject });
      if (!this.flushing) this.flushing = this.flush();
    });
  }

  private async flush(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const group = this.queue;
        this.queue = [];
        await this.writeGroup(group);
      }
    } finally {
      this.flushing = null;
    }
  }

  private async writeGroup(group: Submission[]): Promise<void> {
    const ops: BatchOp[] = [];
    const newCounts = new Map<string, number>();
    for (const submission of group) {
      ops.push(...submission.ops);
      for (const [collection, delta] of submission.deltas) {
        newCounts.set(collection, (newCounts.get(collection) ?? this.count(collection)) + delta);
      }
    }
    for (const [collection, count] of newCounts)
      ops.push({ type: 'put', key: COUNT_META + collection, value: String(count) });
    try {
      await this.db.batch(ops, { sync: this.sync });
    } catch (error) {
      for (const submission of group) submission.reject(error);
      return;
    }
    for (const [collection, count] of newCounts) this.counts.set(collection, count);
    for (const submission of group) {
      if (submission.meta) this.collections.set(submission.meta.name, submission.meta);
      submission.resolve();
    }
  }
}

/**
 * Transactions (`db.runTransaction`, `db.startTransaction`), run one at a time.
 *
 * A transaction's writes stay in its overlay until commit, visible only to itself. Commit locks
 * every document it touched, checks that none changed since the transaction first read it (a
 * write from outside any transaction may have), and writes them all in one atomic batch; a
 * change is the platform's DATABASE_TRANSACTION_CONFLICT, on which `runTransaction` re-runs its
 * callback. Others wait for their turn (`startTransaction` waits up to START_WAIT_MS). A
 * transaction not committed or aborted within the platform's 30 seconds is dropped, so an
 * abandoned one (its function crashed) cannot block the others for longer.
 */
import { PlatformError } from '../api/action';
import { newTransactionId } from './ids';
import type { KeyLocks, Release } from './key-locks';
import type { DocumentSpace, Entry } from './space';
import type { DocWrite, Store } from './store';

export const TRANSACTION_LIFETIME_MS = 30_000;
export const START_WAIT_MS = 10_000;

const PLEASE_CHECK = 'Please check your request, but if the problem persists, contact us.';

export function transactionMissing(): PlatformError {
  return new PlatformError(
    'DATABASE_TRANSACTION_FAIL',
    `[ResourceUnavailable.TransactionNotExist] Transaction does not exist on the server, transaction must be commit or abort in 30 seconds. ${PLEASE_CHECK}`,
  );
}

export function transactionConflict(): PlatformError {
  return new PlatformError(
    'DATABASE_TRANSACTION_CONFLICT',
    `[ResourceUnavailable.TransactionConflict] Transaction is conflict, maybe resource operated by others. ${PLEASE_CHECK}`,
  );
}

interface Pending {
  collection: string;
  text: string | null;
}

class Transaction implements DocumentSpace {
  readonly direct = false;
  /** What the transaction wrote, by key. */
  private readonly overlay = new Map<string, Pending>();
  /** What each key held when the transaction first read it (null: no document). */
  private readonly versions = new Map<string, string | null>();
  private tail: Promise<unknown> = Promise.resolve();
  ended = false;

  constructor(
    readonly id: string,
    readonly store: Store,
  ) {}

  /** Runs the transaction's operations one after another. */
  serialize<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  async read(keys: string[]): Promise<(string | undefined)[]> {
    const unknown = keys.filter((key) => !this.overlay.has(key) && !this.versions.has(key));
    const texts = await this.store.getMany(unknown);
    unknown.forEach((key, i) => this.versions.set(key, texts[i] ?? null));
    return keys.map((key) => {
      const pending = this.overlay.get(key);
      const text = pending ? pending.text : this.versions.get(key);
      return text ?? undefined;
    });
  }

  async *scan(collection: string): AsyncGenerator<Entry[]> {
    const seen = new Set<string>();
    for await (const entries of this.store.scan(collection)) {
      const visible: Entry[] = [];
      for (const [key, text] of entries) {
        seen.add(key);
        const pending = this.overlay.get(key);
        // What the transaction saw first stays what it sees (also a document it found missing).
        const current = pending ? pending.text : this.versions.has(key) ? this.versions.get(key)! : text;
        if (current !== null) visible.push([key, current]);
      }
      if (visible.length > 0) yield visible;
    }
    const added: Entry[] = [];
    for (const [key, pending] of this.overlay) {
      if (pending.collection === collection && pending.text !== null && !seen.has(key)) added.push([key, pending.text]);
    }
    if (added.length > 0) yield added.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  }

  async lock(): Promise<Release> {
    return () => undefined;
  }

  async write(writes: DocWrite[]): Promise<void> {
    for (const write of writes) this.overlay.set(write.key, { collection: write.collection, text: write.text });
  }

  /** Writes the overlay if nothing it read changed since; else throws the conflict. */
  async commit(locks: KeyLocks): Promise<void> {
    const keys = [...this.versions.keys()];
    for (const key of this.overlay.keys()) if (!this.versions.has(key)) keys.push(key);
    const release = await locks.acquire(keys);
    try {
      const current = await this.store.getMany(keys);
      const writes: DocWrite[] = [];
      for (let i = 0; i < keys.length; i += 1) {
        const before = this.versions.has(keys[i]) ? this.versions.get(keys[i])! : (current[i] ?? null);
        if ((current[i] ?? null) !== before) throw transactionConflict();
        const pending = this.overlay.get(keys[i]);
        if (!pending || pending.text === before) continue;
        const delta = (pending.text === null ? 0 : 1) - (before === null ? 0 : 1);
        writes.push({ collection: pending.collection, key: keys[i], text: pending.text, delta: delta as -1 | 0 | 1 });
      }
      await this.store.commit(writes);
    } finally {
      release();
    }
  }
}

interface Waiter {
  grant: () => void;
  cancel: () => void;
}

export class Transactions {
  private active: Transaction | null = null;
  private expiry: NodeJS.Timeout | null = null;
  private readonly waiters: Waiter[] = [];

  constructor(
    private readonly store: Store,
    private readonly locks: KeyLocks,
    private readonly now: () => number,
    private readonly lifetimeMs = TRANSACTION_LIFETIME_MS,
    private readonly startWaitMs = START_WAIT_MS,
  ) {}

  /** Starts a transaction once the previous one ended; answers its id. */
  start(): Promise<string> {
    if (!this.active && this.waiters.length === 0) return Promise.resolve(this.begin());
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(transactionConflict());
      }, this.startWaitMs);
      const waiter: Waiter = {
        grant: () => {
          clearTimeout(timer);
          resolve(this.begin());
        },
        cancel: () => {
          clearTimeout(timer);
          reject(new Error('the database is closed'));
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Runs an operation of the transaction `id` in it. */
  run<T>(id: string, work: (space: DocumentSpace) => Promise<T>): Promise<T> {
    const transaction = this.find(id);
    return transaction.serialize(async () => {
      if (transaction.ended) throw transactionMissing();
      return work(transaction);
    });
  }

  async commit(id: string): Promise<void> {
    const transaction = this.find(id);
    await transaction.serialize(async () => {
      if (transaction.ended) throw transactionMissing();
      try {
        await transaction.commit(this.locks);
      } finally {
        this.end(transaction);
      }
    });
  }

  async abort(id: string): Promise<void> {
    const transaction = this.find(id);
    await transaction.serialize(async () => {
      if (transaction.ended) throw transactionMissing();
      this.end(transaction);
    });
  }

  /** Drops the running transaction (closing the database). */
  close(): void {
    if (this.active) this.end(this.active);
    for (const waiter of this.waiters.splice(0)) waiter.cancel();
  }

  private find(id: string): Transaction {
    if (!this.active || this.active.id !== id) throw transactionMissing();
    return this.active;
  }

  private begin(): string {
    const transaction = new Transaction(newTransactionId(this.now()), this.store);
    this.active = transaction;
    this.expiry = setTimeout(() => this.end(transaction), this.lifetimeMs);
    this.expiry.unref();
    return transaction.id;
  }

  private end(transaction: Transaction): void {
    if (transaction.ended) return;
    transaction.ended = true;
    if (this.active !== transaction) return;
    this.active = null;
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = null;
    this.waiters.shift()?.grant();
  }
}

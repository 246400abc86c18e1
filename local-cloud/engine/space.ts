/**
 * Where an operation reads and writes documents: straight in the store (locks held until the
 * write is durable), or inside a transaction (its own writes visible to it, nothing written
 * until commit). The operations (find.ts, writes.ts) are written once against this interface.
 */
import type { Release } from './key-locks';
import type { DocWrite, Store } from './store';

export type Entry = [key: string, text: string];

export interface DocumentSpace {
  readonly store: Store;
  /** The current text of each key (undefined: no document). */
  read(keys: string[]): Promise<(string | undefined)[]>;
  /** The documents of a collection, a chunk at a time. */
  scan(collection: string): AsyncGenerator<Entry[]>;
  /** Held around a read-modify-write of these keys. */
  lock(keys: string[]): Promise<Release>;
  write(writes: DocWrite[]): Promise<void>;
  /** True when the store's count of the collection is this space's (no pending transaction writes). */
  readonly direct: boolean;
}

export function directSpace(store: Store, lock: (keys: string[]) => Promise<Release>): DocumentSpace {
  return {
    store,
    direct: true,
    read: (keys) => store.getMany(keys),
    scan: (collection) => store.scan(collection),
    lock,
    write: (writes) => store.commit(writes),
  };
}

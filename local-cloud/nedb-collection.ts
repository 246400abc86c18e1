/**
 * One collection of the local database: `doc()` get/set/update/remove, `add`, and queries
 * (`where`, `limit`, `skip`, `orderBy`, `get`, `count`, `update`, `remove`), with the cloud
 * database's answers and errors. Update semantics come from emulation/db-commands.ts.
 * Every write is a read-check-write under the document's lock, and is readable only once it is
 * in the collection's file (see Table): a write that fails changes nothing.
 */
import { randomBytes } from 'crypto';
import { applyUpdate, resolveValues, type Doc } from '../emulation/db-commands';
import { EmulatedSdkError, documentNotFound, duplicateKey } from '../emulation/emulated-sdk-errors';
import { toNedbQuery } from './db-query';
import type { KeyedLock } from './keyed-lock';
import { checkFieldNames, nedbCall, storageCall } from './nedb-errors';
import type { Table } from './table';

/** What a collection needs from its database. */
export interface CollectionHost {
  /** The collection's table, or a -502005 rejection for `api`. */
  table(api: string, name: string): Table;
  readonly locks: KeyedLock;
  now(): Date;
}

// In a cloud function, get() answers at most 100 records unless limit() asks for up to 1000.
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

interface QueryState {
  condition: Doc;
  limit?: number;
  skip?: number;
  sort?: Record<string, 1 | -1>;
}

export class LocalQuery {
  constructor(
    protected readonly host: CollectionHost,
    protected readonly name: string,
    private readonly state: QueryState = { condition: {} },
  ) {}

  where(condition: Doc): LocalQuery {
    return new LocalQuery(this.host, this.name, {
      ...this.state,
      condition: { ...this.state.condition, ...condition },
    });
  }

  limit(n: number): LocalQuery {
    return new LocalQuery(this.host, this.name, { ...this.state, limit: Math.min(Math.max(0, n), MAX_LIMIT) });
  }

  skip(n: number): LocalQuery {
    return new LocalQuery(this.host, this.name, { ...this.state, skip: Math.max(0, n) });
  }

  orderBy(field: string, order: 'asc' | 'desc'): LocalQuery {
    const sort = { ...this.state.sort, [field]: order === 'desc' ? -1 : 1 } as Record<string, 1 | -1>;
    return new LocalQuery(this.host, this.name, { ...this.state, sort });
  }

  async get(): Promise<{ data: Doc[]; errMsg: string }> {
    const api = 'collection.get';
    const { store } = this.host.table(api, this.name);
    const query = toNedbQuery(this.state.condition, api);
    const data = await nedbCall(api, async () => {
      let cursor = store.findAsync(query);
      if (this.state.sort) cursor = cursor.sort(this.state.sort);
      if (this.state.skip) cursor = cursor.skip(this.state.skip);
      return (await cursor.limit(this.state.limit ?? DEFAULT_LIMIT)) as unknown as Doc[];
    });
    return { data, errMsg: `${api}:ok` };
  }

  async count(): Promise<{ total: number; errMsg: string }> {
    const api = 'collection.count';
    const { store } = this.host.table(api, this.name);
    const query = toNedbQuery(this.state.condition, api);
    const total = (await nedbCall(api, async () => store.countAsync(query))) as unknown as number;
    return { total, errMsg: `${api}:ok` };
  }

  /** Applies `data` to every matching document (each one a locked read-modify-write). */
  async update({ data }: { data: Doc }): Promise<{ stats: { updated: number }; errMsg: string }> {
    const api = 'collection.update';
    let updated = 0;
    for (const id of await this.matchingIds(api)) updated += await updateOne(this.host, this.name, id, data, api);
    return { stats: { updated }, errMsg: `${api}:ok` };
  }

  async remove(): Promise<{ stats: { removed: number }; errMsg: string }> {
    const api = 'collection.remove';
    let removed = 0;
    for (const id of await this.matchingIds(api)) removed += await removeOne(this.host, this.name, id, api);
    return { stats: { removed }, errMsg: `${api}:ok` };
  }

  private async matchingIds(api: string): Promise<string[]> {
    const { store } = this.host.table(api, this.name);
    const query = toNedbQuery(this.state.condition, api);
    const docs = (await nedbCall(api, async () => store.findAsync(query, { _id: 1 }))) as unknown as Doc[];
    return docs.map((doc) => String(doc._id));
  }
}

export class LocalCollection extends LocalQuery {
  constructor(
    host: CollectionHost,
    name: string,
    private readonly throwOnNotFound: boolean,
  ) {
    super(host, name);
  }

  doc(id: string): LocalDocument {
    if (typeof id !== 'string' || id === '') {
      throw new EmulatedSdkError('collection.doc', -501007, 'invalid parameters. docId must be a non-empty string');
    }
    return new LocalDocument(this.host, this.name, id, this.throwOnNotFound);
  }

  async add({ data }: { data: Doc }): Promise<{ _id: string; errMsg: string }> {
    const api = 'collection.add';
    const table = this.host.table(api, this.name);
    const id = typeof data._id === 'string' && data._id !== '' ? data._id : randomBytes(16).toString('hex');
    const doc = { ...(resolveValues(data, this.host.now()) as Doc), _id: id };
    checkFieldNames(api, doc);
    await this.host.locks.run(lockKey(this.name, id), async () => {
      if (await findById(table, id, api)) throw duplicateKey(api, id);
      await storageCall(api, () => table.put(doc));
    });
    return { _id: id, errMsg: `${api}:ok` };
  }
}

export class LocalDocument {
  constructor(
    private readonly host: CollectionHost,
    private readonly name: string,
    private readonly id: string,
    private readonly throwOnNotFound: boolean,
  ) {}

  async get(): Promise<{ data: Doc | null; errMsg: string }> {
    const api = 'document.get';
    const data = await findById(this.host.table(api, this.name), this.id, api);
    if (!data && this.throwOnNotFound) throw documentNotFound(this.id);
    return { data: data ?? null, errMsg: `${api}:ok` };
  }

  /** Replaces the whole document, creating it when missing. */
  async set({
    data,
  }: {
    data: Doc;
  }): Promise<{ _id: string; stats: { updated: number; created: number }; errMsg: string }> {
    const api = 'document.set';
    const table = this.host.table(api, this.name);
    const doc = { ...(resolveValues(data, this.host.now()) as Doc), _id: this.id };
    checkFieldNames(api, doc);
    const existed = await this.host.locks.run(lockKey(this.name, this.id), async () => {
      const current = await findById(table, this.id, api);
      await storageCall(api, () => table.put(doc));
      return current !== null;
    });
    return { _id: this.id, stats: { updated: existed ? 1 : 0, created: existed ? 0 : 1 }, errMsg: `${api}:ok` };
  }

  async update({ data }: { data: Doc }): Promise<{ stats: { updated: number }; errMsg: string }> {
    const api = 'document.update';
    const updated = await updateOne(this.host, this.name, this.id, data, api);
    return { stats: { updated }, errMsg: `${api}:ok` };
  }

  async remove(): Promise<{ stats: { removed: number }; errMsg: string }> {
    const api = 'document.remove';
    return { stats: { removed: await removeOne(this.host, this.name, this.id, api) }, errMsg: `${api}:ok` };
  }
}

const lockKey = (collection: string, id: string): string => `${collection}\u0000${id}`;

async function findById(table: Table, id: string, api: string): Promise<Doc | null> {
  return (await nedbCall(api, async () => table.store.findOneAsync({ _id: id }))) as unknown as Doc | null;
}

async function updateOne(host: CollectionHost, name: string, id: string, data: Doc, api: string): Promise<number> {
  const table = host.table(api, name);
  return host.locks.run(lockKey(name, id), async () => {
    const current = await findById(table, id, api);
    if (!current) return 0;
    const next = applyUpdate(current, data, host.now());
    checkFieldNames(api, next);
    await storageCall(api, () => table.put(next));
    return 1;
  });
}

async function removeOne(host: CollectionHost, name: string, id: string, api: string): Promise<number> {
  const table = host.table(api, name);
  return host.locks.run(lockKey(name, id), async () => {
    if (!(await findById(table, id, api))) return 0;
    await storageCall(api, () => table.delete(id));
    return 1;
  });
}

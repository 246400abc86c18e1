/**
 * A collection's file, in nedb's own format (one JSON document per line, dates as
 * `{"$$date":ms}`, removals as `{"$$deleted":true,"_id":...}`, last line of an _id wins), so
 * nedb can still open it. Writes are group-committed: every write waiting while the previous
 * batch is on its way goes out in the next single append. (nedb's own persistence opens,
 * appends and closes the file once per write inside its serial queue, which capped the local
 * cloud near 1,400 logins/s.) Compaction rewrites the file from a snapshot, in the same queue.
 */
import { promises as fsp } from 'fs';
import type { Doc } from '../emulation/db-commands';

export function serialize(doc: Doc): string {
  return JSON.stringify(doc, function (this: Record<string, unknown>, key: string, value: unknown) {
    const original = this[key];
    return original instanceof Date ? { $$date: original.getTime() } : value;
  });
}

export function deserialize(line: string): Doc {
  return JSON.parse(line, (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const { $$date } = value as { $$date?: unknown };
      if (typeof $$date === 'number' && Object.keys(value).length === 1) return new Date($$date);
    }
    return value;
  }) as Doc;
}

// Like nedb: a few unreadable lines (a write cut short) are skipped; more than this refuses to load.
const CORRUPT_ALERT_THRESHOLD = 0.1;

/** The documents of a collection file (none if it does not exist). */
export async function readCollectionFile(file: string): Promise<Doc[]> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return [];
    throw error;
  }
  const byId = new Map<string, Doc>();
  let lines = 0;
  let corrupt = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    lines += 1;
    try {
      const doc = deserialize(line);
      if (typeof doc._id !== 'string') continue;
      if (doc.$$deleted === true) byId.delete(doc._id);
      else byId.set(doc._id, doc);
    } catch {
      corrupt += 1;
    }
  }
  if (lines > 0 && corrupt / lines > CORRUPT_ALERT_THRESHOLD) {
    throw new Error(`${file}: ${corrupt} of ${lines} lines are unreadable; refusing to load it`);
  }
  return [...byId.values()];
}

export class Journal {
  private handle: fsp.FileHandle | null = null;
  private tail: Promise<void> = Promise.resolve();
  private batch: string[] | null = null;
  private batchDone: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {}

  /** Resolves once the document's line is in the file. */
  write(doc: Doc): Promise<void> {
    return this.append(serialize(doc));
  }

  remove(id: string): Promise<void> {
    return this.append(serialize({ $$deleted: true, _id: id }));
  }

  /** Rewrites the file with exactly `snapshot()`, taken when every earlier write is in the file. */
  compact(snapshot: () => Doc[]): Promise<void> {
    return this.enqueue(async () => {
      const text = snapshot()
        .map((doc) => `${serialize(doc)}\n`)
        .join('');
      const temp = `${this.file}~`;
      await fsp.writeFile(temp, text);
      await this.closeHandle();
      await fsp.rename(temp, this.file);
    });
  }

  /** Compacts, then releases the file. */
  async close(snapshot: () => Doc[]): Promise<void> {
    await this.compact(snapshot);
    await this.enqueue(() => this.closeHandle());
  }

  private append(line: string): Promise<void> {
    if (!this.batch) {
      const lines: string[] = [];
      this.batch = lines;
      this.batchDone = this.enqueue(async () => {
        this.batch = null;
        this.handle ??= await fsp.open(this.file, 'a');
        await this.handle.appendFile(lines.join(''));
      });
    }
    this.batch.push(`${line}\n`);
    return this.batchDone;
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.tail.then(task);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async closeHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.close();
  }
}

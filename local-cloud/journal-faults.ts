/**
 * For tests: Node's file operations with failures on demand (a full disk, a failed rename),
 * to drive a Journal through the faults a real disk produces.
 */
import * as path from 'path';
import { nodeJournalFs, type JournalFs, type JournalHandle } from './journal';

export type FaultyOperation = 'open' | 'create' | 'write' | 'truncate' | 'datasync' | 'rename';

interface Fault {
  operation: FaultyOperation;
  code: string;
  /** For `write`: how much of the data reaches the file before the failure. */
  writtenFraction: number;
  /** Only for files whose name ends so (`.db~` for compaction's temporary file). */
  fileSuffix: string;
}

export class FaultyJournalFs implements JournalFs {
  private readonly faults: Fault[] = [];

  /** The next `operation` (on a file ending with `fileSuffix`) fails with `code`. */
  failNext(
    operation: FaultyOperation,
    { code = 'ENOSPC', writtenFraction = 0.5, fileSuffix = '' }: Partial<Omit<Fault, 'operation'>> = {},
  ): this {
    this.faults.push({ operation, code, writtenFraction, fileSuffix });
    return this;
  }

  /** Faults armed but not hit yet. */
  get pending(): number {
    return this.faults.length;
  }

  async open(file: string): Promise<JournalHandle> {
    this.hit('open', file);
    return this.wrap(file, await nodeJournalFs.open(file));
  }

  async create(file: string): Promise<JournalHandle> {
    this.hit('create', file);
    return this.wrap(file, await nodeJournalFs.create(file));
  }

  async rename(from: string, to: string): Promise<void> {
    this.hit('rename', to);
    await nodeJournalFs.rename(from, to);
  }

  remove(file: string): Promise<void> {
    return nodeJournalFs.remove(file);
  }

  syncDir(dir: string): Promise<void> {
    return nodeJournalFs.syncDir(dir);
  }

  private wrap(file: string, handle: JournalHandle): JournalHandle {
    return {
      readAll: () => handle.readAll(),
      write: async (data, position) => {
        const fault = this.take('write', file);
        if (!fault) return handle.write(data, position);
        const partial = Math.floor(data.length * fault.writtenFraction);
        if (partial > 0) await handle.write(data.subarray(0, partial), position);
        throw failure(fault.code, 'write', file);
      },
      truncate: async (length) => {
        this.hit('truncate', file);
        await handle.truncate(length);
      },
      datasync: async () => {
        this.hit('datasync', file);
        await handle.datasync();
      },
      close: () => handle.close(),
    };
  }

  private hit(operation: FaultyOperation, file: string): void {
    const fault = this.take(operation, file);
    if (fault) throw failure(fault.code, operation, file);
  }

  private take(operation: FaultyOperation, file: string): Fault | undefined {
    const index = this.faults.findIndex((f) => f.operation === operation && file.endsWith(f.fileSuffix));
    return index < 0 ? undefined : this.faults.splice(index, 1)[0];
  }
}

const failure = (code: string, operation: string, file: string): Error =>
  Object.assign(new Error(`${code}: injected failure, ${operation} '${path.basename(file)}'`), { code });

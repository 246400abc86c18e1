/**
 * Locks on document keys, held from the read of a read-modify-write until its write is durable,
 * so two writers of one document never interleave and nobody reads a write that may still fail.
 * A holder of several keys takes them in sorted order: two holders cannot wait on each other.
 */
export type Release = () => void;

export class KeyLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async acquire(keys: Iterable<string>): Promise<Release> {
    const sorted = [...new Set(keys)].sort();
    const releases: Release[] = [];
    for (const key of sorted) releases.push(await this.acquireOne(key));
    return () => {
      for (const release of releases) release();
    };
  }

  private async acquireOne(key: string): Promise<Release> {
    const previous = this.tails.get(key);
    let release!: Release;
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous ? previous.then(() => done) : done;
    this.tails.set(key, tail);
    if (previous) await previous;
    return () => {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }
}

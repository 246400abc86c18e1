/**
 * Tells when a function folder's code changes (a rebuild, an edit, `npm install`), once per burst
 * of changes (or, given another filter, when any folder's files of interest change). One non-recursive fs.watch per folder (works alike on Linux, macOS and Windows);
 * node_modules is watched at its top only (packages added or removed), not descended into.
 */
import * as fs from 'fs';
import * as path from 'path';

/** Files whose change changes what `require` loads; folders (no extension) may hold such files. */
const CODE = /\.(js|cjs|mjs|json|node)$/;
export const mayChangeCode = (name: string | null): boolean =>
  name === null || CODE.test(name) || !path.basename(name).includes('.');

export class SourceWatcher {
  private readonly watchers = new Map<string, fs.FSWatcher>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** False when the folder could not be watched (missing, or out of watch handles). */
  watching = true;

  constructor(
    private readonly dir: string,
    private readonly onChange: () => void,
    private readonly debounceMs: number,
    /** Which changed names count (a file or folder name, or null when the system does not say). */
    private readonly counts: (name: string | null) => boolean = mayChangeCode,
  ) {
    try {
      this.watchTree(dir);
    } catch {
      this.close();
      this.watching = false;
    }
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  private watchTree(dir: string): void {
    if (this.closed || this.watchers.has(dir)) return;
    const watcher = fs.watch(dir, { persistent: false }, (_event, name) => this.changed(dir, name));
    watcher.on('error', () => {
      this.close();
      this.watching = false;
    });
    this.watchers.set(dir, watcher);
    if (path.basename(dir) === 'node_modules') return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && !entry.name.startsWith('.')) this.watchTree(path.join(dir, entry.name));
    }
  }

  /** A folder created inside gets its own watcher; a removed one's watcher is dropped. */
  private followFolder(full: string): void {
    let isFolder: boolean;
    try {
      isFolder = fs.statSync(full).isDirectory();
    } catch {
      this.watchers.get(full)?.close();
      this.watchers.delete(full);
      return;
    }
    if (!isFolder || path.basename(full).startsWith('.')) return;
    try {
      this.watchTree(full);
    } catch {
      this.close();
      this.watching = false;
    }
  }

  private changed(dir: string, name: string | Buffer | null): void {
    const file = name === null ? null : name.toString();
    if (this.closed || !this.counts(file)) return;
    if (!fs.existsSync(this.dir)) {
      // The folder itself went away (a clean rebuild): the owner falls back to checking on calls.
      this.close();
      this.watching = false;
      this.onChange();
      return;
    }
    if (file !== null && path.basename(dir) !== 'node_modules') this.followFolder(path.join(dir, file));
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (!this.closed) this.onChange();
    }, this.debounceMs);
  }
}

/**
 * `npm start` serves the functions' deployable folders, which `npm run build` writes from the
 * TypeScript sources: the folders are built at start when a source is newer than them, and again
 * whenever a source changes while the emulator runs (the instances then replace themselves: they
 * watch their folders). The build itself is scripts/build.js, loaded from the project at run time.
 */
import { promises as fsp, watch, type FSWatcher } from 'fs';
import { createRequire } from 'module';
import * as path from 'path';
import { ROOT } from './config';
import { SourceWatcher } from './instances/source-watcher';

export interface BuildScript {
  /** Builds every function of cloudbaserc.json (or `names`) into `outRoot`; answers the folders written. */
  buildFunctions(options?: { outRoot?: string; names?: string[]; warn?: (message: string) => void }): Promise<string[]>;
}

/** scripts/build.js of the project (not bundled into the emulator: it runs esbuild). */
export function buildScript(root = ROOT): BuildScript {
  return createRequire(__filename)(path.join(root, 'scripts', 'build.js')) as BuildScript;
}

/** Where the sources of the built functions are (what a change of rebuilds). */
export const SOURCE_DIRS = ['cloud', path.join('miniprogram', 'shared')];
/** Files besides the sources whose change changes the built folders. */
const BUILD_INPUTS = ['cloudbaserc.json', 'package-lock.json', 'tsconfig.json', path.join('scripts', 'build.js')];
const BUILD_INPUT_DIRS = [path.join('scripts', 'lib')];

/** A source file of a function, or a folder that may hold some (not a test, not a dot file). */
export function isSourceName(name: string | null): boolean {
  if (name === null) return true;
  const base = path.basename(name);
  if (base.startsWith('.')) return false;
  if (!base.includes('.')) return true;
  return /\.(ts|json)$/.test(base) && !/\.test\.ts$/.test(base);
}

/**
 * Whether a function with a TypeScript source (`cloud/functions/<name>.ts`) has no built
 * `index.js` in its folder, or one older than a source or build input.
 */
export async function functionsOutdated(
  functions: readonly { name: string; dir: string }[],
  root = ROOT,
): Promise<boolean> {
  const built: number[] = [];
  for (const { name, dir } of functions) {
    if (!(await exists(path.join(root, 'cloud', 'functions', `${name}.ts`)))) continue;
    const stat = await fsp.stat(path.join(dir, 'index.js')).catch(() => null);
    if (!stat) return true;
    built.push(stat.mtimeMs);
  }
  if (built.length === 0) return false;
  const oldest = Math.min(...built);
  const inputs = [
    ...SOURCE_DIRS.map((dir) => newestUnder(path.join(root, dir), isSourceName)),
    ...BUILD_INPUT_DIRS.map((dir) => newestUnder(path.join(root, dir), () => true)),
    ...BUILD_INPUTS.map((file) => newestUnder(path.join(root, file), () => true)),
  ];
  return (await Promise.all(inputs)).some((newest) => newest > oldest);
}

/**
 * Runs `build` once per burst of source changes, never two at once: a change during a build
 * runs it again afterwards. `build` reports its own failures; the watch goes on.
 */
export class SourceRebuilds {
  private readonly watchers: SourceWatcher[];
  private readonly listWatcher: FSWatcher | undefined;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly build: () => Promise<void>,
    options: { root?: string; debounceMs?: number } = {},
  ) {
    const root = options.root ?? ROOT;
    const debounceMs = options.debounceMs ?? 200;
    this.watchers = SOURCE_DIRS.map(
      (dir) => new SourceWatcher(path.join(root, dir), () => this.request(), debounceMs, isSourceName),
    );
    // Functions added to or removed from the list (editors often save by renaming: the folder is watched).
    try {
      this.listWatcher = watch(root, { persistent: false }, (_event, name) => {
        if (name?.toString() === 'cloudbaserc.json') this.request();
      });
      this.listWatcher.on('error', () => this.listWatcher?.close());
    } catch {
      this.listWatcher = undefined;
    }
  }

  /** Whether every source folder is being watched (fs.watch may be unavailable). */
  get watching(): boolean {
    return this.watchers.every((watcher) => watcher.watching);
  }

  /** Settles once no build is running or pending. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  request(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.build();
      } while (this.again);
    })().finally(() => {
      this.running = undefined;
    });
  }

  close(): void {
    for (const watcher of this.watchers) watcher.close();
    this.listWatcher?.close();
  }
}

async function exists(file: string): Promise<boolean> {
  return (await fsp.stat(file).catch(() => null)) !== null;
}

/** The newest mtime of `file`, or of the files under it that `counts`; 0 when there is none. */
async function newestUnder(file: string, counts: (name: string) => boolean): Promise<number> {
  const stat = await fsp.stat(file).catch(() => null);
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of await fsp.readdir(file, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules' || !counts(entry.name)) continue;
    newest = Math.max(newest, await newestUnder(path.join(file, entry.name), counts));
  }
  return newest;
}

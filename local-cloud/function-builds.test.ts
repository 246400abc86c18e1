/** When `npm start` builds the function folders: at start when outdated, and on each source change. */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { functionsOutdated, isSourceName, SourceRebuilds } from './function-builds';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'function-builds-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Writes `file` (relative to root) with an mtime of `seconds` since the epoch. */
function write(file: string, seconds: number, text = ''): void {
  const full = path.join(root, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
  utimesSync(full, seconds, seconds);
}

const specs = () => [
  { name: 'login', dir: path.join(root, 'cloudfunctions', 'login') },
  { name: 'mine', dir: path.join(root, 'cloudfunctions', 'mine') },
];

describe('functionsOutdated', () => {
  beforeEach(() => {
    write('cloud/functions/login.ts', 100);
    write('cloud/core/answer.ts', 100);
    write('miniprogram/shared/api.ts', 100);
    write('package-lock.json', 100);
    // A plain JavaScript function: no source, never built.
    write('cloudfunctions/mine/index.js', 1);
  });

  it('is true when a built function has no index.js yet', async () => {
    expect(await functionsOutdated(specs(), root)).toBe(true);
  });

  it('is false when every built index.js is newer than every source and build input', async () => {
    write('cloudfunctions/login/index.js', 200);
    expect(await functionsOutdated(specs(), root)).toBe(false);
  });

  it.each([
    'cloud/core/answer.ts',
    'miniprogram/shared/api.ts',
    'package-lock.json',
    'cloudbaserc.json',
    'scripts/lib/x.js',
  ])('is true when %s is newer than a built index.js', async (file) => {
    write('cloudfunctions/login/index.js', 200);
    write(file, 300);
    expect(await functionsOutdated(specs(), root)).toBe(true);
  });

  it('ignores tests, dot files and node_modules', async () => {
    write('cloudfunctions/login/index.js', 200);
    write('cloud/functions/login.test.ts', 300);
    write('cloud/.cache/x.ts', 300);
    write('cloud/node_modules/x/index.ts', 300);
    expect(await functionsOutdated(specs(), root)).toBe(false);
  });
});

it('counts sources and folders as changes, not tests, dot files or other files', () => {
  for (const name of ['login.ts', 'api.ts', 'tsconfig.json', 'functions', null]) expect(isSourceName(name)).toBe(true);
  for (const name of ['login.test.ts', '.DS_Store', 'notes.md', 'a.ts.swp']) expect(isSourceName(name)).toBe(false);
});

describe('SourceRebuilds', () => {
  /** A build that waits until the test lets it finish. */
  function controlledBuild() {
    const started: Array<() => void> = [];
    let waiting: (() => void) | undefined;
    const build = () =>
      new Promise<void>((resolve) => {
        started.push(resolve);
        waiting?.();
      });
    const nextStart = () => new Promise<void>((resolve) => (waiting = resolve));
    return { build, started, nextStart };
  }

  it('builds once per burst of source changes, and again after a build if a change came during it', async () => {
    write('cloud/functions/login.ts', 100);
    write('miniprogram/shared/api.ts', 100);
    const { build, started, nextStart } = controlledBuild();
    const rebuilds = new SourceRebuilds(build, { root, debounceMs: 50 });
    try {
      expect(rebuilds.watching).toBe(true);
      let starting = nextStart();
      writeFileSync(path.join(root, 'cloud', 'functions', 'login.ts'), 'changed');
      writeFileSync(path.join(root, 'miniprogram', 'shared', 'api.ts'), 'changed');
      await starting;
      expect(started).toHaveLength(1);
      // A change while building: one more build, after this one.
      starting = nextStart();
      rebuilds.request();
      started[0]();
      await starting;
      expect(started).toHaveLength(2);
      started[1]();
      await rebuilds.idle();
      expect(started).toHaveLength(2);
    } finally {
      rebuilds.close();
    }
  });
});

/**
 * Checks on the package as DevTools would build it: every page and component is complete, every
 * WXML compiles with WeChat's own compiler (wcc), and nothing outside miniprogram/ is imported.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = __dirname;
const PROJECT = path.resolve(ROOT, '..');
const FILES = ['.ts', '.wxml', '.wxss', '.json'];

interface ComponentJson {
  component?: boolean;
  usingComponents?: Record<string, string>;
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : walk(full);
    return [full];
  });
}

const appJson = readJson<{ pages: string[]; tabBar?: { list: Array<{ pagePath: string }> } }>(
  path.join(ROOT, 'app.json'),
);

/** Every page and every component it uses (transitively), as paths relative to miniprogram/. */
function allComponents(): string[] {
  const seen = new Set<string>();
  const visit = (relative: string) => {
    if (seen.has(relative)) return;
    seen.add(relative);
    const jsonFile = path.join(ROOT, `${relative}.json`);
    if (!fs.existsSync(jsonFile)) return;
    for (const target of Object.values(readJson<ComponentJson>(jsonFile).usingComponents ?? {})) {
      const resolved = target.startsWith('/')
        ? target.slice(1)
        : path.relative(ROOT, path.resolve(ROOT, path.dirname(relative), target));
      visit(resolved.split(path.sep).join('/'));
    }
  };
  appJson.pages.forEach(visit);
  return [...seen];
}

describe('app.json', () => {
  test.each(appJson.pages)('page %s exists with its four files', (page) => {
    for (const ext of FILES) expect(fs.existsSync(path.join(ROOT, `${page}${ext}`))).toBe(true);
  });

  test('tab bar pages are pages', () => {
    for (const item of appJson.tabBar?.list ?? []) expect(appJson.pages).toContain(item.pagePath);
  });

  test.each(allComponents().filter((c) => !appJson.pages.includes(c)))('component %s is complete', (component) => {
    for (const ext of FILES) expect(fs.existsSync(path.join(ROOT, `${component}${ext}`))).toBe(true);
    expect(readJson<ComponentJson>(path.join(ROOT, `${component}.json`)).component).toBe(true);
  });

  test('project.config.json opens this folder', () => {
    const project = readJson<{ miniprogramRoot: string; setting: { useCompilerPlugins: string[] } }>(
      path.join(PROJECT, 'project.config.json'),
    );
    expect(path.resolve(PROJECT, project.miniprogramRoot)).toBe(ROOT);
    expect(project.setting.useCompilerPlugins).toContain('typescript');
  });
});

describe('WXML', () => {
  const wxmlFiles = walk(ROOT)
    .filter((file) => file.endsWith('.wxml'))
    .map((file) => path.relative(ROOT, file).split(path.sep).join('/'));

  test('every file compiles with the official compiler (wcc)', () => {
    expect(wxmlFiles.length).toBeGreaterThan(0);
    const wcc = executableWcc();
    // Same arguments as miniprogram-compiler: components and the tags each one uses.
    const withComponents = wxmlFiles
      .map((file) => ({ file, json: path.join(ROOT, file.replace(/\.wxml$/, '.json')) }))
      .filter(({ json }) => fs.existsSync(json))
      .map(({ file, json }) => ({ file, tags: Object.keys(readJson<ComponentJson>(json).usingComponents ?? {}) }))
      .filter(({ tags }) => tags.length > 0);
    const componentArgs = [
      withComponents.length,
      ...withComponents.flatMap(({ file, tags }) => [file, tags.length, ...tags]),
    ].join(' ');
    const result = spawnSync(wcc, ['-d', '-cc', componentArgs, ...wxmlFiles, '-gn', '$gwx'], {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(result.error).toBeUndefined();
    expect(result.stderr.toString()).toBe('');
    expect(result.status).toBe(0);
  });

  test('a broken template does fail the compiler', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxml-'));
    fs.writeFileSync(path.join(dir, 'broken.wxml'), '<view><text>{{name}}</view>');
    const result = spawnSync(executableWcc(), ['-d', '-cc', '0', 'broken.wxml', '-gn', '$gwx'], { cwd: dir });
    expect(result.status).not.toBe(0);
    expect(result.stderr.toString()).toContain('expect end-tag');
  });
});

describe('package boundary', () => {
  const sources = walk(ROOT).filter(
    (file) =>
      file.endsWith('.ts') &&
      !file.endsWith('.test.ts') &&
      !file.endsWith('.d.ts') &&
      !file.includes(`${path.sep}testing${path.sep}`),
  );

  test.each(sources.map((file) => path.relative(ROOT, file)))(
    '%s imports values only from inside miniprogram/',
    (relative) => {
      const source = fs.readFileSync(path.join(ROOT, relative), 'utf8');
      // Only miniprogram/ is uploaded: a value import from outside compiles in DevTools and
      // then fails on the phone. `import type` is erased and may cross.
      const imports = [...source.matchAll(/^import\s+(type\s+)?[^'"]*?from\s+'([^']+)'/gm)];
      for (const [, typeOnly, specifier] of imports) {
        if (typeOnly) continue;
        expect(specifier.startsWith('.')).toBe(true);
        const target = path.resolve(ROOT, path.dirname(relative), specifier);
        expect(target.startsWith(ROOT + path.sep)).toBe(true);
      }
      expect(source).not.toMatch(/\brequire\(/);
    },
  );
});

/** wcc ships without the execute bit: run a copy. */
function executableWcc(): string {
  const binary =
    process.platform === 'darwin' ? 'mac/wcc' : process.platform === 'win32' ? 'windows/wcc.exe' : 'linux/wcc';
  const source = path.join(PROJECT, 'node_modules', 'miniprogram-compiler', 'bin', binary);
  const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wcc-')), path.basename(binary));
  fs.copyFileSync(source, copy);
  fs.chmodSync(copy, 0o755);
  return copy;
}

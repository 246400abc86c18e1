/**
 * Adds a field to the profile table the way a developer would, one line in
 * miniprogram/shared/profile.ts, but in memory: every module loaded afterwards (through a
 * relative path or `@shared/profile`) sees the edited table, and the repository is untouched.
 * Load the code under test after calling it (jest.resetModules, then require).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

export const PROFILE_TABLE_FILE = path.resolve(__dirname, '..', 'miniprogram', 'shared', 'profile.ts');
const TABLE_END = '} as const);';

/** Appends `entry` (e.g. `bio: { kind: 'text', label: '个人简介' },`) to the table; undo with jest.dontMock. */
export function addProfileField(entry: string): void {
  const source = fs.readFileSync(PROFILE_TABLE_FILE, 'utf8');
  if (source.split(TABLE_END).length !== 2) throw new Error(`the profile table no longer ends with ${TABLE_END}`);
  const edited = source.replace(TABLE_END, `  ${entry}\n${TABLE_END}`);
  const { outputText } = ts.transpileModule(edited, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
    fileName: PROFILE_TABLE_FILE,
  });
  jest.doMock(PROFILE_TABLE_FILE, () => {
    const module = { exports: {} as Record<string, unknown> };
    const load = (specifier: string): unknown =>
      jest.requireActual(path.resolve(path.dirname(PROFILE_TABLE_FILE), specifier));
    new Function('exports', 'require', 'module', outputText)(module.exports, load, module);
    return module.exports;
  });
}

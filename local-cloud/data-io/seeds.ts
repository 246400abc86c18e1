/**
 * Named seed scenarios: export folders shipped in local-cloud/seeds/<name>/ (each also an
 * example of the export format). `npm start -- --seed <name>` imports one into a fresh data
 * folder; its manifest's `scenario` says which caller to use and what the functions answer.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from '../config';

export const SEEDS_DIR = path.join(ROOT, 'local-cloud', 'seeds');

/** The seeds shipped with the project, by name. */
export function seedNames(): string[] {
  try {
    return fs
      .readdirSync(SEEDS_DIR, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(SEEDS_DIR, entry.name, 'manifest.json')))
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

/** The folder of the seed `name`; throws naming the seeds there are. */
export function seedDir(name: string): string {
  const names = seedNames();
  if (!names.includes(name)) throw new Error(`no seed "${name}": choose one of ${names.join(', ')}`);
  return path.join(SEEDS_DIR, name);
}

#!/usr/bin/env node
/**
 * `npm run console:screenshots`: runs the console's browser test with CONSOLE_SCREENSHOTS=1, which
 * saves a picture of each screen as docs/console-<screen>.png (for the README and the manual).
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const jest = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
const result = spawnSync(process.execPath, [jest, 'local-cloud/console/console.browser.test.ts'], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, CONSOLE_SCREENSHOTS: '1' },
});
process.exit(result.status ?? 1);

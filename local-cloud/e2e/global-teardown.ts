/** Removes what the global setup built. */
import { rmSync } from 'fs';
import { PROJECT_VARIABLE } from './testing/functions-project';

export default function globalTeardown(): void {
  const dir = process.env[PROJECT_VARIABLE];
  if (dir) rmSync(dir, { recursive: true, force: true });
}

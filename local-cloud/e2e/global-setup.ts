/** Builds the functions the end-to-end suite runs, once per test run (see testing/functions-project.ts). */
import { mkdtempSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { prepareFunctionsProject, PROJECT_VARIABLE } from './testing/functions-project';

export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-e2e-'));
  // Read by the test workers, which start after this.
  process.env[PROJECT_VARIABLE] = dir;
  await prepareFunctionsProject(dir);
}

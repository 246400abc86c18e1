/**
 * The functions the end-to-end suite runs, as a project of their own in a temp folder: a
 * cloudbaserc.json listing the project's functions and the fixtures (e2e/fixtures), and its
 * cloudfunctions/ holding the project's functions built by scripts/build.js (the same bytes
 * `npm run build` writes and tcb uploads) and the fixture folders as WeChat DevTools makes them
 * (index.js, package.json, config.json, node_modules/wx-server-sdk installed: here linked to the
 * project's copy). The developer's own cloudfunctions/ is never written.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from '../../config';
import { buildScript } from '../../function-builds';

/** Set by the global setup: the folder holding the suite's cloudbaserc.json. */
export const PROJECT_VARIABLE = 'LOCAL_CLOUD_E2E_PROJECT';
const FIXTURES = path.join(__dirname, '..', 'fixtures');
const SDK = path.join(ROOT, 'node_modules', 'wx-server-sdk');

interface FunctionEntry {
  name: string;
  [field: string]: unknown;
}

/** Writes the project into `dir` (an empty folder) and builds it. */
export async function prepareFunctionsProject(dir: string): Promise<void> {
  const rc = JSON.parse(fs.readFileSync(path.join(ROOT, 'cloudbaserc.json'), 'utf8')) as {
    functionRoot: string;
    functions: FunctionEntry[];
  };
  const fixtures = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'functions.json'), 'utf8')) as FunctionEntry[];
  const root = path.join(dir, 'cloudfunctions');
  for (const { name } of rc.functions) {
    const target = path.join(root, name);
    fs.mkdirSync(target, { recursive: true });
    for (const file of ['package.json', 'config.json']) {
      fs.copyFileSync(path.join(ROOT, rc.functionRoot, name, file), path.join(target, file));
    }
  }
  for (const { name } of fixtures) addDevToolsFolder(path.join(FIXTURES, name), path.join(root, name));
  const functions = [...rc.functions, ...fixtures];
  fs.writeFileSync(
    path.join(dir, 'cloudbaserc.json'),
    JSON.stringify({ ...rc, envId: 'e2e-env', functionRoot: 'cloudfunctions', functions }, null, 2),
  );
  await buildScript().buildFunctions({
    outRoot: root,
    names: functions.map((entry) => entry.name),
    warn: () => undefined,
  });
}

/** A copy of `source` with wx-server-sdk "installed" (linked), as DevTools' 云端安装依赖 leaves it locally. */
export function addDevToolsFolder(source: string, target: string): void {
  fs.cpSync(source, target, { recursive: true });
  fs.mkdirSync(path.join(target, 'node_modules'), { recursive: true });
  fs.symlinkSync(SDK, path.join(target, 'node_modules', 'wx-server-sdk'), 'junction');
}

/** The suite's project folder (cloudbaserc.json and cloudfunctions/), prepared by the global setup. */
export function functionsProject(): { cloudbaserc: string; functionsRoot: string } {
  const dir = process.env[PROJECT_VARIABLE];
  if (!dir || !fs.existsSync(path.join(dir, 'cloudbaserc.json'))) {
    throw new Error(
      `${PROJECT_VARIABLE} is not set: run the local-cloud tests through jest (its global setup builds the functions)`,
    );
  }
  return { cloudbaserc: path.join(dir, 'cloudbaserc.json'), functionsRoot: path.join(dir, 'cloudfunctions') };
}

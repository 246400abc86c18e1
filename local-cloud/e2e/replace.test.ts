/**
 * A function folder that changes while the emulator runs (a rebuild, an edit) is picked up
 * without a restart: once the instances are replaced, the next call answers with the new code;
 * and a function added to cloudbaserc.json is served after a reload of the list.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { InstancesEvent } from '../instances/function-instances';
import { startTestCloud, type TestCloud } from './harness';
import { addDevToolsFolder } from './testing/functions-project';

const ALICE = { openid: 'oAlice0000000000000000000001' };
const FIXTURES = path.join(__dirname, 'fixtures');

let project: string;
let cloud: TestCloud;
beforeEach(async () => {
  project = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-replace-'));
  const root = path.join(project, 'cloudfunctions');
  addDevToolsFolder(path.join(FIXTURES, 'sdk-tour'), path.join(root, 'greet'));
  writeGreeting('v1');
  writeList(['greet']);
  cloud = await startTestCloud({
    config: { cloudbaserc: path.join(project, 'cloudbaserc.json'), functionsRoot: root, watchFunctions: true },
  });
});
afterEach(async () => {
  await cloud.close();
  rmSync(project, { recursive: true, force: true });
});

function writeGreeting(version: string, name = 'greet'): void {
  writeFileSync(
    path.join(project, 'cloudfunctions', name, 'index.js'),
    `const cloud = require('wx-server-sdk');
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
exports.main = async () => ({ version: '${version}', openid: cloud.getWXContext().OPENID });
`,
  );
}

function writeList(names: string[]): void {
  const functions = names.map((name) => ({ name, handler: 'index.main', timeout: 5 }));
  writeFileSync(path.join(project, 'cloudbaserc.json'), JSON.stringify({ functionRoot: 'cloudfunctions', functions }));
}

/** Resolves at the next event matching `test`. */
function next(test: (event: InstancesEvent) => boolean): Promise<InstancesEvent> {
  return new Promise((resolve) => {
    const off = cloud.server.functions.on((event) => {
      if (!test(event)) return;
      off();
      resolve(event);
    });
  });
}

it("answers with a function's new code once its changed folder replaced the instances", async () => {
  expect((await cloud.call('greet', {}, ALICE)).body).toEqual({ version: 'v1', openid: ALICE.openid });
  const replaced = next((event) => event.type === 'replaced' && event.function === 'greet');
  writeGreeting('v2');
  await replaced;
  expect((await cloud.call('greet', {}, ALICE)).body).toEqual({ version: 'v2', openid: ALICE.openid });
});

it('serves a function added to cloudbaserc.json once the list is reloaded', async () => {
  expect((await cloud.call('hello', {}, ALICE)).status).toBe(404);
  addDevToolsFolder(path.join(FIXTURES, 'sdk-tour'), path.join(project, 'cloudfunctions', 'hello'));
  writeGreeting('hello-1', 'hello');
  writeList(['greet', 'hello']);
  cloud.server.functions.reloadSpecs();
  expect((await cloud.call('hello', {}, ALICE)).body).toEqual({ version: 'hello-1', openid: ALICE.openid });
  expect((await fetch(`${cloud.url}/health`).then((response) => response.json())) as unknown).toMatchObject({
    functions: ['greet', 'hello'],
  });
});

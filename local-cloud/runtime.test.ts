/** The runtime creates, at start, every collection deploy creates. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { USERS_COLLECTION } from '../cloud/users/user-record';
import { defaultConfig } from './config';
import { LocalCloudRuntime, SECURITY_RULES_FILE, committedCollections } from './runtime';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'runtime-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const open = () =>
  LocalCloudRuntime.open(defaultConfig({ dataDir: dir, compactionIntervalMs: 0 }), () => undefined, {});

describe('LocalCloudRuntime', () => {
  it('creates every collection of database/security-rules.json at start, as deploy does', async () => {
    const names = Object.keys(JSON.parse(readFileSync(SECURITY_RULES_FILE, 'utf8')) as object);
    expect(names).toContain(USERS_COLLECTION);
    const runtime = await open();
    const db = runtime.db.api(false);
    for (const name of names) expect((await db.collection(name).count()).total).toBe(0);
    await db.collection(USERS_COLLECTION).add({ data: { _id: 'a' } });
    await runtime.close();

    const again = await open();
    expect((await again.db.api(false).collection(USERS_COLLECTION).get()).data).toEqual([{ _id: 'a' }]);
    await again.close();
  });

  it('reads the collection names of a rules file, and refuses an unreadable one clearly', async () => {
    const file = path.join(dir, 'rules.json');
    writeFileSync(
      file,
      JSON.stringify({ [USERS_COLLECTION]: { read: true, write: false }, logs: { read: false, write: false } }),
    );
    expect(await committedCollections(file)).toEqual([USERS_COLLECTION, 'logs']);
    writeFileSync(file, '[]');
    await expect(committedCollections(file)).rejects.toThrow(`${file}: expected an object`);
    writeFileSync(file, '{');
    await expect(committedCollections(file)).rejects.toThrow(`${file}: cannot read the security rules`);
  });
});

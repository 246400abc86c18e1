/**
 * The runtime creates, at start, every collection deploy creates, and imports the data folder of
 * the local cloud before the emulator (nedb files) once.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { USERS_COLLECTION } from '../cloud/users/user-record';
import { defaultConfig } from './config';
import { browseCollection, listCollections } from './engine/admin';
import { decodeDocument } from './engine/codec';
import { insertDocuments } from './engine/writes';
import { IMPORTED_DIR, LEGACY_DIR } from './nedb-import';
import { LocalCloudRuntime, SECURITY_RULES_FILE, committedCollections } from './runtime';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'runtime-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const logs: Array<Record<string, unknown>> = [];
const open = () => LocalCloudRuntime.open(defaultConfig({ dataDir: dir }), (_level, record) => logs.push(record));

async function documents(runtime: LocalCloudRuntime, collection: string) {
  const { documents: texts } = await browseCollection(runtime.db, collection, { order: { _id: 1 }, limit: 100 });
  return texts.map(decodeDocument);
}

describe('LocalCloudRuntime', () => {
  it('creates every collection of database/security-rules.json at start, as deploy does', async () => {
    const names = Object.keys(JSON.parse(readFileSync(SECURITY_RULES_FILE, 'utf8')) as object);
    expect(names).toContain(USERS_COLLECTION);
    const runtime = await open();
    expect(listCollections(runtime.db).map((collection) => [collection.name, collection.count])).toEqual(
      names.map((name) => [name, 0]),
    );
    await runtime.db.inSpace(undefined, (space) =>
      insertDocuments(space, USERS_COLLECTION, [{ _id: 'a' }], Date.now()),
    );
    await runtime.close();

    const again = await open();
    expect(await documents(again, USERS_COLLECTION)).toEqual([{ _id: 'a' }]);
    expect(again.imported).toBeNull();
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

describe('the data folder of the local cloud before the emulator (nedb)', () => {
  const legacy = () => path.join(dir, LEGACY_DIR);
  const at = Date.UTC(2024, 0, 2, 3, 4, 5, 678);

  /** Collection files as the old local cloud left them: appended lines, the last of an _id winning. */
  function writeLegacyFolder(): void {
    mkdirSync(legacy(), { recursive: true });
    writeFileSync(
      path.join(legacy(), 'users.db'),
      [
        JSON.stringify({ _id: 'oA', _openid: 'oA', loginCount: 1, createdAt: { $$date: at } }),
        JSON.stringify({ _id: 'oB', _openid: 'oB', loginCount: 1 }),
        JSON.stringify({ _id: 'oA', _openid: 'oA', loginCount: 2, createdAt: { $$date: at }, avatarFiles: ['x'] }),
        JSON.stringify({ $$deleted: true, _id: 'oB' }),
        JSON.stringify({ $$indexCreated: { fieldName: 'x', unique: false } }),
        JSON.stringify({ _id: 'oC', profile: { nickName: '小红', updatedAt: { $$date: at } } }),
        // A crash while appending: the last line is cut short.
        '{"_id":"oD","_openid":',
      ].join('\n'),
    );
    writeFileSync(path.join(legacy(), 'orders.db'), `${JSON.stringify({ _id: 1, total: 5 })}\n`);
    writeFileSync(path.join(legacy(), 'notes.txt'), 'not a collection');
  }

  it('is imported once into an empty database: last line of an _id wins, dates restored, the folder kept aside', async () => {
    writeLegacyFolder();
    const runtime = await open();
    expect(runtime.imported).toEqual({
      keptIn: path.join(dir, IMPORTED_DIR),
      collections: { orders: 1, users: 2 },
    });
    expect(await documents(runtime, 'users')).toEqual([
      { _id: 'oA', _openid: 'oA', loginCount: 2, createdAt: new Date(at), avatarFiles: ['x'] },
      { _id: 'oC', profile: { nickName: '小红', updatedAt: new Date(at) } },
    ]);
    expect(await documents(runtime, 'orders')).toEqual([{ _id: 1, total: 5 }]);
    expect(existsSync(legacy())).toBe(false);
    expect(existsSync(path.join(dir, IMPORTED_DIR, 'users.db'))).toBe(true);
    expect(logs).toContainEqual({ event: 'nedb-data-imported', collections: { orders: 1, users: 2 } });
    await runtime.close();

    // Never again, even with a new nedb folder beside the data.
    writeLegacyFolder();
    const again = await open();
    expect(again.imported).toBeNull();
    expect(await documents(again, 'users')).toHaveLength(2);
    await again.close();
  });

  it('is not imported into a database that holds documents', async () => {
    const first = await open();
    await first.db.inSpace(undefined, (space) =>
      insertDocuments(space, USERS_COLLECTION, [{ _id: 'new' }], Date.now()),
    );
    await first.close();
    writeLegacyFolder();
    const runtime = await open();
    expect(runtime.imported).toBeNull();
    expect(await documents(runtime, 'users')).toEqual([{ _id: 'new' }]);
    expect(existsSync(legacy())).toBe(true);
    await runtime.close();
  });

  it('finishes an import a crash interrupted (the marker is still there), replacing what it wrote', async () => {
    const first = await open();
    await first.db.inSpace(undefined, (space) =>
      insertDocuments(space, USERS_COLLECTION, [{ _id: 'oA', loginCount: 1 }], Date.now()),
    );
    await first.close();
    writeLegacyFolder();
    writeFileSync(path.join(dir, 'nedb-import.pending'), '');
    const runtime = await open();
    expect(runtime.imported?.collections).toEqual({ orders: 1, users: 2 });
    expect((await documents(runtime, 'users')).map((doc) => [doc._id, doc.loginCount])).toEqual([
      ['oA', 2],
      ['oC', undefined],
    ]);
    expect(existsSync(path.join(dir, 'nedb-import.pending'))).toBe(false);
    await runtime.close();
  });

  it('refuses to start on a damaged line (not the last), naming it, and leaves the old folder as it was', async () => {
    writeLegacyFolder();
    writeFileSync(path.join(legacy(), 'users.db'), `{"_id":"oA"}\n{oops\n{"_id":"oB"}\n`);
    await expect(open()).rejects.toThrow(`${path.join(legacy(), 'users.db')}, line 2: not a nedb document`);
    expect(existsSync(path.join(legacy(), 'users.db'))).toBe(true);
  });
});

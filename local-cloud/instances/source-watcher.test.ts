import { mayChangeCode } from './source-watcher';

it('counts as a code change what require may load, and folders; not logs, maps or data', () => {
  for (const name of [
    'index.js',
    'lib/util.cjs',
    'esm.mjs',
    'package.json',
    'addon.node',
    'lib',
    'wx-server-sdk',
    null,
  ]) {
    expect(mayChangeCode(name)).toBe(true);
  }
  for (const name of ['index.js.map', 'debug.log', 'notes.txt', 'photo.png', '.DS_Store']) {
    expect(mayChangeCode(name)).toBe(false);
  }
});

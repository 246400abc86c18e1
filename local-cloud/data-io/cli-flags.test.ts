/** The data flags of `npm start`: --import, --seed, --export-on-exit. */
import * as path from 'path';
import { parseCli } from '../config';

it('reads --import and --export-on-exit as absolute folders, --seed as a name', () => {
  const options = parseCli(['--import', 'exports/a', '--export-on-exit', '/tmp/out'], {});
  expect(options).toMatchObject({ importFrom: path.resolve('exports/a'), exportOnExit: '/tmp/out', seed: null });
  expect(parseCli(['--seed', 'new-user'], {})).toMatchObject({
    seed: 'new-user',
    importFrom: null,
    exportOnExit: null,
  });
});

it('refuses --import with --seed, and a flag without its value', () => {
  expect(() => parseCli(['--import', 'a', '--seed', 'new-user'], {})).toThrow(/--import or --seed, not both/);
  expect(() => parseCli(['--export-on-exit'], {})).toThrow(/--export-on-exit needs a value/);
});

import * as fs from 'fs';
import * as path from 'path';
import { FUNCTIONS } from './functions';

it('serves exactly the functions that are deployed (cloudbaserc.json)', () => {
  const rc = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cloudbaserc.json'), 'utf8')) as {
    functions: Array<{ name: string }>;
  };
  expect(Object.keys(FUNCTIONS).sort()).toEqual(rc.functions.map((f) => f.name).sort());
});

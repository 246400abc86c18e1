import * as fs from 'fs';
import * as path from 'path';
import { functionSpecs, FunctionConfigError } from './function-spec';

const ROOT = path.join(__dirname, '..', '..');

describe('functionSpecs', () => {
  it("reads the project's cloudbaserc.json: every function, its folder and limits", () => {
    const rc = JSON.parse(fs.readFileSync(path.join(ROOT, 'cloudbaserc.json'), 'utf8')) as {
      functions: Array<{ name: string; timeout: number; memorySize: number }>;
    };
    const specs = functionSpecs(rc, ROOT);
    expect(specs.map((s) => s.name)).toEqual(rc.functions.map((f) => f.name));
    for (const [i, s] of specs.entries()) {
      expect(s).toMatchObject({
        dir: path.join(ROOT, 'cloudfunctions', s.name),
        handler: 'index.main',
        timeoutMs: rc.functions[i].timeout * 1000,
        memoryMb: rc.functions[i].memorySize,
        envVariables: {},
      });
    }
  });

  it("fills tcb's defaults and keeps envVariables", () => {
    const [spec] = functionSpecs(
      { functionRoot: 'fns', functions: [{ name: 'hello', envVariables: { MODE: 'dev' } }] },
      '/project',
    );
    expect(spec).toEqual({
      name: 'hello',
      dir: path.join('/project', 'fns', 'hello'),
      handler: 'index.main',
      runtime: 'Nodejs18.15',
      timeoutMs: 15_000,
      memoryMb: 256,
      envVariables: { MODE: 'dev' },
    });
  });

  it.each([
    [{ functions: 'login' }, /functions must be an array/],
    [{ functions: [{ name: '../x' }] }, /functions\[0\]\.name/],
    [{ functions: [{ name: 'a' }, { name: 'a' }] }, /listed twice/],
    [{ functions: [{ name: 'a', timeout: 0 }] }, /timeout/],
    [{ functions: [{ name: 'a', timeout: 1.5 }] }, /timeout/],
    [{ functions: [{ name: 'a', memorySize: 100 }] }, /memorySize/],
    [{ functions: [{ name: 'a', handler: 'index' }] }, /handler/],
    [{ functions: [{ name: 'a', envVariables: { N: 1 } }] }, /envVariables\.N must be a string/],
    [{ functions: [{ name: 'a', envVariables: { 'A-B': 'x' } }] }, /not a variable name/],
  ])('refuses %j with a message naming the field', (rc, message) => {
    expect(() => functionSpecs(rc, '/project')).toThrow(FunctionConfigError);
    expect(() => functionSpecs(rc, '/project')).toThrow(message);
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { LogRecord } from '../../log';
import { configJsonPermissions, openApiListOf } from './permissions';

describe('config.json permissions', () => {
  it.each([
    ['{"permissions":{"openapi":["security.msgSecCheck","wxacode.get"]}}', ['security.msgSecCheck', 'wxacode.get']],
    ['{}', []],
    ['{"permissions":{}}', []],
    ['{"permissions":{"openapi":"security.msgSecCheck"}}', null],
    ['{"permissions":{"openapi":[1]}}', null],
    ['[]', null],
    ['{ not json', null],
  ])('reads %s as %j', (text, expected) => {
    expect(openApiListOf(text)).toEqual(expected);
  });

  it('reads the function folder`s file, declares nothing without one, and warns about a broken one', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'permissions-'));
    try {
      mkdirSync(path.join(root, 'good'));
      writeFileSync(path.join(root, 'good', 'config.json'), '{"permissions":{"openapi":["a.b"]}}');
      mkdirSync(path.join(root, 'broken'));
      writeFileSync(path.join(root, 'broken', 'config.json'), '{"permissions":{"openapi":');
      const logs: LogRecord[] = [];
      const permissionsOf = configJsonPermissions(root, (_, record) => logs.push(record));
      expect(await permissionsOf('good')).toEqual(['a.b']);
      expect(await permissionsOf('missing')).toEqual([]);
      expect(await permissionsOf('../good')).toEqual([]);
      expect(await permissionsOf('broken')).toEqual([]);
      expect(logs).toEqual([expect.objectContaining({ event: 'config-json-invalid', function: 'broken' })]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

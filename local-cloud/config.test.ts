import * as path from 'path';
import { DEFAULT_DATA_DIR, DEFAULT_PORT, ROOT, parseCli } from './config';

describe('parseCli', () => {
  it('defaults to 127.0.0.1, the fixed port and .local-cloud/data at the project root', () => {
    const { config, reset } = parseCli([], {});
    expect(config).toMatchObject({ host: '127.0.0.1', port: DEFAULT_PORT, dataDir: DEFAULT_DATA_DIR });
    expect(DEFAULT_DATA_DIR).toBe(path.join(ROOT, '.local-cloud', 'data'));
    expect(reset).toBe(false);
  });

  it('takes PORT and LOCAL_CLOUD_* from the environment, and flags over them', () => {
    const env = { PORT: '4000', LOCAL_CLOUD_APPID: 'wxabc', LOCAL_CLOUD_ENV: 'dev-1', LOCAL_CLOUD_DATA_DIR: '/tmp/x' };
    expect(parseCli([], env).config).toMatchObject({ port: 4000, appid: 'wxabc', envId: 'dev-1', dataDir: '/tmp/x' });
    const { config, reset } = parseCli(['--port', '0', '--data-dir', '/tmp/y', '--reset'], env);
    expect(config).toMatchObject({ port: 0, dataDir: '/tmp/y', bucket: '6465-dev-1-1300000000' });
    expect(reset).toBe(true);
  });

  it('refuses bad values with a message', () => {
    expect(() => parseCli(['--port', 'x'], {})).toThrow(/invalid port/);
    expect(() => parseCli(['--wat'], {})).toThrow(/unknown option/);
    expect(() => parseCli([], { LOCAL_CLOUD_ENV: 'a.b' })).toThrow(/LOCAL_CLOUD_ENV/);
  });
});

import * as path from 'path';
import { DEFAULT_DATA_DIR, DEFAULT_PORT, ROOT, parseCli } from './config';

describe('parseCli', () => {
  it('defaults to 127.0.0.1, the fixed port and .local-cloud/data at the project root', () => {
    const { config, reset } = parseCli([], {});
    expect(config).toMatchObject({ host: '127.0.0.1', port: DEFAULT_PORT, dataDir: DEFAULT_DATA_DIR });
    expect(DEFAULT_DATA_DIR).toBe(path.join(ROOT, '.local-cloud', 'data'));
    // The functions of the project's cloudbaserc.json, from their folders there, replaced on change.
    expect(config).toMatchObject({ cloudbaserc: path.join(ROOT, 'cloudbaserc.json'), watchFunctions: true });
    expect(config.functionsRoot).toBeUndefined();
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

  it('refuses an AppID that getWXContext would turn into a number', () => {
    expect(() => parseCli([], { LOCAL_CLOUD_APPID: '12345' })).toThrow(/LOCAL_CLOUD_APPID: a letter first/);
    expect(() => parseCli([], { LOCAL_CLOUD_APPID: '-1' })).toThrow(/LOCAL_CLOUD_APPID/);
  });

  it('allows no foreign web origin by default; --allow-origin (repeatable) or LOCAL_CLOUD_ALLOWED_ORIGINS adds some', () => {
    expect(parseCli([], {}).config.allowedOrigins).toEqual([]);
    const env = { LOCAL_CLOUD_ALLOWED_ORIGINS: ' http://localhost:5173 , https://dev.example/ ' };
    expect(parseCli([], env).config.allowedOrigins).toEqual(['http://localhost:5173', 'https://dev.example']);
    const flags = ['--allow-origin', 'http://127.0.0.1:8080', '--allow-origin', 'http://[::1]:9000'];
    expect(parseCli(flags, env).config.allowedOrigins).toEqual(['http://127.0.0.1:8080', 'http://[::1]:9000']);
  });

  it.each(['null', '*', 'localhost:5173', 'http://localhost:5173/app', 'file:///tmp/x', 'http://a@localhost'])(
    'refuses %j as an allowed origin',
    (origin) => {
      expect(() => parseCli(['--allow-origin', origin], {})).toThrow(/is not an origin/);
    },
  );
});

describe('content safety flags', () => {
  it('reads --risky-words, --message-push and --media-verdict, and refuses bad values', () => {
    const { config } = parseCli(
      ['--risky-words', '甲, 乙', '--message-push', 'wxa_media_check=receiver', '--media-verdict', 'risky'],
      {},
    );
    expect(config).toMatchObject({
      riskyWords: ['甲', '乙'],
      messagePush: { wxa_media_check: 'receiver' },
      mediaVerdict: 'risky',
    });
    expect(parseCli([], {}).config).toMatchObject({
      messagePush: { wxa_media_check: 'onMediaCheck' },
      mediaVerdict: 'manual',
    });
    expect(() => parseCli(['--media-verdict', 'maybe'], {})).toThrow('--media-verdict');
    expect(() => parseCli(['--message-push', 'other_event=x'], {})).toThrow('--message-push');
    expect(() => parseCli(['--risky-words', ','], {})).toThrow('--risky-words');
  });
});

/** The rules of request-guard.ts and the JSON content type, one by one (the e2e suite drives them over HTTP). */
import { isJsonContentType } from './http-io';
import { SIMULATOR_ORIGIN, isAllowedOrigin, isOwnHost, ownHosts } from './request-guard';

describe('ownHosts', () => {
  it('are the loopback names, the bound host and the address a connection arrived on', () => {
    expect([...ownHosts('127.0.0.1', '127.0.0.1')].sort()).toEqual(['127.0.0.1', '[::1]', 'localhost']);
    expect(ownHosts('192.168.1.5', '192.168.1.5')).toContain('192.168.1.5');
    expect(ownHosts('My-Mac.local', '10.0.0.2')).toEqual(
      new Set(['localhost', '127.0.0.1', '[::1]', 'my-mac.local', '10.0.0.2']),
    );
  });

  it('never include a wildcard bind, and unwrap IPv4-mapped IPv6 addresses', () => {
    const own = ownHosts('0.0.0.0', '::ffff:192.168.1.5');
    expect(own).toContain('192.168.1.5');
    expect(own).not.toContain('0.0.0.0');
    expect(ownHosts('::', 'fe80::1')).toEqual(new Set(['localhost', '127.0.0.1', '[::1]', '[fe80::1]']));
  });
});

describe('isOwnHost', () => {
  const own = ownHosts('127.0.0.1', '127.0.0.1');
  it.each(['127.0.0.1:3000', 'localhost:3000', 'LocalHost:3000', '[::1]:3000'])('accepts %s', (host) => {
    expect(isOwnHost(host, own, 3000)).toBe(true);
  });
  it.each([
    'evil.example:3000',
    'localhost.evil.example:3000',
    'localhost:3001',
    'localhost',
    'localhost.:3000',
    '0.0.0.0:3000',
    '127.0.0.2:3000',
    'localhost:3000:3000',
    '[::1:3000',
    'user@localhost:3000',
    '',
  ])('refuses %j', (host) => {
    expect(isOwnHost(host, own, 3000)).toBe(false);
  });
  it('takes a missing port as 80', () => {
    expect(isOwnHost('localhost', own, 80)).toBe(true);
  });
});

describe('isAllowedOrigin', () => {
  const own = ownHosts('127.0.0.1', '127.0.0.1');
  it.each(['http://127.0.0.1:3000', 'http://localhost:3000', 'http://[::1]:3000', SIMULATOR_ORIGIN])(
    'accepts %s',
    (origin) => {
      expect(isAllowedOrigin(origin, [], own, 3000)).toBe(true);
    },
  );
  it.each([
    'null',
    'http://evil.example',
    'https://localhost:3000',
    'http://localhost:3001',
    'http://localhost:3000/',
    'http://LOCALHOST:3000',
    'https://servicewechat.com.evil.example',
    'http://servicewechat.com',
    'file://',
    '*',
  ])('refuses %s', (origin) => {
    expect(isAllowedOrigin(origin, [], own, 3000)).toBe(false);
  });
  it('accepts a configured origin exactly', () => {
    expect(isAllowedOrigin('http://localhost:5173', ['http://localhost:5173'], own, 3000)).toBe(true);
    expect(isAllowedOrigin('http://localhost:5174', ['http://localhost:5173'], own, 3000)).toBe(false);
  });
});

describe('isJsonContentType', () => {
  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON;charset=UTF-8',
    'application/json;',
  ])('accepts %j', (type) => {
    expect(isJsonContentType(type)).toBe(true);
  });
  it.each([
    undefined,
    '',
    'text/plain',
    'text/plain; charset=utf-8',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/json; charset=latin1',
    'application/jsonx',
    'application/json-patch+json',
    'application/json; boundary=x',
  ])('refuses %j', (type) => {
    expect(isJsonContentType(type)).toBe(false);
  });
});

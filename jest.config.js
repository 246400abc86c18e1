/**
 * Three projects, one `npm test`:
 * - cloud: the cloud functions against the wx-server-sdk double (node);
 * - miniprogram: pages and services rendered with miniprogram-simulate (jsdom);
 * - local-cloud: the local cloud and the end-to-end suite through it over HTTP (node).
 * @type {import('jest').Config}
 */
const tsJest = (tsconfig) => ({ '^.+\\.ts$': ['ts-jest', { tsconfig }] });
/** The contract package's alias (tsconfig.json `paths`). */
const SHARED = { '^@shared/(.*)$': '<rootDir>/miniprogram/shared/$1' };

module.exports = {
  projects: [
    {
      displayName: 'cloud',
      testMatch: ['<rootDir>/{cloud,emulation,testing,scripts}/**/*.test.ts'],
      transform: tsJest('tsconfig.jest.json'),
      moduleNameMapper: { ...SHARED, '^wx-server-sdk$': '<rootDir>/testing/wx-server-sdk-mock.ts' },
      testEnvironment: 'node',
    },
    {
      displayName: 'miniprogram',
      testMatch: ['<rootDir>/miniprogram/**/*.test.ts'],
      transform: tsJest('tsconfig.jest.json'),
      moduleNameMapper: SHARED,
      testEnvironment: 'jsdom',
    },
    {
      displayName: 'local-cloud',
      testMatch: ['<rootDir>/local-cloud/**/*.test.ts'],
      transform: tsJest('tsconfig.jest.json'),
      // The functions run unchanged; only their `wx-server-sdk` is the local implementation.
      moduleNameMapper: { ...SHARED, '^wx-server-sdk$': '<rootDir>/local-cloud/local-sdk.ts' },
      testEnvironment: 'node',
    },
  ],
};

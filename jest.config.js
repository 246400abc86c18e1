/**
 * Three projects, one `npm test`:
 * - cloud: the cloud functions against the wx-server-sdk double (node);
 * - miniprogram: pages and services rendered with miniprogram-simulate (jsdom);
 * - local-cloud: the emulator, and the end-to-end suite through it over HTTP, running the real
 *   built functions on the real wx-server-sdk (its global setup builds them into a temp folder).
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
      moduleNameMapper: SHARED,
      testEnvironment: 'node',
      globalSetup: '<rootDir>/local-cloud/e2e/global-setup.ts',
      globalTeardown: '<rootDir>/local-cloud/e2e/global-teardown.ts',
    },
  ],
};

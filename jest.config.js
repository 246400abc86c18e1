/** @type {import('jest').Config} */
module.exports = {
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/cloudfunctions/'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }] },
  moduleNameMapper: { '^wx-server-sdk$': '<rootDir>/test/wx-server-sdk-mock.ts' },
  testEnvironment: 'node',
};

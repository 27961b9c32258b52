/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] },
  testTimeout: 20000,
  // The run's own CA dir (MIRRA_CA_DIR), so no test writes the user's ~/.local/share/mirra.
  globalSetup: '<rootDir>/test/helpers/jest-global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/jest-global-teardown.ts',
};

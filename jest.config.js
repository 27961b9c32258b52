/** @type {import('jest').Config} */
const swc = ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }];
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': swc, '^.+\\.m?js$': swc },
  // light-my-request (fastify's inject) requires `cookie` 2, which is ESM only; Node 20.19 loads it
  // natively but jest's module runtime does not, so it is compiled to CommonJS for tests.
  transformIgnorePatterns: ['/node_modules/(?!(cookie)/)'],
  testTimeout: 20000,
};

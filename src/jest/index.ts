/**
 * mirra for Jest (`mirra/jest`): two lines of config and one call per test file.
 *
 * ```js
 * // jest.config.js
 * globalSetup: 'mirra/jest/global-setup',
 * globalTeardown: 'mirra/jest/global-teardown',
 *
 * // a test file
 * const { useMirror } = require('mirra/jest');
 * const mirra = useMirror({ seed: 'twilio:verified-numbers' });
 * ```
 */
export { useMirror, type JestMirror, type UseMirrorOptions } from './use-mirror';
export { default as globalSetup } from './global-setup';
export { default as globalTeardown } from './global-teardown';
export { callbackFix, summarize, type FailedCallback, type FileReport } from '../harness/report';

/**
 * mirra for Vitest (`mirra/vitest`): the same two-line setup as `mirra/jest` — one line of config
 * and one call per test file — on the same harness (src/harness/use-mirror.ts), with Vitest's
 * hooks. A session per pool worker (`vitest-<VITEST_POOL_ID>`), reset before every test.
 *
 * ```js
 * // vitest.config.js
 * export default { test: { globalSetup: ['mirra/vitest/global-setup'] } };
 *
 * // a test file
 * import { useMirror } from 'mirra/vitest';
 * const mirra = useMirror({ seed: 'twilio:verified-numbers' });
 * ```
 *
 * An ES module: Vitest's hooks can only be imported from one.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { useMirrorWith, type TestMirror, type TestRunner, type UseMirrorOptions } from '../harness/use-mirror.js';

export type { UseMirrorOptions } from '../harness/use-mirror.js';

/** The handle `useMirror()` returns in a Vitest test file. */
export type VitestMirror = TestMirror;

function vitestRunner(): TestRunner {
  return {
    name: 'vitest',
    workerId: process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? '1',
    beforeAll: (fn, timeout) => beforeAll(fn, timeout),
    beforeEach: (fn, timeout) => beforeEach(fn, timeout),
    afterEach: (fn, timeout) => afterEach(fn, timeout),
    afterAll: (fn, timeout) => afterAll(fn, timeout),
    testPath: () => expect.getState().testPath,
    testName: () => expect.getState().currentTestName,
  };
}

/** Gives the calling Vitest test file an in-process mirror with one session for this worker. */
export function useMirror(opts: UseMirrorOptions = {}): VitestMirror {
  return useMirrorWith(vitestRunner(), opts);
}

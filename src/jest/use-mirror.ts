/**
 * `useMirror()` for Jest: the shared harness (src/harness/use-mirror.ts) with Jest's globals —
 * its hooks, `expect.getState()` for the file and test, `JEST_WORKER_ID` for the worker.
 */
import { MirraError } from '../errors';
import { useMirrorWith, type TestMirror, type TestRunner, type UseMirrorOptions } from '../harness/use-mirror';

/** The handle `useMirror()` returns in a Jest test file. */
export type JestMirror = TestMirror;

/** The Jest globals `useMirror` uses (Jest injects them into every test file). */
interface JestGlobals {
  beforeAll: TestRunner['beforeAll'];
  beforeEach: TestRunner['beforeEach'];
  afterEach: TestRunner['afterEach'];
  afterAll: TestRunner['afterAll'];
  expect?: { getState(): { testPath?: string; currentTestName?: string } };
}

function jestRunner(): TestRunner {
  const g = globalThis as unknown as Partial<JestGlobals>;
  if (typeof g.beforeAll !== 'function' || typeof g.beforeEach !== 'function' || typeof g.afterEach !== 'function' || typeof g.afterAll !== 'function') {
    throw new MirraError(
      'MIRRA_ERR_BAD_REQUEST',
      "useMirror() needs Jest's globals (beforeAll, afterAll, ...), and they are not there",
      "call it at the top of a test file run by Jest, with injectGlobals left on (under Vitest, import it from 'mirra/vitest')",
    );
  }
  const jest = g as JestGlobals;
  return {
    name: 'jest',
    workerId: process.env.JEST_WORKER_ID ?? '1',
    beforeAll: jest.beforeAll,
    beforeEach: jest.beforeEach,
    afterEach: jest.afterEach,
    afterAll: jest.afterAll,
    testPath: () => jest.expect?.getState().testPath,
    testName: () => jest.expect?.getState().currentTestName,
  };
}

/** Gives the calling Jest test file an in-process mirror with one session for this worker. */
export function useMirror(opts: UseMirrorOptions = {}): JestMirror {
  return useMirrorWith(jestRunner(), opts);
}

export type { UseMirrorOptions } from '../harness/use-mirror';

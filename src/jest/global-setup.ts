/**
 * Jest `globalSetup` for mirra (`globalSetup: 'mirra/jest/global-setup'`): checks once, in the
 * parent process, that in-process mode can run, and makes the run's report folder, which every
 * worker inherits through the environment. The mirrors themselves start in the workers (nock
 * intercepts requests in the process that makes them), one session per worker.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MirraError } from '../errors';
import { RUN_DIR_ENV } from './report';

/** Prepares a Jest run for `useMirror()`. */
export default async function globalSetup(): Promise<void> {
  try {
    // Resolved, not loaded: loading nock would patch the HTTP client of Jest's own process.
    require.resolve('nock');
  } catch {
    throw new MirraError('MIRRA_ERR_INTERNAL', "mirra's in-process mode needs nock, which is not installed", 'run `npm install` (nock is a dependency of mirra)');
  }
  process.env[RUN_DIR_ENV] = mkdtempSync(join(tmpdir(), 'mirra-jest-'));
}

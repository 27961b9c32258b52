/**
 * A test run's start and end, for any runner's global setup: checked once, in the runner's parent
 * process, that in-process mode can run, and a report folder made that every worker inherits
 * through the environment; at the end, one summary of the run (sessions, tests, callbacks,
 * recordings) with a line naming the fix for each problem, and the folder removed. The mirrors
 * themselves start in the workers (nock intercepts requests in the process that makes them).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MirraError } from '../errors';
import { readFileReports, removeRunDir, RUN_DIR_ENV, summarize } from './report';

/** Prepares a run for `useMirror()`. */
export function startRun(): void {
  try {
    // Resolved, not loaded: loading nock would patch the HTTP client of the runner's own process.
    require.resolve('nock');
  } catch {
    throw new MirraError('MIRRA_ERR_INTERNAL', "mirra's in-process mode needs nock, which is not installed", 'run `npm install` (nock is a dependency of mirra)');
  }
  process.env[RUN_DIR_ENV] = mkdtempSync(join(tmpdir(), 'mirra-run-'));
}

/** Prints the run's summary (to `write`) and removes its report folder. */
export function endRun(write: (text: string) => void = (t) => process.stdout.write(t)): void {
  const dir = process.env[RUN_DIR_ENV];
  if (!dir) return;
  try {
    const lines = summarize(readFileReports(dir));
    if (lines.length > 0) write(lines.join('\n') + '\n');
  } finally {
    removeRunDir(dir);
    delete process.env[RUN_DIR_ENV];
  }
}

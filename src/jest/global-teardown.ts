/**
 * Jest `globalTeardown` for mirra (`globalTeardown: 'mirra/jest/global-teardown'`): prints one
 * summary of the run (sessions, tests, callbacks) with a line naming the fix for each callback
 * that never reached the app and each request a cassette had no entry for, then removes the
 * run's report folder.
 */
import { readFileReports, removeRunDir, RUN_DIR_ENV, summarize } from './report';

/** Summarises the run that `globalSetup` prepared. */
export default async function globalTeardown(): Promise<void> {
  const dir = process.env[RUN_DIR_ENV];
  if (!dir) return;
  try {
    const lines = summarize(readFileReports(dir));
    if (lines.length > 0) process.stdout.write(lines.join('\n') + '\n');
  } finally {
    removeRunDir(dir);
    delete process.env[RUN_DIR_ENV];
  }
}

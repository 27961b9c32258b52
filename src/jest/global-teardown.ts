/**
 * Jest `globalTeardown` for mirra (`globalTeardown: 'mirra/jest/global-teardown'`): prints the
 * run's summary and removes its report folder (src/harness/run.ts).
 */
import { endRun } from '../harness/run';

/** Summarises the run that `globalSetup` prepared. */
export default async function globalTeardown(): Promise<void> {
  endRun();
}

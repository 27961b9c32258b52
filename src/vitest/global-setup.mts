/**
 * Vitest `globalSetup` for mirra (`globalSetup: ['mirra/vitest/global-setup']`): prepares the run
 * in Vitest's main process and, when it ends, prints the run's summary (src/harness/run.ts).
 */
import { endRun, startRun } from '../harness/run.js';

/** Prepares the run; returns the teardown that summarises it. */
export default function setup(): () => void {
  startRun();
  return () => endRun();
}

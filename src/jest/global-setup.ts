/**
 * Jest `globalSetup` for mirra (`globalSetup: 'mirra/jest/global-setup'`): prepares the run
 * (src/harness/run.ts) in Jest's parent process.
 */
import { startRun } from '../harness/run';

/** Prepares a Jest run for `useMirror()`. */
export default async function globalSetup(): Promise<void> {
  startRun();
}

/** The suite's global teardown: removes the run's CA directory (see jest-global-setup.ts). */
import { rmSync } from 'node:fs';

export default function globalTeardown(): void {
  const dir = process.env.MIRRA_TEST_CA_RUN_DIR;
  if (dir) rmSync(dir, { recursive: true, force: true });
}

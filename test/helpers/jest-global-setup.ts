/**
 * The suite's global setup: one CA directory for the whole run, in the temp dir. mirra keeps one
 * CA per user (~/.local/share/mirra/ca, issue #15); tests write only to temp dirs, so their mirrors
 * get MIRRA_CA_DIR instead, which every Jest worker (and every `mirra` child) inherits. A test of
 * the per-user default clears it for its own child processes.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function globalSetup(): void {
  if (process.env.MIRRA_TEST_CA_RUN_DIR) return;
  const dir = mkdtempSync(join(tmpdir(), 'mirra-test-ca-'));
  process.env.MIRRA_TEST_CA_RUN_DIR = dir;
  process.env.MIRRA_CA_DIR = join(dir, 'ca');
}

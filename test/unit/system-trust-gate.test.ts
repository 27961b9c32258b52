/**
 * Issue #15, item 7: the suite changes the system trust store only when asked to
 * (MIRRA_TEST_SYSTEM_TRUST=1, which .ci/run sets): other runs on the machine share that store. Every
 * test file that installs into it goes through the gate, and the suite's mirrors use a CA of the
 * run's own (MIRRA_CA_DIR from test/helpers/jest-global-setup.ts), never the user's.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tmpdir } from 'node:os';
import { SYSTEM_TRUST_ENV, systemTrustSkipReason, systemTrustTestsWanted } from '../helpers/system-trust';

const ROOT = join(__dirname, '..', '..');

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? testFiles(p) : p.endsWith('.test.ts') ? [p] : [];
  });
}

describe('the system trust store gate', () => {
  it('is closed unless MIRRA_TEST_SYSTEM_TRUST=1, and says how to open it', () => {
    expect(systemTrustTestsWanted({})).toBe(false);
    expect(systemTrustTestsWanted({ [SYSTEM_TRUST_ENV]: '0' })).toBe(false);
    expect(systemTrustSkipReason({})).toContain('MIRRA_TEST_SYSTEM_TRUST=1');
    expect(systemTrustTestsWanted({ [SYSTEM_TRUST_ENV]: '1' })).toBe(true);
    expect(systemTrustSkipReason({ [SYSTEM_TRUST_ENV]: '1' })).toBeUndefined();
  });

  it('guards every test file that changes the real store', () => {
    // The real store is changed by `mirra trust` without a stand-in (MIRRA_TRUST_DIR), under the lock.
    const touching = testFiles(join(ROOT, 'test')).filter((f) => /withSystemTrustLock\(/.test(readFileSync(f, 'utf8')));
    expect(touching.length).toBeGreaterThan(0);
    const ungated = touching.filter((f) => !/systemTrustSkipReason\(|systemTrustTestsWanted\(/.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f));
    expect(ungated).toEqual([]);
  });

  it('has .ci/run open it', () => {
    expect(readFileSync(join(ROOT, '.ci', 'run'), 'utf8')).toMatch(/^export MIRRA_TEST_SYSTEM_TRUST=1$/m);
  });

  it("gives the suite's mirrors a CA dir of the run's own, in the temp dir", () => {
    expect(process.env.MIRRA_CA_DIR).toBeTruthy();
    expect(process.env.MIRRA_CA_DIR!.startsWith(tmpdir())).toBe(true);
  });
});

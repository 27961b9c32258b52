/**
 * For tests that run Debian's python3-twilio through the mirror: it ignores REQUESTS_CA_BUNDLE, so
 * they must `mirra trust` (change the real system trust store), run, `mirra trust --uninstall` and
 * check that the store is byte-identical to how it started. Shared by test/e2e/python-client.test.ts,
 * test/e2e/examples.test.ts and test/unit/trust.test.ts.
 *
 * They run only when asked to, with MIRRA_TEST_SYSTEM_TRUST=1 (.ci/run sets it): the system trust
 * store belongs to the machine and to everyone else running tests on it (issue #15).
 *
 * Runs touching the store are serialised across processes (jest workers, several engineers, a
 * re-run) by a lock directory; a lock whose owner process is gone is taken over.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants as fsConstants, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT, runCommand, type ChildResult } from './child';

export const PYTHON = '/usr/bin/python3';
export const SYSTEM_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const SYSTEM_CERTS_DIR = '/etc/ssl/certs';
const LOCAL_TRUST_DIR = '/usr/local/share/ca-certificates';
const LOCK_DIR = join(tmpdir(), 'mirra-system-trust.lock');
const CLI = join(REPO_ROOT, 'bin', 'mirra.js');

/**
 * Variables from the outer environment that would change how the child verifies or routes TLS;
 * the children get only the mirror's environment on top of PATH, HOME and the like.
 */
export const NEUTRALISED: Record<string, undefined> = {
  SSL_CERT_FILE: undefined,
  SSL_CERT_DIR: undefined,
  CURL_CA_BUNDLE: undefined,
  REQUESTS_CA_BUNDLE: undefined,
  NO_PROXY: undefined,
  no_proxy: undefined,
  ALL_PROXY: undefined,
  all_proxy: undefined,
  PYTHONPATH: undefined,
  MIRRA_TRUST_DIR: undefined,
  MIRRA_TRUST_UPDATE_CMD: undefined,
};

/** The environment variable that lets the suite change the system trust store. */
export const SYSTEM_TRUST_ENV = 'MIRRA_TEST_SYSTEM_TRUST';

/** True when this run may change the system trust store (MIRRA_TEST_SYSTEM_TRUST=1). */
export function systemTrustTestsWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[SYSTEM_TRUST_ENV] === '1';
}

/** Why tests that change the system trust store are skipped in this run, or undefined when they may run. */
export function systemTrustSkipReason(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return systemTrustTestsWanted(env) ? undefined : `it changes the system trust store, so it runs only with ${SYSTEM_TRUST_ENV}=1 (.ci/run sets it)`;
}

/** Why this machine cannot run a python3-twilio + `mirra trust` test, or undefined when it can. */
export function missingPythonTrustPrerequisite(): string | undefined {
  try {
    execFileSync(PYTHON, ['-c', 'import twilio'], { stdio: 'pipe' });
  } catch {
    return `${PYTHON} cannot \`import twilio\` (install Debian's python3-twilio: apt-get install python3-twilio)`;
  }
  if (process.getuid?.() !== 0) return 'not running as root: `mirra trust` must write the system trust store';
  if (!['/usr/sbin/update-ca-certificates', '/sbin/update-ca-certificates'].some(isExecutable)) return 'update-ca-certificates not found (install ca-certificates)';
  if (!existsSync(LOCAL_TRUST_DIR) || !existsSync(SYSTEM_BUNDLE)) return `${LOCAL_TRUST_DIR} or ${SYSTEM_BUNDLE} missing (not a Debian-style trust store)`;
  if (!existsSync(join(REPO_ROOT, 'dist', 'cli', 'main.js'))) return 'dist/ is not built (run `npm run build`; `npm test` does)';
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The trust store as a client sees it: the bundle's bytes and the names in the two directories. */
export interface TrustSnapshot {
  bundle: Buffer;
  certsDir: string[];
  localDir: string[];
}

export function trustSnapshot(): TrustSnapshot {
  return { bundle: readFileSync(SYSTEM_BUNDLE), certsDir: readdirSync(SYSTEM_CERTS_DIR).sort(), localDir: readdirSync(LOCAL_TRUST_DIR).sort() };
}

/** How many certificates one bundle has that the other lacks, to explain a mismatch. */
export function bundleDiff(before: Buffer, after: Buffer): string {
  const blocks = (b: Buffer) => new Set(b.toString('utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []);
  const a = blocks(before);
  const b = blocks(after);
  const added = [...b].filter((x) => !a.has(x)).length;
  const removed = [...a].filter((x) => !b.has(x)).length;
  return `${added} certificate(s) added, ${removed} removed, ${before.length} -> ${after.length} bytes`;
}

/** Throws unless the store is exactly as in `before`: same bundle bytes, same names in both directories. */
export function expectTrustStoreUnchanged(before: TrustSnapshot): void {
  const after = trustSnapshot();
  if (!after.bundle.equals(before.bundle)) throw new Error(`${SYSTEM_BUNDLE} changed: ${bundleDiff(before.bundle, after.bundle)}`);
  expect(after.certsDir).toEqual(before.certsDir);
  expect(after.localDir).toEqual(before.localDir);
}

/**
 * Holds a lock directory while `fn` changes the system store, so two test runs on one machine
 * never interleave install and uninstall. A lock whose owner process is gone is taken over.
 */
export async function withSystemTrustLock<T>(fn: () => Promise<T>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(join(LOCK_DIR, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (lockIsStale()) {
        rmSync(LOCK_DIR, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${LOCK_DIR} (another run is changing the system trust store)`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

function lockIsStale(): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(LOCK_DIR, 'pid'), 'utf8'));
  } catch {
    // Just created by its owner and not yet written, or left half-made: judge by its age.
    try {
      return Date.now() - statSync(LOCK_DIR).mtimeMs > 10_000;
    } catch {
      return false;
    }
  }
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** The directory of the CA a started mirror presents (what `mirra trust` must install). */
export function caDirOf(started: { mirror: { caPath: string | null } }): string {
  if (!started.mirror.caPath) throw new Error('the mirror has no CA (proxy mode is off)');
  return dirname(started.mirror.caPath);
}

/** `node bin/mirra.js trust --ca-dir DIR ...` as a user would run it, on the CA in `caDir` (the mirror's). */
export function mirraTrust(caDir: string, ...flags: string[]): Promise<ChildResult> {
  return runCommand(process.execPath, [CLI, 'trust', '--ca-dir', caDir, ...flags], NEUTRALISED, 60_000);
}

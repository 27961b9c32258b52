/**
 * Issue #15, item 7, as a user meets it: one CA per user (like mkcert), so `mirra trust` done once
 * covers every data dir; `mirra trust --print` never creates anything; a CA an older mirra made in
 * a data dir keeps loading; `--ca-dir` / $MIRRA_CA_DIR choose another place. The system trust
 * store is never touched here: `mirra trust` installs into a stand-in (MIRRA_TRUST_DIR).
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrCreateCa } from '../../src/proxy/ca';
import { REPO_ROOT, runCommand } from '../helpers/child';
import { tempDir } from '../helpers/mirror';

const BIN = join(REPO_ROOT, 'bin', 'mirra.js');

describe('one CA per user (issue #15)', () => {
  let tmp: string;
  let xdg: string;
  let env: Record<string, string | undefined>;
  beforeAll(() => {
    tmp = tempDir('mirra-ca-user-');
    xdg = join(tmp, 'xdg');
    mkdirSync(join(tmp, 'trust-store'));
    // The user's data home is a temp dir; the suite's own CA dir is not in play; a stand-in store.
    env = { XDG_DATA_HOME: xdg, MIRRA_CA_DIR: undefined, MIRRA_TRUST_DIR: join(tmp, 'trust-store'), MIRRA_TRUST_UPDATE_CMD: 'true' };
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  /** The CA path a replayed command is given, with `args` added to `mirra replay`. */
  async function caGiven(args: string[], cwd = tmp): Promise<string> {
    const res = await runCommand(process.execPath, [BIN, 'replay', ...args, '--', process.execPath, '-e', 'console.log(process.env.NODE_EXTRA_CA_CERTS)'], env, 30_000, cwd);
    expect({ code: res.code, stderr: res.stderr }).toEqual({ code: 0, stderr: '' });
    return res.stdout.trim();
  }

  it('gives every data dir the same CA, kept in the user’s data home', async () => {
    const a = await caGiven(['--data-dir', join(tmp, 'a'), '--resume']);
    const b = await caGiven(['--data-dir', join(tmp, 'b'), '--resume']);
    expect(a).toBe(join(xdg, 'mirra', 'ca', 'mirra-ca.pem'));
    expect(b).toBe(a);
    expect(readdirSync(join(tmp, 'a'))).not.toContain('ca');
  }, 60_000);

  it('`mirra trust` once covers every data dir, and `--print` creates nothing', async () => {
    const empty = tempDir('mirra-ca-empty-');
    const emptyEnv = { ...env, XDG_DATA_HOME: join(empty, 'xdg') };
    try {
      const print = await runCommand(process.execPath, [BIN, 'trust', '--print'], emptyEnv, 30_000, empty);
      expect(print.code).toBe(0);
      expect(print.stdout).toContain(`No CA yet: the first \`mirra up\` (or \`mirra trust\`) makes it in ${join(empty, 'xdg', 'mirra', 'ca')}`);
      expect(readdirSync(empty)).toEqual([]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }

    const trust = await runCommand(process.execPath, [BIN, 'trust', '--data-dir', join(tmp, 'c')], env, 30_000, tmp);
    expect({ code: trust.code, stderr: trust.stderr }).toEqual({ code: 0, stderr: '' });
    const other = await runCommand(process.execPath, [BIN, 'trust', '--print', '--data-dir', join(tmp, 'd')], env, 30_000, tmp);
    expect(other.stdout).toContain(`CA certificate: ${join(xdg, 'mirra', 'ca', 'mirra-ca.pem')}`);
    expect(other.stdout).toMatch(/System trust store: installed as /);
    expect(existsSync(join(tmp, 'd'))).toBe(false);
  }, 60_000);

  it('keeps loading a CA an older mirra made in the data dir', async () => {
    const legacy = join(tmp, 'legacy');
    const ca = await loadOrCreateCa(legacy);
    expect(await caGiven(['--data-dir', legacy, '--resume'])).toBe(ca.certPath);
  }, 60_000);

  it('uses --ca-dir, else $MIRRA_CA_DIR, when given', async () => {
    expect(await caGiven(['--data-dir', join(tmp, 'e'), '--ca-dir', join(tmp, 'flag-ca')])).toBe(join(tmp, 'flag-ca', 'mirra-ca.pem'));
    env = { ...env, MIRRA_CA_DIR: join(tmp, 'env-ca') };
    expect(await caGiven(['--data-dir', join(tmp, 'e')])).toBe(join(tmp, 'env-ca', 'mirra-ca.pem'));
  }, 60_000);
});

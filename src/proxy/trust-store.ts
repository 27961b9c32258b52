/**
 * Installs mirra's CA into the Debian/Ubuntu system trust store, for clients that never read the
 * CA environment variables (issue #8: Debian's python3-twilio sends through
 * `requests.Session.send`, so HTTPS_PROXY works but REQUESTS_CA_BUNDLE is ignored). Like
 * `mkcert -install`: one file under /usr/local/share/ca-certificates, then `update-ca-certificates`.
 *
 * The trust directory and update command are overridable (options or MIRRA_TRUST_DIR /
 * MIRRA_TRUST_UPDATE_CMD) so tests never touch the real store.
 */
import { execFile } from 'node:child_process';
import { constants as fsConstants, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { CertificateAuthority } from './ca';
import { MirraError } from '../errors';

/** The CA fields the trust store needs. */
export type TrustedCa = Pick<CertificateAuthority, 'certPath' | 'certPem' | 'fingerprint256'>;

/** Where and how to install; every field defaults to the Debian layout. */
export interface TrustStoreOptions {
  /** Directory of local CA files; default MIRRA_TRUST_DIR or /usr/local/share/ca-certificates. */
  trustDir?: string;
  /** argv that rebuilds the bundle; `--fresh` is appended on uninstall. Default MIRRA_TRUST_UPDATE_CMD (run by sh) or update-ca-certificates. */
  updateCommand?: readonly string[];
  /** Environment to read overrides and PATH from; default process.env. */
  env?: NodeJS.ProcessEnv;
}

/** What {@link installCa} and {@link uninstallCa} did. */
export type TrustResult =
  | { status: 'installed' | 'already-installed' | 'removed' | 'not-installed'; filePath: string; output: string }
  /** The store cannot be changed from here; `steps` are the shell commands a user should run. */
  | { status: 'manual'; filePath: string; reason: string; steps: string[] };

const DEBIAN_TRUST_DIR = '/usr/local/share/ca-certificates';

/** The file name mirra owns in the trust dir: unique per CA, so several checkouts can coexist. */
export function trustFileName(fingerprint256: string): string {
  return `mirra-${fingerprint256.replace(/:/g, '').slice(0, 16).toLowerCase()}.crt`;
}

/** A resolved trust store: the file mirra owns and the commands that rebuild the bundle. */
export interface TrustStore {
  trustDir: string;
  filePath: string;
  installCommand: string[];
  uninstallCommand: string[];
  /** The update commands as a user would type them, for {@link manualSteps}. */
  display: { install: string; uninstall: string };
}

/** Resolves options and environment overrides into concrete paths and commands. */
export function resolveTrustStore(ca: TrustedCa, opts: TrustStoreOptions = {}): TrustStore {
  const env = opts.env ?? process.env;
  const trustDir = opts.trustDir ?? (env.MIRRA_TRUST_DIR || DEBIAN_TRUST_DIR);
  const snippet = opts.updateCommand ? undefined : env.MIRRA_TRUST_UPDATE_CMD;
  // An env override is a shell snippet; "$@" lets us append --fresh to it as to an argv.
  const installCommand = snippet
    ? ['/bin/sh', '-c', `${snippet} "$@"`, 'sh']
    : [...(opts.updateCommand ?? ['update-ca-certificates'])];
  const typed = snippet ?? installCommand.map(quote).join(' ');
  // Without --fresh, update-ca-certificates rebuilds the bundle but leaves the removed CA's
  // symlinks in /etc/ssl/certs dangling; --fresh rebuilds them, so nothing of ours remains.
  return {
    trustDir,
    filePath: path.join(trustDir, trustFileName(ca.fingerprint256)),
    installCommand,
    uninstallCommand: [...installCommand, '--fresh'],
    display: { install: typed, uninstall: `${typed} --fresh` },
  };
}

/** Copies the CA into the trust dir (atomically) and rebuilds the bundle; idempotent. */
export async function installCa(ca: TrustedCa, opts: TrustStoreOptions = {}): Promise<TrustResult> {
  const store = resolveTrustStore(ca, opts);
  const blocked = await whyBlocked(store.trustDir, store.installCommand, opts.env ?? process.env);
  if (blocked) return { status: 'manual', filePath: store.filePath, reason: blocked, steps: manualSteps('install', ca, store) };

  const previous = await readIfExists(store.filePath);
  const changed = previous !== ca.certPem;
  if (changed) {
    // Temp name without .crt, so a concurrent update-ca-certificates never picks up a partial file.
    const tmp = `${store.filePath}.${process.pid}.tmp`;
    await fsp.writeFile(tmp, ca.certPem, { mode: 0o644 });
    await fsp.rename(tmp, store.filePath);
  }
  // Run the update even when the file was already there: an earlier run may have died before it.
  try {
    const output = await run(store.installCommand, opts.env ?? process.env);
    return { status: changed ? 'installed' : 'already-installed', filePath: store.filePath, output };
  } catch (err) {
    // Leave the store as we found it: take back what we just wrote.
    if (changed && previous === undefined) await fsp.rm(store.filePath, { force: true });
    else if (changed) await fsp.writeFile(store.filePath, previous);
    throw err;
  }
}

/** Removes exactly the file {@link installCa} added and rebuilds the bundle; a no-op when absent. */
export async function uninstallCa(ca: TrustedCa, opts: TrustStoreOptions = {}): Promise<TrustResult> {
  const store = resolveTrustStore(ca, opts);
  if ((await readIfExists(store.filePath)) === undefined) return { status: 'not-installed', filePath: store.filePath, output: '' };
  const blocked = await whyBlocked(store.trustDir, store.uninstallCommand, opts.env ?? process.env);
  if (blocked) return { status: 'manual', filePath: store.filePath, reason: blocked, steps: manualSteps('uninstall', ca, store) };

  await fsp.rm(store.filePath, { force: true });
  const output = await run(store.uninstallCommand, opts.env ?? process.env);
  return { status: 'removed', filePath: store.filePath, output };
}

/** True when this CA's file is present in the trust dir. */
export async function isCaInstalled(ca: TrustedCa, opts: TrustStoreOptions = {}): Promise<boolean> {
  return (await readIfExists(resolveTrustStore(ca, opts).filePath)) === ca.certPem;
}

/** The commands a user with root can run by hand to do what we could not. */
export function manualSteps(action: 'install' | 'uninstall', ca: TrustedCa, store: TrustStore): string[] {
  return action === 'install'
    ? [`sudo install -m 0644 ${quote(ca.certPath)} ${quote(store.filePath)}`, `sudo ${store.display.install}`]
    : [`sudo rm -f ${quote(store.filePath)}`, `sudo ${store.display.uninstall}`];
}

/** Why we cannot change the store ourselves, or undefined when we can. */
async function whyBlocked(trustDir: string, command: readonly string[], env: NodeJS.ProcessEnv): Promise<string | undefined> {
  try {
    if (!(await fsp.stat(trustDir)).isDirectory()) return `${trustDir} is not a directory`;
  } catch {
    return `${trustDir} does not exist (mirra trust supports Debian/Ubuntu's ca-certificates)`;
  }
  try {
    await fsp.access(trustDir, fsConstants.W_OK);
  } catch {
    return `no permission to write ${trustDir} (run as root)`;
  }
  if (!(await findExecutable(command[0], env))) return `${command[0]} not found (install the ca-certificates package)`;
  return undefined;
}

async function findExecutable(name: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  // sbin is often missing from a non-login PATH although update-ca-certificates lives there.
  const dirs = name.includes('/') ? [''] : [...(env.PATH ?? '').split(':').filter(Boolean), '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    const candidate = dir ? path.join(dir, name) : name;
    try {
      await fsp.access(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not here; try the next directory
    }
  }
  return undefined;
}

function run(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const pathWithSbin = [env.PATH, '/usr/sbin', '/sbin'].filter(Boolean).join(':');
    execFile(argv[0], argv.slice(1), { env: { ...env, PATH: pathWithSbin } }, (err, stdout, stderr) => {
      const output = `${stdout}${stderr}`.trim();
      if (err) reject(new MirraError('MIRRA_ERR_TRUST_STORE', `${argv.join(' ')} failed (${err.code ?? err.message}): ${output}`));
      else resolve(output);
    });
  });
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fsp.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Single-quotes a shell word unless it is plainly safe. */
function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

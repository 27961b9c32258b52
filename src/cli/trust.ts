/**
 * `mirra trust [--ca-dir D] [--data-dir .mirra] [--uninstall] [--print]`: puts mirra's CA into the
 * system trust store for clients that ignore CA environment variables (issue #8), like
 * `mkcert -install`. The CA is the user's one (issue #15: see resolveCaDir), so doing it once
 * covers every data dir. Exits non-zero, with the exact commands to run instead, when it cannot
 * change the store itself. `--print` and `--uninstall` never create a CA.
 */
import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import type * as ConfigModule from '../config';
import type * as CaModule from '../proxy/ca';
import type { CertificateAuthority } from '../proxy/ca';
import type { TrustStoreOptions } from '../proxy/trust-store';
import type * as TrustStoreModule from '../proxy/trust-store';
import { caDirOption } from './options';
import { MirraError } from '../errors';

/** Parsed arguments of `mirra trust`. */
export interface TrustArgs {
  dataDir: string;
  /** `--ca-dir`; else resolved from the environment and the data dir. */
  caDir?: string;
  uninstall: boolean;
  print: boolean;
}

/** Where the command writes: stdout for results, stderr for problems. Injectable for tests. */
export interface TrustIo {
  out(line: string): void;
  err(line: string): void;
}

const processIo: TrustIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Runs `mirra trust` and returns the exit code (0 done, 1 not done). Never calls process.exit. */
export async function runTrust(args: TrustArgs, io: TrustIo = processIo, store: TrustStoreOptions = {}): Promise<number> {
  const { resolveCaDir } = require('../config') as typeof ConfigModule;
  const { caPathsIn, loadCa, loadOrCreateCaIn } = require('../proxy/ca') as typeof CaModule;
  const { installCa, isCaInstalled, resolveTrustStore, uninstallCa } = require('../proxy/trust-store') as typeof TrustStoreModule;
  const env = store.env ?? process.env;
  const caDir = resolveCaDir({ caDir: args.caDir, dataDir: args.dataDir }, env);
  let ca: CertificateAuthority | undefined;
  if (args.print || args.uninstall) {
    ca = await loadCa(caDir);
    if (!ca) {
      io.out(args.print ? `No CA yet: the first \`mirra up\` (or \`mirra trust\`) makes it in ${caDir}.` : `No CA in ${caDir}: nothing to remove.`);
      if (args.print) io.out('System trust store: not installed');
      return 0;
    }
  } else {
    const created = missingPaths(caDir);
    ca = await loadOrCreateCaIn(caDir);
    if (created.length > 0) await handOverToSudoUser([...created, caPathsIn(caDir).certPath, caPathsIn(caDir).keyPath], env);
  }
  const target = resolveTrustStore(ca, store);

  if (args.print) {
    io.out(`CA certificate: ${ca.certPath}`);
    io.out(`SHA-256 fingerprint: ${ca.fingerprint256}`);
    const installed = await isCaInstalled(ca, store);
    io.out(`System trust store: ${installed ? `installed as ${target.filePath}` : 'not installed'}`);
    return 0;
  }

  try {
    const result = args.uninstall ? await uninstallCa(ca, store) : await installCa(ca, store);
    switch (result.status) {
      case 'manual':
        io.err(`mirra trust: cannot change the system trust store: ${result.reason}.`);
        io.err('Run these commands instead:');
        for (const step of result.steps) io.err(`  ${step}`);
        return 1;
      case 'installed':
        io.out(`Installed mirra's CA (SHA-256 ${ca.fingerprint256}) as ${result.filePath}.`);
        // Node keeps its own root list; the system store does not reach it.
        io.out(`Node.js clients still need NODE_EXTRA_CA_CERTS=${ca.certPath}.`);
        return 0;
      case 'already-installed':
        io.out(`mirra's CA is already installed as ${result.filePath}.`);
        return 0;
      case 'removed':
        io.out(`Removed mirra's CA (${result.filePath}) from the system trust store.`);
        return 0;
      case 'not-installed':
        io.out(`mirra's CA is not installed (${result.filePath} absent); nothing to remove.`);
        return 0;
    }
  } catch (err) {
    io.err(`mirra trust: ${(err as Error).message}`);
    return 1;
  }
}

/** `dir` and those of its ancestors that do not exist yet, outermost first: what making it creates. */
function missingPaths(dir: string): string[] {
  const missing: string[] = [];
  for (let d = path.resolve(dir); !existsSync(d); d = path.dirname(d)) {
    missing.unshift(d);
    if (path.dirname(d) === d) break;
  }
  return missing;
}

/**
 * `sudo mirra trust` on a fresh machine creates the CA (and perhaps ~/.local/share) as root, and
 * the user's unprivileged mirrors could then not read its 0600 key. Give what we just created back
 * to the invoking user.
 */
async function handOverToSudoUser(created: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const uid = Number(env.SUDO_UID);
  const gid = Number(env.SUDO_GID);
  if (process.getuid?.() !== 0 || !Number.isInteger(uid) || !Number.isInteger(gid) || env.SUDO_UID === undefined) return;
  for (const file of created) await fsp.chown(file, uid, gid);
}

/** Options as yargs declares them (kebab-case flag names). */
type TrustFlags = { 'data-dir': string; 'ca-dir'?: string; uninstall: boolean; print: boolean };

/** The yargs command module for `mirra trust`; register it in the CLI root. */
export const trustCommand: CommandModule<object, TrustFlags> = {
  command: 'trust',
  describe: "Install mirra's CA into the system trust store (Debian/Ubuntu), like mkcert -install",
  builder: (yargs: Argv<object>) =>
    yargs
      .option('ca-dir', caDirOption)
      .option('data-dir', { type: 'string', default: '.mirra', describe: 'A data dir whose own CA (ca/mirra-ca.pem, made by an older mirra) to use' })
      .option('uninstall', { type: 'boolean', default: false, describe: 'Remove exactly what trust installed' })
      .option('print', { type: 'boolean', default: false, describe: 'Show the CA path and SHA-256 fingerprint' })
      // Not .conflicts(): it counts the false defaults as given.
      .check((argv) => {
        if (argv.print && argv.uninstall) throw new MirraError('MIRRA_ERR_BAD_OPTION', '--print and --uninstall cannot be combined', 'give one of them');
        return true;
      }),
  handler: async (argv) => {
    process.exitCode = await runTrust({ dataDir: argv['data-dir'], caDir: argv['ca-dir'], uninstall: argv.uninstall, print: argv.print });
  },
};

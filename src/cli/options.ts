/**
 * Flags shared by `mirra up` and `mirra replay`, and their mapping to mirror options.
 */
import type { Argv } from 'yargs';
import type { MirraOptions } from '../config';

/** Parsed shared flags. */
export interface MirrorFlags {
  mirrors: string;
  seed?: string;
  port: number;
  host: string;
  accountSid?: string;
  authToken?: string;
  dataDir: string;
  caDir?: string;
  ephemeral: boolean;
  durable: boolean;
  logLevel: string;
  token?: string;
}

/** `--ca-dir`, the same on every command that presents or installs mirra's CA. */
export const caDirOption = {
  type: 'string',
  describe: "Directory of mirra's CA (else $MIRRA_CA_DIR, else <data-dir>/ca when it holds one, else ~/.local/share/mirra/ca: one CA per user)",
} as const;

/** Declares the shared flags on a command. */
export function withMirrorFlags<T>(y: Argv<T>, defaultPort: number): Argv<T & MirrorFlags> {
  return y
    .option('mirrors', { type: 'string', default: 'twilio', describe: 'Which APIs to mirror (only twilio today)' })
    .option('seed', { type: 'string', describe: 'Seed of the default session: twilio:NAME (see `mirra seeds`) or a JSON file' })
    .option('port', { type: 'number', default: defaultPort, describe: 'Port to listen on (0 picks a free one)' })
    .option('host', { type: 'string', default: '127.0.0.1', describe: 'Interface to listen on' })
    .option('account-sid', { type: 'string', describe: 'AccountSid of the default session (else $TWILIO_ACCOUNT_SID, else generated)' })
    .option('auth-token', { type: 'string', describe: 'Auth token of the default session (else $TWILIO_AUTH_TOKEN, else generated)' })
    .option('data-dir', { type: 'string', default: '.mirra', describe: 'Directory for state (LMDB) and the instance key' })
    .option('ca-dir', caDirOption)
    .option('ephemeral', { type: 'boolean', default: false, describe: 'Keep state in memory only (nothing is written to --data-dir)' })
    .option('durable', { type: 'boolean', default: false, describe: 'fsync every commit (survives power loss, slower)' })
    .option('token', { type: 'string', describe: 'Token the control plane and proxy require (else $MIRRA_TOKEN; generated when --host is not loopback)' })
    .option('log-level', { type: 'string', default: 'silent', choices: ['silent', 'error', 'warn', 'info', 'debug'], describe: 'Request log level' }) as unknown as Argv<
    T & MirrorFlags
  >;
}

/** Mirror options from parsed flags. */
export function toMirrorOptions(f: MirrorFlags): MirraOptions {
  if (f.mirrors !== 'twilio') throw new Error(`--mirrors ${f.mirrors}: only "twilio" is mirrored`);
  return {
    seed: f.seed,
    port: f.port,
    host: f.host,
    accountSid: f.accountSid,
    authToken: f.authToken,
    dataDir: f.dataDir,
    caDir: f.caDir,
    ephemeral: f.ephemeral,
    durable: f.durable,
    logLevel: f.logLevel as MirraOptions['logLevel'],
    token: f.token,
  };
}

/**
 * Flags shared by `mirra up` and `mirra replay` (and those every command spells the same way:
 * `--port`, `--ca-dir`, `--cassettes-dir`), their checks, and their mapping to mirror options.
 */
import { existsSync, statSync } from 'node:fs';
import type { Argv } from 'yargs';
import type { MirraOptions } from '../config';
import { MirraError } from '../errors';

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

/** A `--port` value as a number, or mirra's error naming the value given (yargs would say NaN). */
export function parsePort(value: unknown): number {
  const n = typeof value === 'number' || /^\d+$/.test(String(value)) ? Number(value) : NaN;
  if (Number.isInteger(n) && n >= 0 && n <= 65535) return n;
  throw new MirraError('MIRRA_ERR_BAD_OPTION', `--port ${String(value)} is not a port number`, 'give a whole number from 1 to 65535, or 0 to pick a free port');
}

/** `--port`, with its check: the same on every command that takes one. */
export function portOption(defaultPort: number, describe = 'Port to listen on (0 picks a free one)') {
  return { requiresArg: true, default: defaultPort, describe, coerce: parsePort } as const;
}

/** `--cassettes-dir`, the same on every command that reads or writes cassettes; else $MIRRA_CASSETTES_DIR, else `cassettes`. */
export const cassettesDirOption = {
  type: 'string',
  default: process.env.MIRRA_CASSETTES_DIR?.trim() || 'cassettes',
  describe: 'Where cassette files are (else $MIRRA_CASSETTES_DIR, else cassettes)',
} as const;

/** Refuses a `--data-dir` that names a file (the store, the run file and the instance key go inside it). */
export function checkDataDir(dataDir: string): void {
  if (existsSync(dataDir) && !statSync(dataDir).isDirectory()) {
    throw new MirraError('MIRRA_ERR_BAD_OPTION', `--data-dir ${dataDir} is a file, not a directory`, 'point --data-dir at a directory (mirra creates it when it is missing), or move that file away');
  }
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
    .option('port', portOption(defaultPort))
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
  if (f.mirrors !== 'twilio') throw new MirraError('MIRRA_ERR_BAD_OPTION', `--mirrors ${f.mirrors}: only "twilio" is mirrored`, 'leave --mirrors out (it defaults to twilio)');
  checkDataDir(f.dataDir);
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

/**
 * Options of a mirror, their defaults, and the environment variables they fall back to.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { Cassette } from './cassette/types';
import { CA_CERT_FILE } from './proxy/ca';
import type { TimeSource } from './clock';
import type { RecordOptions } from './record/recording';
import { newToken } from './twilio/sid';

/** What a user (CLI flags, `startMirror`) may set. */
export interface MirraOptions {
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Port; 0 picks a free one. Default 4010. */
  port?: number;
  /** Where state and the instance key live. Default `.mirra`. */
  dataDir?: string;
  /**
   * Where mirra's CA lives (proxy mode). Default $MIRRA_CA_DIR, else a CA the data dir already
   * holds (`<dataDir>/ca`), else the user's `$XDG_DATA_HOME/mirra/ca` (`~/.local/share/mirra/ca`).
   */
  caDir?: string;
  /** Keep state in memory only (nothing is written to the data dir). */
  ephemeral?: boolean;
  /** fsync every commit (slower; survives power loss, not only a crash). */
  durable?: boolean;
  /** Seed of the default session: `twilio:NAME`, a file path, or an object. */
  seed?: string | object;
  /** Credentials of the default session (else env TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN, else generated). */
  accountSid?: string;
  authToken?: string;
  /** Serve HTTP CONNECT with TLS termination for *.twilio.com (proxy mode). Default true. */
  proxy?: boolean;
  /** Log requests (fastify/pino) at this level; default silent. */
  logLevel?: 'silent' | 'error' | 'warn' | 'info' | 'debug';
  /** Source of real time (tests may inject one). */
  time?: TimeSource;
  /**
   * Token the control plane and the proxy require (`X-Mirra-Token` / proxy credentials). Else
   * $MIRRA_TOKEN; generated when listening on anything but loopback, never needed on loopback.
   */
  token?: string;
  /** Replay this cassette: a name (`<cassettesDir>/NAME.cassette.json`), a path, or a cassette object. */
  cassette?: string | Cassette;
  /** Where cassettes are found by name. Default $MIRRA_CASSETTES_DIR, else `cassettes`. */
  cassettesDir?: string;
  /** With a cassette: answer requests no recording matches with mirra's 400 instead of emulating them. */
  strict?: boolean;
  /**
   * Record instead of emulating: API requests are answered from this cassette, forwarded to
   * Twilio (or `record.upstream`) and written to it, by the record mode (`mirra record`).
   */
  record?: RecordOptions;
}

/** Options with every default applied. */
export interface ResolvedOptions {
  host: string;
  port: number;
  dataDir: string;
  caDir: string;
  ephemeral: boolean;
  durable: boolean;
  seed: string | object | undefined;
  accountSid: string | undefined;
  authToken: string | undefined;
  proxy: boolean;
  logLevel: 'silent' | 'error' | 'warn' | 'info' | 'debug';
  defaultSessionId: string;
  token: string | null;
  cassette: string | Cassette | undefined;
  cassettesDir: string;
  strict: boolean;
  record: RecordOptions | undefined;
}

/** The id of the session served when a request names no other. */
export const DEFAULT_SESSION_ID = 'default';

/** Applies defaults and environment fallbacks. */
export function resolveOptions(opts: MirraOptions, env: NodeJS.ProcessEnv = process.env): ResolvedOptions {
  return {
    host: opts.host ?? '127.0.0.1',
    port: opts.port ?? 4010,
    dataDir: opts.dataDir ?? '.mirra',
    caDir: resolveCaDir(opts, env),
    ephemeral: opts.ephemeral ?? false,
    durable: opts.durable ?? false,
    seed: opts.seed,
    accountSid: opts.accountSid ?? nonEmpty(env.TWILIO_ACCOUNT_SID),
    authToken: opts.authToken ?? nonEmpty(env.TWILIO_AUTH_TOKEN),
    proxy: opts.proxy ?? true,
    logLevel: opts.logLevel ?? 'silent',
    defaultSessionId: DEFAULT_SESSION_ID,
    token: opts.token ?? nonEmpty(env.MIRRA_TOKEN) ?? (isLoopbackHost(opts.host ?? '127.0.0.1') ? null : newToken()),
    cassette: opts.cassette,
    cassettesDir: nonEmpty(opts.cassettesDir) ?? nonEmpty(env.MIRRA_CASSETTES_DIR) ?? 'cassettes',
    strict: opts.strict ?? false,
    record: opts.record,
  };
}

/**
 * Where mirra's CA lives: one per user, as mkcert keeps one CAROOT, so `mirra trust` done once
 * covers every data dir (issue #15). `caDir` (`--ca-dir`), else $MIRRA_CA_DIR, else the CA a data
 * dir already holds (`<dataDir>/ca/`, where an older mirra made it), else {@link userCaDir}.
 */
export function resolveCaDir(opts: { caDir?: string; dataDir?: string }, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = nonEmpty(opts.caDir) ?? nonEmpty(env.MIRRA_CA_DIR);
  if (chosen) return resolve(chosen);
  const own = resolve(opts.dataDir ?? '.mirra', 'ca');
  return existsSync(join(own, CA_CERT_FILE)) ? own : userCaDir(env);
}

/**
 * The user's CA directory: `$XDG_DATA_HOME/mirra/ca`, else `~/.local/share/mirra/ca` (the XDG base
 * directory spec ignores a relative XDG_DATA_HOME). Under `sudo` it is the invoking user's, so
 * `sudo mirra trust` installs the CA that user's mirrors present.
 */
export function userCaDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = nonEmpty(env.XDG_DATA_HOME);
  const dataHome = xdg && isAbsolute(xdg) ? xdg : join(userHome(env), '.local', 'share');
  return join(dataHome, 'mirra', 'ca');
}

/** The home directory of the user mirra acts for: sudo's invoking user when root runs it through sudo. */
function userHome(env: NodeJS.ProcessEnv): string {
  const sudoUser = nonEmpty(env.SUDO_USER);
  if (sudoUser && sudoUser !== 'root' && process.getuid?.() === 0) {
    const home = passwdHome(sudoUser);
    if (home) return home;
  }
  return nonEmpty(env.HOME) ?? homedir();
}

/** `name`'s home directory from /etc/passwd (Node can only ask for the current user's). */
function passwdHome(name: string): string | undefined {
  try {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${name}:`));
    return line?.split(':')[5] || undefined;
  } catch {
    return undefined;
  }
}

function nonEmpty(v: string | undefined): string | undefined {
  return v && v.trim() ? v.trim() : undefined;
}

/** True for addresses only this machine can reach (where mirra needs no token). */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

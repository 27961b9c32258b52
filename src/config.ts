/**
 * Options of a mirror, their defaults, and the environment variables they fall back to.
 */
import type { Cassette } from './cassette/types';
import type { TimeSource } from './clock';
import type { RecordOptions } from './record/recording';
import { newToken } from './twilio/sid';

/** What a user (CLI flags, `startMirror`) may set. */
export interface MirraOptions {
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Port; 0 picks a free one. Default 4010. */
  port?: number;
  /** Where state, the CA and the instance key live. Default `.mirra`. */
  dataDir?: string;
  /** Keep state in memory only (nothing written but the CA). */
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
  /** Replay this cassette: a name (`cassettes/NAME.cassette.json`), a path, or a cassette object. */
  cassette?: string | Cassette;
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
    strict: opts.strict ?? false,
    record: opts.record,
  };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v && v.trim() ? v.trim() : undefined;
}

/** True for addresses only this machine can reach (where mirra needs no token). */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

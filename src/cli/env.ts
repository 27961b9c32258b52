/**
 * `mirra env`: prints the environment of a running mirror (from `--url`, else `--port`/`--host`,
 * else the mirror recorded in `--data-dir`, else http://127.0.0.1:4010) as shell `export` lines,
 * dotenv or JSON. A mirror that listens beyond loopback asks for its token: `--token`, else
 * $MIRRA_TOKEN, else the one its data dir's run file holds (issue #15: the banner's
 * `eval "$(mirra env)"` must work as printed). Every failure is one line with its fix.
 */
import type { CommandModule } from 'yargs';
import { MIRRA_ERRORS, MirraError, type MirraErrorCode } from '../errors';
import { toShell } from '../server/env';
import { parsePort } from './options';
import { readRunInfo, type RunInfo } from './run-file';

interface EnvArgs {
  url?: string;
  port?: number;
  host: string;
  dataDir: string;
  session?: string;
  format: string;
  token?: string;
}

/** Hosts that name this machine, however a mirror printed its address. */
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '0.0.0.0', '[::]']);

/** True when `a` and `b` reach the same local mirror (same port; the same or a local host). */
function sameMirror(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(b);
    return x.port === y.port && (x.hostname === y.hostname || (LOCAL_HOSTS.has(x.hostname) && LOCAL_HOSTS.has(y.hostname)));
  } catch {
    return false;
  }
}

/** The URL `mirra env` asks, and the token it sends. */
export function envTarget(argv: EnvArgs, run: RunInfo | null, env: NodeJS.ProcessEnv = process.env): { url: string; token?: string } {
  const host = argv.host.includes(':') && !argv.host.startsWith('[') ? `[${argv.host}]` : argv.host;
  const url = argv.url ?? (argv.port !== undefined ? `http://${host}:${argv.port}` : (run?.url ?? 'http://127.0.0.1:4010'));
  const token = argv.token ?? (env.MIRRA_TOKEN?.trim() || undefined) ?? (run?.token && sameMirror(run.url, url) ? run.token : undefined);
  return { url, token };
}

/** mirra's error for a control-plane answer that is not the environment. */
function answerError(url: string, status: number, body: unknown): MirraError {
  const code = (body as { code?: unknown } | null)?.code;
  if (code === 'MIRRA_ERR_UNAUTHORIZED') {
    return new MirraError(
      'MIRRA_ERR_UNAUTHORIZED',
      `the mirror at ${url} listens beyond loopback and asks for its token`,
      "pass --token T or set MIRRA_TOKEN (`mirra up` printed it), or give `mirra env` that mirror's --data-dir, where it finds the token",
    );
  }
  if (typeof code === 'string' && code in MIRRA_ERRORS && typeof (body as { message?: unknown }).message === 'string') {
    return MirraError.fromBody({ code: code as MirraErrorCode, message: (body as { message: string }).message });
  }
  return new MirraError('MIRRA_ERR_NO_MIRROR', `${url} answered ${status}, which a mirra mirror does not`);
}

export const envCommand: CommandModule<object, EnvArgs> = {
  command: 'env',
  describe: 'Print the environment that routes an unchanged SDK to a running mirror',
  builder: (y) =>
    y
      .option('url', { type: 'string', describe: 'Base URL of the mirror' })
      .option('port', { requiresArg: true, coerce: (v: unknown) => (v === undefined ? undefined : parsePort(v)), describe: 'Port of a mirror on this machine (as `mirra up --port` started it)' })
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'Host of the mirror, with --port' })
      .option('data-dir', { type: 'string', default: '.mirra', describe: 'Data dir of the mirror (to find its URL, and its token beyond loopback)' })
      .option('session', { type: 'string', describe: 'Session id (default session when omitted)' })
      .option('format', { type: 'string', default: 'sh', choices: ['sh', 'dotenv', 'json'] })
      .option('token', { type: 'string', describe: "The mirror's token, when it listens beyond loopback (else $MIRRA_TOKEN, else from --data-dir)" }) as never,
  handler: async (argv) => {
    const { url, token } = envTarget(argv, readRunInfo(argv.dataDir));
    const query = argv.session ? `?session=${encodeURIComponent(argv.session)}` : '';
    let res: Response;
    try {
      res = await fetch(`${url}/_mirra/env${query}`, { headers: token ? { 'x-mirra-token': token } : {} });
    } catch {
      throw new MirraError('MIRRA_ERR_NO_MIRROR', `no mirror answers at ${url}`);
    }
    const text = await res.text();
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: not a mirror (reported below).
    }
    if (!res.ok || body === null || typeof body !== 'object') throw answerError(url, res.status, body);
    const vars = body as Record<string, string>;
    if (argv.format === 'json') process.stdout.write(JSON.stringify(vars, null, 2) + '\n');
    else if (argv.format === 'dotenv') process.stdout.write(Object.entries(vars).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
    else process.stdout.write(toShell(vars) + '\n');
  },
};

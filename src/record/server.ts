/**
 * The recorder's transport: an HTTP server that apps reach the same zero-code ways as the mirror —
 * as `HTTP_PROXY` (CONNECT + TLS terminated by src/proxy/connect.ts, so a request arrives with
 * `Host: api.twilio.com`) or as a base URL. Twilio API requests go through the record pipeline
 * (recorder.ts) and upstream (forward.ts); `/_mirra/*` on mirra's own host serves health, the
 * environment and the callback capture addresses. No mode logic lives here: the record mode
 * (modes.ts) decides, once at start, whether there is a cassette to answer from and whether
 * requests go upstream; the recorder routes each request accordingly.
 */
import { existsSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { realTime, type TimeSource } from '../clock';
import { cassettePath, loadCassette, saveCassette } from '../cassette/codec';
import { compileCassette } from '../cassette/compile';
import { hostnameOf, isTwilioHostname, splitUrl } from '../cassette/normalize';
import type { Cassette, Interaction } from '../cassette/types';
import { MirraError } from '../errors';
import { loadOrCreateCa, type CertificateAuthority } from '../proxy/ca';
import { attachConnectProxy } from '../proxy/connect';
import { writeCombinedBundle } from '../server/env';
import { LmdbStore } from '../store/lmdb-store';
import type { Store } from '../store/store';
import { newId } from '../twilio/sid';
import { HOOK_PREFIX, parseHookPath } from './callbacks';
import { forwardRequest, upstreamFor } from './forward';
import { DEFAULT_RECORD_MODE, planRecording, type RecordMode, type RecordPlan } from './modes';
import { Playback, type PlaybackAnswer } from './playback';
import { Recorder } from './recorder';
import { RecordingStore } from './recording-store';
import type { MirrorEnv } from '../server/env';

/** Options of {@link startRecorder}. */
export interface RecorderOptions {
  /** Cassette name: the text form goes to `cassettesDir/NAME.cassette.json`. */
  cassette: string;
  /** Send every request to this base URL instead of Twilio's hosts (a local stand-in). */
  upstream?: string;
  /**
   * Public URL of a tunnel to this recorder: enables callback capture. `self` means the recorder's
   * own address (when the upstream is a local stand-in that can reach it directly).
   */
  publicUrl?: string;
  host?: string;
  /** Port; 0 picks a free one. Default 4010. */
  port?: number;
  /** LMDB working store and the CA. Default `.mirra`. */
  dataDir?: string;
  /** Where text forms go. Default `cassettes`. */
  cassettesDir?: string;
  /** Use this store instead of LMDB in `dataDir` (tests). */
  store?: Store;
  /** Upstream silence that counts as a timeout. Default 30 000 ms (the SDK's own timeout). */
  upstreamTimeoutMs?: number;
  /** The account's auth token, to check callbacks when the app uses an API key. */
  authToken?: string;
  /** Discard an unfinished recording of the same name instead of refusing to start. */
  overwrite?: boolean;
  /** Serve CONNECT (proxy mode). Default true. */
  proxy?: boolean;
  /** What to do with an existing cassette (modes.ts). Default `once`. */
  mode?: RecordMode;
  time?: TimeSource;
}

/** The environment that routes an unchanged SDK through the recorder (no credentials: the app keeps its own). */
export type RecorderEnv = Omit<MirrorEnv, 'TWILIO_ACCOUNT_SID' | 'TWILIO_AUTH_TOKEN' | 'MIRRA_TOKEN'>;

/** What a recording run leaves behind. */
export interface RecordResult {
  /** The cassette file. */
  file: string;
  /** The cassette as the file now holds it. */
  cassette: Cassette;
  /** False when the file was left as it was (nothing recorded into an existing cassette). */
  written: boolean;
  /** The interactions this run recorded, as written (numbered as in `cassette`). */
  recorded: Interaction[];
  /** The interactions of the cassette answered from that this run did not use, in recorded order. */
  unused: Interaction[];
}

/** A running recorder. */
export interface RunningRecorder {
  url: string;
  port: number;
  env: RecorderEnv;
  recorder: Recorder;
  /** What this run does (record mode applied to whether the file existed). */
  plan: RecordPlan;
  /** The existing cassette requests are answered from (`once` on an existing file, `new`, `none`). */
  base?: Cassette;
  /** Where the text form will be written. */
  file: string;
  /** Stops accepting requests, writes the text form (unless the plan keeps the file), closes the store. */
  stop(): Promise<RecordResult>;
}

/** Largest request body forwarded (Twilio's form posts are far smaller). */
const BODY_LIMIT = 1024 * 1024;

function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= BODY_LIMIT) chunks.push(c);
    });
    req.on('end', () => resolve(size <= BODY_LIMIT ? Buffer.concat(chunks) : undefined));
    req.on('error', reject);
  });
}

function sendAnswer(res: http.ServerResponse, answer: PlaybackAnswer): void {
  res.writeHead(answer.status, { ...answer.headers, 'content-length': answer.body.length });
  res.end(answer.body);
}

function sendText(res: http.ServerResponse, status: number, text: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Starts recording `opts.cassette`; see {@link RecorderOptions}. */
export async function startRecorder(opts: RecorderOptions): Promise<RunningRecorder> {
  const time = opts.time ?? realTime;
  const dataDir = opts.dataDir ?? '.mirra';
  const cassettesDir = opts.cassettesDir ?? 'cassettes';
  const file = cassettePath(cassettesDir, opts.cassette);
  const mode = opts.mode ?? DEFAULT_RECORD_MODE;
  const plan = planRecording(mode, existsSync(file));
  if (!plan) {
    throw new MirraError('MIRRA_ERR_UNKNOWN_CASSETTE', `${file} does not exist, and --record none answers only from a cassette`, `record it first: \`mirra record --cassette ${opts.cassette}\` (--record once)`);
  }
  // Read the cassette to answer from before opening anything, so a bad one fails fast.
  const base = plan.serve ? loadCassette(cassettesDir, opts.cassette) : undefined;
  const store = opts.store ?? new LmdbStore({ dir: dataDir });
  const recordings = new RecordingStore(store);
  const earlier = recordings.meta(opts.cassette);
  // A run that records nothing leaves the working store (and an unfinished recording in it) alone.
  if (plan.forward && earlier?.state === 'recording' && !opts.overwrite) {
    const message =
      `an unfinished recording of ${opts.cassette} (${recordings.interactions(opts.cassette).length} interactions) is in ${dataDir}; ` +
      `write it with \`mirra cassettes recover ${opts.cassette}\`, or pass --overwrite to discard it`;
    if (!opts.store) await store.close();
    throw new Error(message);
  }
  const ca: CertificateAuthority | null = opts.proxy === false ? null : await loadOrCreateCa(dataDir);
  const bundle = ca ? writeCombinedBundle(dirname(ca.certPath), ca.certPem) : null;
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  const timeoutMs = opts.upstreamTimeoutMs ?? 30_000;
  let recorder: Recorder | undefined;
  let url = '';
  let env: RecorderEnv | undefined;

  const record = async (req: http.IncomingMessage, res: http.ServerResponse, host: string | undefined, path: string, query: string) => {
    const target = upstreamFor(host, path, opts.upstream);
    if (!target) return sendText(res, 404, `mirra record: no Twilio product serves ${path}\n`);
    const body = await readBody(req);
    if (body === undefined) return sendText(res, 413, 'mirra record: request body too large\n');
    req.url = query ? `${path}?${query}` : path; // origin-form for http-proxy, also after an absolute-form request
    // A client using the recorder as its base URL follows absolute URLs: served answers point them here.
    const origin = host && !isTwilioHostname(hostnameOf(host)) ? `http://${host}` : undefined;
    const routing = recorder!.route({ method: req.method ?? 'GET', host, url: req.url, contentType: req.headers['content-type'], body, authorization: req.headers.authorization }, origin);
    if (routing.kind !== 'forward') return sendAnswer(res, routing.answer);
    const pending = routing.pending;
    const held = await forwardRequest(req, res, pending.forwardBody, target, { timeoutMs, agents });
    // An answer Twilio gave is recorded even if the app hung up meanwhile (what Twilio did happened).
    if (held.result.response || !held.result.clientGone) recorder!.complete(pending, held.result);
    held.release();
  };

  const control = async (req: http.IncomingMessage, res: http.ServerResponse, path: string) => {
    if (path === '/_mirra/health') return sendText(res, 200, JSON.stringify({ status: 'ok', mode: 'record', record: plan.mode, cassette: opts.cassette, ...recorder!.counts }), 'application/json');
    if (path === '/_mirra/env') return sendText(res, 200, JSON.stringify(env), 'application/json');
    const ref = path.startsWith(HOOK_PREFIX) ? parseHookPath(path) : undefined;
    if (ref && req.method === 'POST' && recorder!.meta.publicUrl) {
      const body = (await readBody(req)) ?? Buffer.alloc(0);
      const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
      const answer = await recorder!.captureCallback({
        ref,
        body: body.toString('utf8'),
        signature: header('x-twilio-signature'),
        userAgent: header('user-agent'),
        idempotencyToken: header('i-twilio-idempotency-token'),
      });
      return sendText(res, answer.status, answer.body, answer.contentType);
    }
    return sendText(res, 404, `mirra record: no such endpoint ${path}\n`);
  };

  const server = http.createServer((req, res) => {
    if (!recorder) return sendText(res, 503, 'mirra record: starting\n');
    const { path, query } = splitUrl(req.url ?? '/');
    const absolute = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(req.url ?? '');
    const host = absolute ? absolute[1] : req.headers.host;
    const twilio = isTwilioHostname(hostnameOf(host));
    const handled = !twilio && path.startsWith('/_mirra/')
      ? control(req, res, path)
      : absolute && !twilio
        ? Promise.resolve(sendText(res, 403, `mirra record: only Twilio hosts are forwarded, not ${absolute[1]}\n`))
        : record(req, res, host, path, query);
    handled.catch((err: unknown) => {
      process.emitWarning(`mirra record: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (!res.headersSent) sendText(res, 500, 'mirra record: internal error\n');
      else res.destroy();
    });
  });
  if (ca) attachConnectProxy(server, { ca });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 4010, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  url = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
  env = { HTTP_PROXY: url, HTTPS_PROXY: url, NO_PROXY: 'localhost,127.0.0.1', MIRRA_URL: url };
  if (ca) env.NODE_EXTRA_CA_CERTS = ca.certPath;
  if (bundle) env.REQUESTS_CA_BUNDLE = bundle;

  const publicUrl = opts.publicUrl === 'self' ? url : opts.publicUrl?.replace(/\/+$/, '');
  const localOrigins = [url, `http://localhost:${addr.port}`, 'http://api.twilio.com', 'http://verify.twilio.com', 'http://messaging.twilio.com'];
  if (opts.upstream) localOrigins.push(new URL(opts.upstream).origin);
  const meta = { name: opts.cassette, startedAt: time.now(), state: 'recording' as const, localOrigins, runId: newId(6) };
  if (opts.upstream) Object.assign(meta, { upstream: opts.upstream });
  if (publicUrl) Object.assign(meta, { publicUrl });
  if (base && plan.write === 'append') Object.assign(meta, { extendsSeq: Math.max(0, ...base.interactions.map((i) => i.seq)) });
  if (plan.forward) recordings.begin(meta);
  const playback = base ? new Playback(base, time) : undefined;
  recorder = new Recorder(recordings, meta, { time, publicUrl, authToken: opts.authToken, mode: plan.mode, playback, forward: plan.forward });

  let stopped: Promise<RecordResult> | undefined;
  const stop = async (): Promise<RecordResult> => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    agents.http.destroy();
    agents.https.destroy();
    const unused = playback?.unused() ?? [];
    const written = plan.forward
      ? writeTextForm(recordings, opts.cassette, cassettesDir, time.now())
      : { file, cassette: base!, written: false, recorded: [] };
    if (!opts.store) await store.close();
    return { ...written, unused };
  };
  return { url, port: addr.port, env, recorder, plan, base, file, stop: () => (stopped ??= stop()) };
}

/**
 * Compiles recording `name` from the store and writes its text form, keeping the matching rules
 * of the file it replaces; marks the recording stopped. A `--record new` run is appended to the
 * file's interactions up to its `extendsSeq` (so writing twice never appends twice), and leaves
 * the file alone when it recorded nothing. Also how a crashed recording is recovered.
 */
export function writeTextForm(
  recordings: RecordingStore,
  name: string,
  cassettesDir: string,
  now: number,
): { file: string; cassette: Cassette; written: boolean; recorded: Interaction[] } {
  const meta = recordings.meta(name);
  if (!meta) throw new Error(`no recording of ${name} in the working store`);
  let earlier: Cassette | undefined;
  try {
    earlier = loadCassette(cassettesDir, name);
  } catch {
    earlier = undefined; // no earlier file (or an unreadable one): nothing to keep
  }
  const stoppedAt = meta.stoppedAt ?? now;
  const extendsSeq = meta.extendsSeq;
  const base = extendsSeq !== undefined && earlier ? { ...earlier, interactions: earlier.interactions.filter((i) => i.seq <= extendsSeq) } : undefined;
  const raw = recordings.interactions(name);
  const cassette = compileCassette({ ...meta, stoppedAt }, raw, recordings.callbacks(name), {
    match: earlier?.match,
    extend: base ? { cassette: base, aliases: meta.aliases } : undefined,
  });
  const recorded = cassette.interactions.slice(base ? base.interactions.length : 0);
  const written = !base || recorded.length > 0;
  const file = written ? saveCassette(cassettesDir, cassette) : cassettePath(cassettesDir, name);
  recordings.finish(name, stoppedAt);
  return { file, cassette, written, recorded };
}

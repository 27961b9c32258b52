/**
 * Recording as a stage of the request pipeline (`mirra record`, and `useMirror({ record })` in
 * process): every API request — over a socket, the CONNECT/TLS proxy or in-process — is answered
 * from the cassette (record modes `once` on an existing file, `new`, `none`: ./modes.ts),
 * refused with the fix, or forwarded upstream (./forward.ts) and appended to the working store
 * before the app gets its answer. The stage also serves the capture addresses of Twilio's
 * callbacks (`/_mirra/record/callbacks/…`) and says how the recording stands in /_mirra/health.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { existsSync } from 'node:fs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TimeSource } from '../clock';
import { cassettePath, loadCassette } from '../cassette/codec';
import { hostnameOf, splitUrl } from '../cassette/normalize';
import type { Cassette, Interaction } from '../cassette/types';
import type { ApiSurface } from '../core/api-surface';
import { MirraError } from '../errors';
import { formPairs } from '../replay/identity';
import { sendServed } from '../replay/respond';
import { markPassThrough, type PipelineStage } from '../server/api-plugin';
import type { Store } from '../store/store';
import { HOOK_PREFIX, parseHookPath } from './callbacks';
import { forwardRequest, upstreamFor } from './forward';
import { planRecording, type RecordMode, type RecordPlan } from './modes';
import { Playback } from './playback';
import { Recorder } from './recorder';
import { RecordingStore } from './recording-store';
import { writeTextForm } from './text-form';
import { faultAnswer } from '../cassette/faults';

/** What to record, and how. */
export interface RecordOptions {
  /** Cassette name: the text form goes to `cassettesDir/NAME.cassette.json`. */
  cassette: string;
  /** Where text forms go. Default `cassettes`. */
  cassettesDir?: string;
  /** What to do with an existing cassette (./modes.ts). Default `once`. */
  mode?: RecordMode;
  /** Send every request to this base URL instead of Twilio's hosts (a local stand-in). */
  upstream?: string;
  /**
   * Public URL of a tunnel to this mirror: enables callback capture. `self` means the mirror's
   * own address (when the upstream is a local stand-in that can reach it directly).
   */
  publicUrl?: string;
  /** Upstream silence that counts as a timeout. Default 30 000 ms (the SDK's own timeout). */
  upstreamTimeoutMs?: number;
  /** The account's auth token, to check callbacks when the app uses an API key (never stored). */
  authToken?: string;
  /** Discard an unfinished recording of the same name instead of refusing to start. */
  overwrite?: boolean;
}

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

/** A recording in progress. */
export interface Recording {
  readonly stage: PipelineStage;
  /** What this run does (the record mode applied to whether the file existed). */
  readonly plan: RecordPlan;
  /** The existing cassette requests are answered from (`once` on an existing file, `new`, `none`). */
  readonly base?: Cassette;
  /** Where the text form is written. */
  readonly file: string;
  /** The recorder (its counts and `progress` events), once open. */
  recorder(): Recorder;
  /** Starts taking requests; `url` is the mirror's own address when it listens (null in process). */
  open(url: string | null): void;
  /** Writes the text form (unless the plan keeps the file); later calls return the same result. */
  stop(): Promise<RecordResult>;
}

/** What a recording works with. */
export interface RecordingDeps {
  store: Store;
  time: TimeSource;
  surface: Pick<ApiSurface, 'isApiHost' | 'sendJson' | 'sendEmpty' | 'notFound'>;
  newId(): string;
  mint(prefix: string): string;
  /** Where the working store lives (named in the message about an unfinished recording). */
  dataDir: string;
}

/** Prepares a recording (nothing is taken in until `open`); throws when the plan cannot run. */
export function createRecording(opts: RecordOptions, deps: RecordingDeps): Recording {
  const cassettesDir = opts.cassettesDir ?? 'cassettes';
  const file = cassettePath(cassettesDir, opts.cassette);
  const plan = planRecording(opts.mode ?? 'once', existsSync(file));
  if (!plan) {
    throw new MirraError('MIRRA_ERR_UNKNOWN_CASSETTE', `${file} does not exist, and --record none answers only from a cassette`, `record it first: \`mirra record --cassette ${opts.cassette}\` (--record once)`);
  }
  // Read the cassette to answer from before anything else, so a bad one fails fast.
  const base = plan.serve ? loadCassette(cassettesDir, opts.cassette) : undefined;
  const recordings = new RecordingStore(deps.store);
  const earlier = recordings.meta(opts.cassette);
  // A run that records nothing leaves the working store (and an unfinished recording in it) alone.
  if (plan.forward && earlier?.state === 'recording' && !opts.overwrite) {
    throw new MirraError(
      'MIRRA_ERR_UNFINISHED_RECORDING',
      `an unfinished recording of ${opts.cassette} (${recordings.interactions(opts.cassette).length} interactions) is in ${deps.dataDir}`,
      `write it with \`mirra cassettes recover ${opts.cassette}\`, or pass --overwrite to discard it`,
    );
  }
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  const timeoutMs = opts.upstreamTimeoutMs ?? 30_000;
  const playback = base ? new Playback(base, deps.mint) : undefined;
  let recorder: Recorder | undefined;
  let stopped: Promise<RecordResult> | undefined;

  const open = (url: string | null): void => {
    if (recorder) return;
    const publicUrl = opts.publicUrl === 'self' ? (url ?? undefined) : opts.publicUrl?.replace(/\/+$/, '');
    const localOrigins = url ? [url, `http://localhost:${new URL(url).port}`] : [];
    localOrigins.push('http://api.twilio.com', 'http://verify.twilio.com', 'http://messaging.twilio.com');
    if (opts.upstream) localOrigins.push(new URL(opts.upstream).origin);
    const meta = { name: opts.cassette, startedAt: deps.time.now(), state: 'recording' as const, localOrigins, runId: deps.newId() };
    if (opts.upstream) Object.assign(meta, { upstream: opts.upstream });
    if (publicUrl) Object.assign(meta, { publicUrl });
    if (base && plan.write === 'append') Object.assign(meta, { extendsSeq: Math.max(0, ...base.interactions.map((i) => i.seq)) });
    if (plan.forward) recordings.begin(meta);
    recorder = new Recorder(recordings, meta, { time: deps.time, publicUrl, authToken: opts.authToken, mode: plan.mode, playback, forward: plan.forward });
  };

  const handle = async (request: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
    if (!recorder) throw new MirraError('MIRRA_ERR_INTERNAL', 'the recording is not open yet');
    const targetHost = request.raw.mirraTargetHost;
    // As a plain HTTP proxy, mirra forwards the API's hosts only: it is not an open proxy.
    if (targetHost !== undefined && !deps.surface.isApiHost(hostnameOf(targetHost))) {
      throw new MirraError('MIRRA_ERR_NOT_FOUND', `only the API's hosts are forwarded, not ${targetHost}`, 'send only Twilio API requests through mirra (NO_PROXY lists the hosts it must not see)');
    }
    const host = request.headers.host;
    const { path, query } = splitUrl(request.url);
    const target = upstreamFor(host, path, opts.upstream);
    if (!target) throw deps.surface.notFound(path);
    const url = query ? `${path}?${query}` : path;
    // A client using the mirror as its base URL follows absolute URLs: served answers point them here.
    const origin = host && !deps.surface.isApiHost(hostnameOf(host)) ? `http://${host}` : undefined;
    const body = request.rawBody ?? Buffer.alloc(0);
    const routing = recorder.route({ method: request.method, host, url, contentType: request.headers['content-type'], body, form: formPairs(request), authorization: request.headers.authorization }, origin);
    if (routing.kind === 'refuse') throw routing.error;
    if (routing.kind === 'serve') {
      sendServed(deps.surface, reply, routing.served);
      return true;
    }
    const { pending } = routing;
    const headers = { ...request.headers, ...(pending.forwardContentType ? { 'content-type': pending.forwardContentType } : {}) };
    const result = await forwardRequest({ method: request.method, url, headers, body: pending.forwardBody }, target, { timeoutMs, agents });
    // What the upstream answered is stored before the app hears it: an answered request is never lost.
    recorder.complete(pending, result);
    markPassThrough(reply);
    if (!result.response) {
      const fault = faultAnswer(result.fault ?? 'reset');
      reply.code(fault.status);
      for (const [k, v] of Object.entries(fault.headers)) reply.header(k, v);
      reply.send(JSON.stringify(fault.body));
      return true;
    }
    const { status, rawHeaders, raw } = result.response;
    reply.code(status);
    for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i].toLowerCase() !== 'content-length') reply.header(rawHeaders[i], rawHeaders[i + 1]);
    reply.send(raw);
    return true;
  };

  const stage: PipelineStage = {
    name: 'record',
    beforeAuth: true,
    handle,
    health: () => ({ mode: 'record', record: plan.mode, cassette: opts.cassette, ...(recorder?.counts ?? {}) }),
    control(app) {
      // Twilio reaches the capture addresses through the tunnel and signs its requests; the
      // recorder checks the signature, so these need no control-plane token.
      app.post(`${HOOK_PREFIX}*`, { config: { public: true } }, async (request, reply) => {
        const ref = parseHookPath(request.url.split('?')[0]);
        if (!ref || !recorder?.meta.publicUrl) throw new MirraError('MIRRA_ERR_NOT_FOUND', request.url.split('?')[0]);
        const header = (name: string) => (typeof request.headers[name] === 'string' ? (request.headers[name] as string) : undefined);
        const answer = await recorder.captureCallback({
          ref,
          body: (request.rawBody ?? Buffer.alloc(0)).toString('utf8'),
          signature: header('x-twilio-signature'),
          userAgent: header('user-agent'),
          idempotencyToken: header('i-twilio-idempotency-token'),
        });
        return reply.code(answer.status).header('content-type', answer.contentType).send(answer.body);
      });
    },
  };

  const stop = async (): Promise<RecordResult> => {
    agents.http.destroy();
    agents.https.destroy();
    const unused = playback?.unused() ?? [];
    const written =
      plan.forward && recorder
        ? writeTextForm(recordings, opts.cassette, cassettesDir, deps.time.now())
        : { file, cassette: base ?? { version: 1 as const, name: opts.cassette, interactions: [] }, written: false, recorded: [] };
    return { ...written, unused };
  };

  return {
    stage,
    plan,
    base,
    file,
    recorder: () => {
      if (!recorder) throw new MirraError('MIRRA_ERR_INTERNAL', 'the recording is not open yet');
      return recorder;
    },
    open,
    stop: () => (stopped ??= stop()),
  };
}

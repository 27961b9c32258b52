/**
 * The record pipeline, free of transports: a request comes in as a value, is normalised, its
 * credentials learnt (in memory only) and scrubbed. With a cassette to answer from (record modes
 * `once` on an existing file, `new`, `none`: modes.ts), a request the cassette holds is answered
 * from it (playback.ts) and never leaves; one it lacks is forwarded (`new`) or refused with the
 * fix. A forwarded request has its `StatusCallback` pointed at the capture address; the finished
 * exchange is redacted and appended to the store. Captured callbacks are checked against Twilio's
 * signature, appended, and forwarded to the app's URL re-signed for it.
 */
import { EventEmitter } from 'node:events';
import { monotonicMs, type TimeSource } from '../clock';
import { attempt } from '../callbacks/send';
import { isFormContentType, normalizeRequest, parsePairs, sortPairs, type HttpRequestLike } from '../cassette/normalize';
import type { RawInteraction, RecordingMeta } from '../cassette/raw';
import { Redactor } from '../cassette/redact';
import type { ServedEntry } from '../cassette/serve';
import type { Pair, RecordedRequest, RecordedResponse } from '../cassette/types';
import { ReplayMissError } from '../replay/replayer';
import { computeSignature, isValidSignature, type FormParams } from '../signing/signature';
import { CALLBACK_PARAMS, hookPath, replaceFormValue, type HookRef } from './callbacks';
import type { ForwardResult } from './forward';
import { missFix, type RecordMode } from './modes';
import type { Playback } from './playback';
import type { RecordingStore } from './recording-store';

/** Live counts of a recording. */
export interface RecorderCounts {
  /** Interactions recorded (forwarded to the upstream) in this run. */
  interactions: number;
  /** Requests answered from the cassette. */
  served: number;
  /** Requests refused: not in a cassette that is only served (`once` on an existing file, `none`). */
  misses: number;
  callbacks: number;
  faults: number;
  /** Callbacks refused because Twilio's signature did not check out. */
  rejected: number;
}

/** A request on its way upstream. */
export interface PendingInteraction {
  seq: number;
  at: number;
  startedMono: number;
  host: string;
  accountSid?: string;
  request: RecordedRequest;
  /** The body to send upstream (with capture addresses in place of callback URLs). */
  forwardBody: Buffer;
  /** Its Content-Type, when it is not the app's (a multipart body rewritten as a urlencoded one). */
  forwardContentType?: string;
}

/** What the recorder does with a request: answer it from the cassette, refuse it, or forward it. */
export type Routing =
  | { kind: 'serve'; served: ServedEntry }
  | { kind: 'refuse'; error: ReplayMissError }
  | { kind: 'forward'; pending: PendingInteraction };

/** A request as the transport hands it over. */
export type IncomingRequest = HttpRequestLike & { authorization?: string };

/** The answer for Twilio's callback request. */
export interface CallbackAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** A callback as it reached the capture address. */
export interface IncomingCallback {
  ref: HookRef;
  /** The form body Twilio sent. */
  body: string;
  signature: string | undefined;
  userAgent: string | undefined;
  idempotencyToken: string | undefined;
}

/** Settings of a {@link Recorder}. */
export interface RecorderSettings {
  time: TimeSource;
  /** `--public-url`: capture callbacks under it. */
  publicUrl?: string;
  /** The account's auth token, for callbacks when the app authenticates with an API key. */
  authToken?: string;
  /** The record mode (named in the fix of a refused request). Default `all`. */
  mode?: RecordMode;
  /** The cassette to answer from, when the mode serves one. */
  playback?: Playback;
  /** Forward what the cassette does not answer (false: refuse it). Default true. */
  forward?: boolean;
}

const ACCOUNT_IN_PATH = /\/Accounts\/(AC[0-9a-f]{32})(?=[/.]|$)/;

function toFormParams(pairs: Pair[]): FormParams {
  const out: FormParams = {};
  for (const [k, v] of pairs) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/**
 * Records one cassette. Emits `progress` with {@link RecorderCounts} after every change, and
 * `note` with a message the user should see.
 */
export class Recorder extends EventEmitter {
  readonly counts: RecorderCounts = { interactions: 0, served: 0, misses: 0, callbacks: 0, faults: 0, rejected: 0 };
  private readonly redactor = new Redactor();
  /** AccountSid → auth token, learnt from Basic auth; never stored. */
  private readonly tokens = new Map<string, string>();
  /** `seq/param` → the app's own URL and account. */
  private readonly hooks = new Map<string, { url: string; accountSid?: string }>();
  private seq = 0;
  private callbackN = 0;
  private warnedNoToken = false;
  /** The account of the latest request that named one (for answers to a request that names none). */
  private lastAccount: string | undefined;
  /** How many alias bindings the store's meta holds. */
  private persistedAliases = 0;

  constructor(
    private readonly store: RecordingStore,
    readonly meta: RecordingMeta,
    private readonly settings: RecorderSettings,
  ) {
    super();
    this.redactor.addSecret(settings.authToken);
  }

  /** True when requests the cassette lacks go upstream. */
  get forwards(): boolean {
    return this.settings.forward !== false;
  }

  /**
   * Decides what happens to a request: answered from the cassette, refused (a cassette that is
   * only served), or forwarded (then the caller sends `pending.forwardBody` upstream and calls
   * {@link complete}). `origin` is the recorder's own, when the app uses it as its base URL.
   */
  route(req: IncomingRequest, origin?: string): Routing {
    const { normal, accountSid } = this.take(req);
    const playback = this.settings.playback;
    if (!playback) return { kind: 'forward', pending: this.pending(req, normal, accountSid) };
    const identity: RecordedRequest = {
      ...normal,
      path: this.redactor.string(normal.path),
      query: sortPairs(this.redactor.pairs(normal.query)),
      form: sortPairs(this.redactor.pairs(normal.form)),
    };
    const found = playback.lookup({ identity, accountSid: accountSid ?? this.lastAccount, origin }, this.settings.time.now(), !this.forwards);
    if (found.served) {
      this.counts.served++;
      this.persistAliases();
      this.emit('progress', { ...this.counts });
      return { kind: 'serve', served: found.served };
    }
    if (this.forwards) return { kind: 'forward', pending: this.pending(req, normal, accountSid) };
    this.counts.misses++;
    this.emit('progress', { ...this.counts });
    return { kind: 'refuse', error: new ReplayMissError(found.miss, missFix(this.meta.name, this.settings.mode ?? 'all')) };
  }

  /** Takes a request in to forward it: numbers it, learns its credentials, prepares the body to forward. */
  begin(req: IncomingRequest): PendingInteraction {
    const { normal, accountSid } = this.take(req);
    return this.pending(req, normal, accountSid);
  }

  /** Normalises a request and learns its credentials (in memory only). */
  private take(req: IncomingRequest): { normal: RecordedRequest; accountSid?: string } {
    const creds = this.redactor.addBasicAuth(req.authorization);
    const normal = normalizeRequest(req);
    const byAuth = creds?.username.startsWith('AC') ? creds.username : undefined;
    // With an API key (SK…) the account is the one in the path, and its token is unknown here.
    if (byAuth && creds) this.tokens.set(byAuth, creds.password);
    const accountSid = byAuth ?? ACCOUNT_IN_PATH.exec(normal.path)?.[1];
    if (accountSid) this.lastAccount = accountSid;
    return { normal, accountSid };
  }

  /** Numbers a request to forward and points its callback URLs at the capture address. */
  private pending(req: IncomingRequest, normal: RecordedRequest, accountSid: string | undefined): PendingInteraction {
    const seq = ++this.seq;
    let body = req.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body);
    let forwardContentType: string | undefined;
    if (this.settings.publicUrl && CALLBACK_PARAMS.some((p) => normal.form.some(([k]) => k === p))) {
      // A multipart body (twilio-node 3.x) is rewritten as the urlencoded form Twilio reads alike.
      const urlencoded = isFormContentType(req.contentType);
      if (!urlencoded) forwardContentType = 'application/x-www-form-urlencoded';
      let text = urlencoded ? body.toString('utf8') : new URLSearchParams(req.form ?? []).toString();
      for (const param of CALLBACK_PARAMS) {
        const original = normal.form.find(([k]) => k === param)?.[1];
        if (!original) continue;
        const raw = parsePairs(text).find(([k]) => k === param)?.[1] ?? original;
        const capture = this.settings.publicUrl.replace(/\/+$/, '') + hookPath({ runId: this.meta.runId, seq, param });
        text = replaceFormValue(text, param, capture) ?? text;
        this.hooks.set(`${seq}/${param}`, { url: raw, accountSid });
      }
      body = Buffer.from(text);
    }
    const request: RecordedRequest = { ...normal, query: this.redactor.pairs(normal.query), form: this.redactor.pairs(normal.form), path: this.redactor.string(normal.path) };
    return { seq, at: this.settings.time.now(), startedMono: monotonicMs(), host: req.host ?? '', accountSid, request, forwardBody: body, forwardContentType };
  }

  /** Keeps the aliases served so far in the recording's meta, so a recovered `--record new` run appends consistently. */
  private persistAliases(): void {
    const bindings = this.settings.playback?.bindings() ?? [];
    if (!this.forwards || bindings.length === this.persistedAliases) return;
    this.persistedAliases = bindings.length;
    this.store.updateMeta({ ...this.meta, aliases: bindings });
  }

  /** Stores a finished exchange (before its last byte reaches the app). */
  complete(p: PendingInteraction, result: ForwardResult): void {
    const raw: RawInteraction = {
      seq: p.seq,
      at: p.at,
      durationMs: Math.round(monotonicMs() - p.startedMono),
      host: p.host,
      request: p.request,
    };
    if (p.accountSid) raw.accountSid = p.accountSid;
    if (result.response) {
      raw.response = this.recordedResponse(result.response);
      this.settings.playback?.noteUpstream(result.response.body.toString('utf8'));
    } else {
      raw.fault = result.fault ?? 'reset';
      this.counts.faults++;
    }
    this.store.putInteraction(this.meta.name, raw);
    this.counts.interactions++;
    this.emit('progress', { ...this.counts });
  }

  private recordedResponse(res: NonNullable<ForwardResult['response']>): RecordedResponse {
    const headers = this.redactor.headers(res.headers as Record<string, string | string[] | undefined>);
    const text = res.body.toString('utf8');
    let body: unknown = this.redactor.string(text);
    if (/\bjson\b/i.test(headers['content-type'] ?? '') && text.trim() !== '') {
      try {
        body = this.redactor.value(JSON.parse(text));
      } catch {
        /* not JSON after all: kept as (scrubbed) text */
      }
    }
    return { status: res.status, headers, body };
  }

  /** Handles a callback Twilio sent to a capture address; resolves with the answer for Twilio. */
  async captureCallback(cb: IncomingCallback): Promise<CallbackAnswer> {
    const hook = this.hooks.get(`${cb.ref.seq}/${cb.ref.param}`);
    if (cb.ref.runId !== this.meta.runId || !hook) return { status: 404, contentType: 'text/plain', body: 'mirra record: unknown callback address (from an earlier recording?)\n' };
    const pairs = parsePairs(cb.body);
    const params = toFormParams(pairs);
    const token = (hook.accountSid && this.tokens.get(hook.accountSid)) || this.settings.authToken;
    const captureUrl = this.settings.publicUrl!.replace(/\/+$/, '') + hookPath(cb.ref);
    if (!token && !this.warnedNoToken) {
      this.warnedNoToken = true;
      this.emit('note', 'mirra record: a callback arrived but no auth token is known (the app uses an API key): it is stored unchecked and forwarded unsigned; pass --auth-token');
    }
    if (token && !isValidSignature(token, captureUrl, params, cb.signature ?? '')) {
      this.counts.rejected++;
      this.emit('progress', { ...this.counts });
      return { status: 403, contentType: 'text/plain', body: 'mirra record: X-Twilio-Signature does not match\n' };
    }
    const n = ++this.callbackN;
    this.store.putCallback(this.meta.name, { seq: cb.ref.seq, n, at: this.settings.time.now(), urlParam: cb.ref.param, params: this.redactor.pairs(pairs), verified: !!token });
    this.counts.callbacks++;
    this.emit('progress', { ...this.counts });

    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': cb.userAgent ?? 'TwilioProxy/1.1' };
    if (cb.idempotencyToken) headers['i-twilio-idempotency-token'] = cb.idempotencyToken;
    if (token) headers['x-twilio-signature'] = computeSignature(token, hook.url, params);
    const result = await attempt({ url: hook.url, method: 'POST', headers, body: cb.body, connectTimeoutMs: 5000, readTimeoutMs: 15000 }, monotonicMs);
    if (result.statusCode === undefined) return { status: 502, contentType: 'text/plain', body: `mirra record: the app's callback URL did not answer (${result.error ?? 'no response'})\n` };
    return { status: result.statusCode, contentType: result.contentType ?? 'text/plain', body: result.body ?? '' };
  }
}

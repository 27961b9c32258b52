/**
 * The record pipeline, free of transports: a request comes in as a value, is normalised, its
 * credentials learnt (in memory only) and scrubbed, its `StatusCallback` pointed at the capture
 * address; the finished exchange is redacted and appended to the store. Captured callbacks are
 * checked against Twilio's signature, appended, and forwarded to the app's URL re-signed for it.
 */
import { EventEmitter } from 'node:events';
import { monotonicMs, type TimeSource } from '../clock';
import { attempt } from '../callbacks/send';
import { normalizeRequest, parsePairs, type HttpRequestLike } from '../cassette/normalize';
import type { RawInteraction, RecordingMeta } from '../cassette/raw';
import { Redactor } from '../cassette/redact';
import type { Pair, RecordedRequest, RecordedResponse } from '../cassette/types';
import { computeSignature, isValidSignature, type FormParams } from '../signing/signature';
import { CALLBACK_PARAMS, hookPath, replaceFormValue, type HookRef } from './callbacks';
import type { ForwardResult } from './forward';
import type { RecordingStore } from './recording-store';

/** Live counts of a recording. */
export interface RecorderCounts {
  interactions: number;
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
}

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
  readonly counts: RecorderCounts = { interactions: 0, callbacks: 0, faults: 0, rejected: 0 };
  private readonly redactor = new Redactor();
  /** AccountSid → auth token, learnt from Basic auth; never stored. */
  private readonly tokens = new Map<string, string>();
  /** `seq/param` → the app's own URL and account. */
  private readonly hooks = new Map<string, { url: string; accountSid?: string }>();
  private seq = 0;
  private callbackN = 0;
  private warnedNoToken = false;

  constructor(
    private readonly store: RecordingStore,
    readonly meta: RecordingMeta,
    private readonly settings: RecorderSettings,
  ) {
    super();
    this.redactor.addSecret(settings.authToken);
  }

  /** Takes a request in: numbers it, learns its credentials, prepares the body to forward. */
  begin(req: HttpRequestLike & { authorization?: string }): PendingInteraction {
    const seq = ++this.seq;
    const creds = this.redactor.addBasicAuth(req.authorization);
    const normal = normalizeRequest(req);
    const byAuth = creds?.username.startsWith('AC') ? creds.username : undefined;
    // With an API key (SK…) the account is the one in the path, and its token is unknown here.
    if (byAuth && creds) this.tokens.set(byAuth, creds.password);
    const accountSid = byAuth ?? ACCOUNT_IN_PATH.exec(normal.path)?.[1];
    let body = req.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body);
    if (this.settings.publicUrl && normal.form.length > 0) {
      let text = body.toString('utf8');
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
    return { seq, at: this.settings.time.now(), startedMono: monotonicMs(), host: req.host ?? '', accountSid, request, forwardBody: body };
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
    if (result.response) raw.response = this.recordedResponse(result.response);
    else {
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

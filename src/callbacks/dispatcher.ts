/**
 * The durable outbox of webhook deliveries (status callbacks, inbound-message webhooks).
 * Deliveries are persisted before anything is sent, sent without blocking the API, kept in order
 * per `orderKey` (one message's callbacks never overtake each other), retried per the URL's
 * connection overrides on the session clock, signed with the session's auth token, and every
 * attempt is written to the session's delivery log.
 */
import { monotonicMs } from '../clock';
import { keys } from '../store/keys';
import type { Store } from '../store/store';
import type { Session } from '../session/session';
import type { Scheduler } from '../session/scheduler';
import { newId } from '../twilio/sid';
import { encodeForm } from '../twilio/form';
import { computeSignature, type FormParams } from '../signing/signature';
import { parseWebhookUrl } from './overrides';
import { classifyAttempt } from './failure-codes';
import { cookieHeader, keepCookie, type KeptCookie } from './cookie-jar';
import { attempt, type AttemptResult } from './send';

/** A webhook to deliver. */
export interface DeliveryRequest {
  kind: string;
  /** The configured URL (connection-override fragment allowed). */
  url: string;
  method?: 'POST' | 'GET';
  params: FormParams;
  /** Deliveries with the same key are sent one after another, in enqueue order. */
  orderKey: string;
  /** Tried once after the primary URL fails for good (Twilio's `SmsFallbackUrl`). */
  fallbackUrl?: string | null;
  fallbackMethod?: 'POST' | 'GET';
  /** Name of a registered handler for the final response (e.g. executing TwiML). */
  onResponse?: string;
  /** SIDs this delivery concerns, for filtering the log. */
  refs?: Record<string, string>;
  /**
   * The cookie jar the delivery shares (an SMS conversation's number pair, ./cookie-jar.ts): its
   * cookie goes out as `Cookie`, and a `Set-Cookie` in the answer replaces it.
   */
  cookieJar?: string;
}

/** One attempt, as logged. */
export interface LoggedAttempt {
  at: number;
  url: string;
  statusCode?: number;
  error?: string;
  /** Twilio's debugger code of a failed attempt (11200, 11205, 11210…; failure-codes.ts), absent on success. */
  errorCode?: number;
  /** The catalogue title of `errorCode` ("HTTP bad host name"). */
  errorMessage?: string;
  durationMs: number;
}

/** A problem found while handling a delivery's final response, by Twilio debugger code (12100, 11200, ...). */
export interface DeliveryError {
  code: number;
  message: string;
  moreInfo: string;
}

/** A delivery as stored in the outbox and the log. */
export interface Delivery extends DeliveryRequest {
  id: string;
  seq: number;
  method: 'POST' | 'GET';
  idempotencyToken: string;
  enqueuedAt: number;
  firstAttemptAt: number | null;
  usingFallback: boolean;
  state: 'pending' | 'delivered' | 'failed';
  signature: string | null;
  /** The `Cookie` header of the latest attempt, when the delivery shares a cookie jar. */
  cookie?: string;
  attempts: LoggedAttempt[];
  response?: { statusCode?: number; body?: string; contentType?: string };
  /** Problems found while handling the response (e.g. 12100 for malformed TwiML); absent when none. */
  errors?: DeliveryError[];
}

/** Handles a delivery's final response (in its session). */
export type ResponseHandler = (session: Session, delivery: Delivery, result: AttemptResult) => void | Promise<void>;

/** Settings of the dispatcher. */
export interface DispatcherOptions {
  retryDelayMs: (session: Session) => number;
  onError: (err: unknown, session: Session) => void;
}

const RETRY_TASK = 'callbacks.retry';

/** The dispatcher of every session's outbox. */
export class Dispatcher {
  private readonly lanes = new Map<string, number[]>(); // `${session}|${orderKey}` -> outbox seqs
  private readonly busy = new Set<string>();
  private readonly inFlight = new Map<string, number>();
  private readonly idleWaiters = new Map<string, (() => void)[]>();
  private seq = 0;

  constructor(
    private readonly store: Store,
    private readonly scheduler: Scheduler,
    private readonly responseHandlers: Map<string, ResponseHandler>,
    private readonly options: DispatcherOptions,
  ) {}

  /** The scheduler task kind and handler that retries a lane; registered by the app. */
  static readonly retryTask = RETRY_TASK;
  readonly retryHandler = (session: Session, ref: { lane: string }): void => this.pump(session, ref.lane);

  /** Restores a session's pending deliveries (start-up, reset) and resumes sending. */
  attach(session: Session): void {
    const lanes = new Set<string>();
    for (const { value } of this.store.range<Delivery>({ prefix: keys.outboxAll(session.id) })) {
      this.seq = Math.max(this.seq, value.seq);
      const lane = this.laneKey(session, value.orderKey);
      if (!this.lanes.has(lane)) this.lanes.set(lane, []);
      this.lanes.get(lane)!.push(value.seq);
      lanes.add(lane);
    }
    for (const lane of lanes) this.pump(session, lane);
  }

  /** Forgets a session's lanes (its data is removed by the caller). */
  detach(sessionId: string): void {
    for (const lane of [...this.lanes.keys()]) if (lane.startsWith(sessionId + '|')) this.lanes.delete(lane);
  }

  /** Queues a delivery; it is persisted before this returns and sent in the background. */
  enqueue(session: Session, req: DeliveryRequest): Delivery {
    const seq = ++this.seq;
    const delivery: Delivery = {
      ...req,
      id: newId(),
      seq,
      method: req.method ?? 'POST',
      idempotencyToken: `${session.accountSid}-${newId(12)}`,
      enqueuedAt: session.clock.now(),
      firstAttemptAt: null,
      usingFallback: false,
      state: 'pending',
      signature: null,
      attempts: [],
    };
    this.store.transaction(() => {
      this.store.put(keys.outbox(session.id, seq), delivery);
      this.store.put(keys.log(session.id, seq), delivery);
    });
    const lane = this.laneKey(session, req.orderKey);
    if (!this.lanes.has(lane)) this.lanes.set(lane, []);
    this.lanes.get(lane)!.push(seq);
    setImmediate(() => this.pump(session, lane));
    return delivery;
  }

  /** The delivery log of a session, oldest first. */
  log(session: Session, filter?: (d: Delivery) => boolean): Delivery[] {
    const out: Delivery[] = [];
    for (const { value } of this.store.range<Delivery>({ prefix: keys.logAll(session.id) })) {
      if (!filter || filter(value)) out.push(value);
    }
    return out;
  }

  /**
   * Adds a problem found while handling `delivery`'s final response to its log entry (a response
   * handler's findings, such as Twilio's 12100 for malformed TwiML), so GET /_mirra/callbacks shows it.
   */
  recordError(session: Session, delivery: Delivery, error: { code: number; message: string }): void {
    const logged = this.store.get<Delivery>(keys.log(session.id, delivery.seq)) ?? delivery;
    const entry: DeliveryError = { ...error, moreInfo: `https://www.twilio.com/docs/errors/${error.code}` };
    this.store.put(keys.log(session.id, delivery.seq), { ...logged, errors: [...(logged.errors ?? []), entry] });
  }

  /** Resolves when no attempt of the session is in flight (scheduled retries do not count). */
  whenIdle(session: Session): Promise<void> {
    const pendingNow = [...this.lanes.entries()].some(
      ([lane, ids]) => lane.startsWith(session.id + '|') && ids.length > 0 && !this.isWaitingForRetry(session, lane),
    );
    if (!pendingNow && !this.inFlight.get(session.id)) return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.idleWaiters.get(session.id) ?? [];
      list.push(resolve);
      this.idleWaiters.set(session.id, list);
    });
  }

  private laneKey(session: Session, orderKey: string): string {
    return `${session.id}|${orderKey}`;
  }

  private isWaitingForRetry(session: Session, lane: string): boolean {
    return !this.busy.has(lane) && this.scheduler.pending(session, RETRY_TASK).some((t) => (t.ref as { lane: string }).lane === lane);
  }


  /** Sends the head of a lane if nothing of that lane is in flight. */
  private pump(session: Session, lane: string): void {
    if (this.busy.has(lane)) return;
    const ids = this.lanes.get(lane);
    if (!ids || ids.length === 0) {
      this.lanes.delete(lane);
      this.notifyIdle(session);
      return;
    }
    if (this.isWaitingForRetry(session, lane)) {
      this.notifyIdle(session);
      return;
    }
    const delivery = this.store.get<Delivery>(keys.outbox(session.id, ids[0]));
    if (!delivery) {
      ids.shift();
      this.pump(session, lane);
      return;
    }
    this.busy.add(lane);
    this.inFlight.set(session.id, (this.inFlight.get(session.id) ?? 0) + 1);
    this.send(session, delivery)
      .catch((err) => this.options.onError(err, session))
      .finally(() => {
        this.busy.delete(lane);
        this.inFlight.set(session.id, (this.inFlight.get(session.id) ?? 1) - 1);
        this.pump(session, lane);
      });
  }

  private async send(session: Session, delivery: Delivery): Promise<void> {
    const configured = delivery.usingFallback && delivery.fallbackUrl ? delivery.fallbackUrl : delivery.url;
    const method = delivery.usingFallback ? (delivery.fallbackMethod ?? 'POST') : delivery.method;
    const { url, overrides } = parseWebhookUrl(configured);
    const now = session.clock.now();
    delivery.firstAttemptAt ??= now;
    const result = await this.attemptOnce(session, delivery, url, method, overrides);
    if (delivery.cookieJar && result.setCookies?.length) {
      const jar = jarKey(delivery.cookieJar);
      session.setMeta(jar, keepCookie(session.getMeta<KeptCookie>(jar), result.setCookies, url, session.clock.now()) ?? null);
    }
    const failure = classifyAttempt(result);
    delivery.attempts.push({ at: now, url, statusCode: result.statusCode, error: result.error, errorCode: failure?.code, errorMessage: failure?.message, durationMs: result.durationMs });

    const retriesUsed = delivery.attempts.filter((a) => a.url === url).length - 1;
    const withinTotal = session.clock.now() - delivery.firstAttemptAt < overrides.totalTimeoutMs;
    if (result.failure && overrides.retryPolicy.has(result.failure) && retriesUsed < overrides.retryCount && withinTotal) {
      this.persist(session, delivery);
      const lane = this.laneKey(session, delivery.orderKey);
      this.scheduler.schedule(session, session.clock.now() + this.options.retryDelayMs(session), RETRY_TASK, { lane });
      return;
    }
    if (result.failure && delivery.fallbackUrl && !delivery.usingFallback) {
      delivery.usingFallback = true;
      delivery.firstAttemptAt = null;
      this.persist(session, delivery);
      return; // the lane's pump sends the fallback next
    }
    delivery.state = result.failure ? 'failed' : 'delivered';
    delivery.response = { statusCode: result.statusCode, body: result.body, contentType: result.contentType };
    this.finish(session, delivery);
    const handler = delivery.onResponse ? this.responseHandlers.get(delivery.onResponse) : undefined;
    if (handler) await handler(session, delivery, result);
  }

  private async attemptOnce(
    session: Session,
    delivery: Delivery,
    url: string,
    method: 'POST' | 'GET',
    overrides: ReturnType<typeof parseWebhookUrl>['overrides'],
  ): Promise<AttemptResult> {
    const token = session.authToken;
    if (!token) return { failure: '4xx', error: 'the session auth token is unknown since restart; authenticate once to restore it', durationMs: 0 };
    // GET webhooks carry their params in the query string, which is part of the signed URL.
    const target = method === 'GET' ? appendQuery(url, encodeForm(delivery.params)) : url;
    const signature = computeSignature(token, target, method === 'GET' ? {} : delivery.params);
    delivery.signature = signature;
    const body = method === 'POST' ? encodeForm(delivery.params) : undefined;
    const headers: Record<string, string> = {
      'User-Agent': 'TwilioProxy/1.1',
      Accept: '*/*',
      'X-Twilio-Signature': signature,
      'I-Twilio-Idempotency-Token': delivery.idempotencyToken,
      'X-Home-Region': 'us1',
    };
    const cookie = delivery.cookieJar ? cookieHeader(session.getMeta<KeptCookie>(jarKey(delivery.cookieJar)) ?? undefined, target, session.clock.now()) : undefined;
    if (cookie) headers.Cookie = cookie; // sent, not signed (§13)
    delivery.cookie = cookie;
    if (body !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    return attempt(
      { url: target, method, headers, body, connectTimeoutMs: overrides.connectTimeoutMs, readTimeoutMs: overrides.readTimeoutMs },
      monotonicMs,
    );
  }

  private persist(session: Session, delivery: Delivery): void {
    this.store.transaction(() => {
      this.store.put(keys.outbox(session.id, delivery.seq), delivery);
      this.store.put(keys.log(session.id, delivery.seq), delivery);
    });
  }

  private finish(session: Session, delivery: Delivery): void {
    this.store.transaction(() => {
      this.store.remove(keys.outbox(session.id, delivery.seq));
      this.store.put(keys.log(session.id, delivery.seq), delivery);
    });
    const lane = this.lanes.get(this.laneKey(session, delivery.orderKey));
    if (lane && lane[0] === delivery.seq) lane.shift();
  }

  private notifyIdle(session: Session): void {
    if (this.inFlight.get(session.id)) return;
    const waiters = this.idleWaiters.get(session.id);
    if (!waiters) return;
    const anyActive = [...this.lanes.entries()].some(
      ([lane, ids]) => lane.startsWith(session.id + '|') && ids.length > 0 && !this.isWaitingForRetry(session, lane),
    );
    if (anyActive) return;
    this.idleWaiters.delete(session.id);
    waiters.forEach((w) => w());
  }
}

/** The session meta key of a cookie jar. */
function jarKey(jar: string): string {
  return `cookie-jar:${jar}`;
}

function appendQuery(url: string, query: string): string {
  if (!query) return url;
  return url + (url.includes('?') ? '&' : '?') + query;
}

/**
 * Talking to a mirror's control plane (`/_mirra/*`) from the same process — through `app.inject`
 * in this thread, or a message to the worker thread that runs it: the same routes a test would
 * call over HTTP, with no socket. {@link SessionHandle} wraps the
 * calls a test makes most (reset, clock, simulate, the inbox, the delivery log) for one session.
 */
import type { Delivery } from '../callbacks/dispatcher';
import type { ControlAnswer } from '../core/transport';

export type { ControlAnswer } from '../core/transport';

/** A control-plane request that failed; `code` is mirra's `MIRRA_ERR_*` and the message names the fix. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'ControlError';
  }
}

/** A message a handset received (`GET /_mirra/messages`). */
export interface ReceivedMessage {
  sid: string;
  to: string;
  from: string | null;
  body: string;
  channel: string;
  media_urls: string[];
  received_at: string;
}

/** The virtual clock of a session (`GET|POST /_mirra/clock`). */
export interface ClockAnswer {
  now: string;
  nowMs: number;
  frozen: boolean;
  pendingTasks: number;
}

/** The body of a successful answer, or a {@link ControlError} carrying mirra's own message. */
export function expectOk<T>(answer: ControlAnswer<T>, what: string): T {
  if (answer.status < 400) return answer.body;
  const body = answer.body as { code?: string; message?: string } | null;
  throw new ControlError(answer.status, body?.code ?? 'MIRRA_ERR_INTERNAL', `mirra: ${what} failed: ${body?.message ?? `HTTP ${answer.status}`}`, answer.body);
}

/** One session of an in-process mirror, as a test uses it. */
export interface SessionHandle {
  readonly id: string;
  readonly accountSid: string;
  readonly authToken: string;
  /** The credentials an unchanged app reads (`twilio()` with no arguments uses them). */
  readonly env: { TWILIO_ACCOUNT_SID: string; TWILIO_AUTH_TOKEN: string };
  /** Any control-plane request, scoped to this session (`?session=` is added). */
  control(method: string, path: string, body?: unknown): Promise<ControlAnswer>;
  /** Back to the seed: data, clock and schedule start over (`POST /_mirra/reset`). */
  reset(): Promise<void>;
  /** Moves the session clock and waits for the deliveries it caused (`POST /_mirra/clock`). */
  advance(ms: number): Promise<ClockAnswer>;
  /** Fires a simulate event, e.g. `message.inbound` (`POST /_mirra/simulate`). */
  simulate(event: string, body?: Record<string, unknown>): Promise<any>;
  /** What handsets received, optionally one number's (`GET /_mirra/messages?to=`). */
  messages(to?: string): Promise<ReceivedMessage[]>;
  /** The delivery log: callbacks and webhooks with signatures, attempts and answers. */
  callbacks(filter?: { sid?: string; kind?: string }): Promise<Delivery[]>;
}

/** Sends a control-plane request to a mirror, wherever it runs (this thread or a worker). */
export type ControlTransport = (method: string, path: string, body?: unknown) => Promise<ControlAnswer>;

/** A {@link SessionHandle} for session `id`, reached through `send`. */
export function sessionHandle(send: ControlTransport, id: string, accountSid: string, authToken: string): SessionHandle {
  const scoped = (path: string, query: Record<string, string | undefined> = {}) => {
    const q = new URLSearchParams({ session: id });
    for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, v);
    return `${path}${path.includes('?') ? '&' : '?'}${q.toString()}`;
  };
  return {
    id,
    accountSid,
    authToken,
    env: { TWILIO_ACCOUNT_SID: accountSid, TWILIO_AUTH_TOKEN: authToken },
    control: (method, path, body) => send(method, scoped(path), body),
    async reset() {
      expectOk(await send('POST', scoped('/_mirra/reset')), `resetting session ${id}`);
    },
    async advance(ms) {
      return expectOk(await send('POST', scoped('/_mirra/clock'), { advanceMs: ms }), `advancing the clock of session ${id}`);
    },
    async simulate(event, body = {}) {
      return expectOk(await send('POST', scoped('/_mirra/simulate'), { ...body, event }), `simulate ${event}`);
    },
    async messages(to) {
      return expectOk(await send('GET', scoped('/_mirra/messages', { to })), 'reading the inbox').messages;
    },
    async callbacks(filter = {}) {
      return expectOk(await send('GET', scoped('/_mirra/callbacks', filter)), 'reading the delivery log').callbacks;
    },
  };
}

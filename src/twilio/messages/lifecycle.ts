/**
 * The outbound message state machine (twilio-api.md §5): accepted → queued → sending → sent →
 * delivered | undelivered, with failed possible before sent, and canceled for scheduled messages.
 * `advance` is pure: it returns the next record and the effects to carry out (callbacks, the
 * recipient's inbox); callers apply them, and the plan's next step is read off the record (`nextStepAt`).
 */
import { countSegments } from '../segments';
import { copyMessage, TERMINAL, type MessageRecord, type MessageStatus, type PlannedStep } from './types';

/** What can happen to a message. */
export type MessageEvent =
  | { type: 'step' }
  /** A test says what happened (`POST /_mirra/simulate`). */
  | { type: 'force'; status: 'sent' | 'delivered' | 'failed' | 'undelivered'; errorCode?: number }
  /** A recorded status callback says what happened (replay): the app hears it from the recording. */
  | { type: 'report'; status: MessageStatus; errorCode?: number }
  | { type: 'cancel' };

/**
 * Side effects of a transition: `callback` — the message entered `status` and the app is told
 * (when it gave a status callback URL); `entered` — it entered `status` and the app hears of it
 * otherwise (a replayed recording's own callback); `inbox` — the recipient's handset receives it.
 */
export type MessageEffect = { type: 'callback'; status: MessageStatus } | { type: 'entered'; status: MessageStatus } | { type: 'inbox' };

/** Allowed moves (the transition table). */
const NEXT: Record<string, readonly MessageStatus[]> = {
  scheduled: ['accepted', 'canceled'],
  accepted: ['queued', 'failed', 'canceled'],
  queued: ['sending', 'failed', 'canceled'],
  sending: ['sent', 'failed'],
  sent: ['delivered', 'undelivered'],
  // A read receipt (WhatsApp) follows delivery; only a recorded callback reports it.
  delivered: ['read'],
};

/** The canonical path towards each forced outcome. */
const CHAIN: MessageStatus[] = ['scheduled', 'accepted', 'queued', 'sending', 'sent'];

/** Default error codes of failure outcomes (30003 unreachable handset; 30008 unknown error). */
export const DEFAULT_ERROR: Partial<Record<MessageStatus, number>> = { undelivered: 30003, failed: 30008 };

const ERROR_MESSAGES: Record<number, string> = {
  30001: 'Queue overflow',
  30002: 'Account suspended',
  30003: 'Unreachable destination handset',
  30004: 'Message blocked',
  30005: 'Unknown destination handset',
  30006: 'Landline or unreachable carrier',
  30007: 'Message filtered',
  30008: 'Unknown error',
};

/** Thrown when an event cannot apply in the message's current status. */
export class InvalidTransition extends Error {
  constructor(readonly from: MessageStatus, readonly to: MessageStatus) {
    super(`a message cannot go from ${from} to ${to}`);
  }
}

/** True when `to` may follow `from`. */
export function canMove(from: MessageStatus, to: MessageStatus): boolean {
  return NEXT[from]?.includes(to) ?? false;
}

/** Price of a sent message: a negative 5-decimal string scaling with segments (real traffic §7). */
export function priceFor(segments: number): string {
  return (-(0.0079 * Math.max(1, segments))).toFixed(5);
}

/** A copy of `msg` that entered `status` at `now` (the caller may change the copy further). */
function enter(msg: MessageRecord, status: MessageStatus, now: number, errorCode?: number): MessageRecord {
  const next = copyMessage(msg);
  next.status = status;
  next.dateUpdated = now;
  if (status === 'queued' && next.from === null && next.senderOnQueue) {
    next.from = next.senderOnQueue;
    next.numSegments = countSegments(next.body) || (next.media.length > 0 ? 1 : 0);
  }
  if (status === 'sent') {
    next.dateSent = now;
    next.price = priceFor(msg.numSegments);
    next.priceUnit = 'USD';
  }
  if (status === 'failed' || status === 'undelivered') {
    next.errorCode = errorCode ?? DEFAULT_ERROR[status] ?? null;
    next.errorMessage = next.errorCode !== null ? (ERROR_MESSAGES[next.errorCode] ?? null) : null;
  }
  return next;
}

/** The statuses to pass through from `from` to reach `target`, target included. */
function pathTo(from: MessageStatus, target: MessageStatus): MessageStatus[] {
  if (canMove(from, target)) return [target];
  const i = CHAIN.indexOf(from);
  if (i === -1) throw new InvalidTransition(from, target);
  const path: MessageStatus[] = [];
  let cur = from;
  for (const s of CHAIN.slice(i + 1)) {
    if (canMove(cur, target)) break;
    path.push(s);
    cur = s;
  }
  if (!canMove(cur, target)) throw new InvalidTransition(from, target);
  return [...path, target];
}

function effectsOf(status: MessageStatus, terminalNow: boolean, reported = false): MessageEffect[] {
  const out: MessageEffect[] = [{ type: reported ? 'entered' : 'callback', status }];
  if (status === 'delivered' || (status === 'sent' && terminalNow)) out.push({ type: 'inbox' });
  return out;
}

/** A transition: the message after it, and what it sets off. */
export interface Transition {
  next: MessageRecord;
  effects: MessageEffect[];
}

/** Applies `event` to `msg` at virtual instant `now`. */
export function advance(msg: MessageRecord, event: MessageEvent, now: number): Transition {
  if (event.type === 'step') {
    const [step, ...rest] = msg.plan;
    if (!step || TERMINAL.has(msg.status)) return { next: settled(msg), effects: [] };
    if (!canMove(msg.status, step.status)) throw new InvalidTransition(msg.status, step.status);
    // The rest of the plan counts from this step. (Cleared, not deleted: a `delete` would turn
    // the record into a slow dictionary-mode object for everything that reads it next.)
    const next = enter(msg, step.status, now, step.errorCode);
    next.plan = rest;
    next.planFrom = undefined;
    return { next, effects: effectsOf(step.status, rest.length === 0) };
  }
  if (event.type === 'cancel') {
    if (!canMove(msg.status, 'canceled') || msg.status !== 'scheduled') throw new InvalidTransition(msg.status, 'canceled');
    return { next: settled(enter(msg, 'canceled', now)), effects: [{ type: 'callback', status: 'canceled' }] };
  }
  if (event.type === 'report' && event.status === msg.status) return { next: msg, effects: [] };
  let next: MessageRecord = settled(msg);
  const effects: MessageEffect[] = [];
  const path = pathTo(msg.status, event.status);
  path.forEach((status, i) => {
    const last = i === path.length - 1;
    next = enter(next, status, now, last ? event.errorCode : undefined);
    effects.push(...effectsOf(status, last, event.type === 'report'));
  });
  return { next, effects };
}

/** `msg` with nothing more planned. */
function settled(msg: MessageRecord): MessageRecord {
  const next = copyMessage(msg);
  next.plan = [];
  next.planFrom = undefined;
  return next;
}

/** When the first planned step of `msg` falls due, or null when nothing is planned. */
export function nextStepAt(msg: MessageRecord): number | null {
  if (msg.plan.length === 0 || TERMINAL.has(msg.status)) return null;
  return (msg.planFrom ?? msg.dateUpdated) + msg.plan[0].afterMs;
}

/** When the last planned step of `msg` falls due, or null when nothing is planned. */
export function lastStepAt(msg: MessageRecord): number | null {
  const first = nextStepAt(msg);
  if (first === null) return null;
  let at = first;
  for (let i = 1; i < msg.plan.length; i++) at += msg.plan[i].afterMs;
  return at;
}

/**
 * Every planned step of `msg` due by `now`, applied in order, each at its own due time: the
 * message as it stands at `now`, and the transitions that got it there (pure). Status is a
 * function of the plan and the clock, so reads see the right status between the scheduler's
 * visits; a plan that no longer fits the status (a replayed callback moved it) is dropped.
 */
export function catchUp(msg: MessageRecord, now: number): { next: MessageRecord; transitions: Transition[] } {
  const transitions: Transition[] = [];
  let cur = msg;
  for (let at = nextStepAt(cur); at !== null && at <= now; at = nextStepAt(cur)) {
    try {
      const t = advance(cur, { type: 'step' }, at);
      transitions.push(t);
      cur = t.next;
    } catch (err) {
      if (!(err instanceof InvalidTransition)) throw err;
      cur = settled(cur);
      transitions.push({ next: cur, effects: [] });
    }
  }
  return { next: cur, transitions };
}

/** `msg` as it stands at `now` (see {@link catchUp}). */
export function viewAt(msg: MessageRecord, now: number): MessageRecord {
  const at = nextStepAt(msg);
  return at === null || at > now ? msg : catchUp(msg, now).next;
}

/**
 * `msg` changed at `now` by something other than its timeline (a redaction): `dateUpdated` moves,
 * the plan keeps counting from where it did.
 */
export function touched(msg: MessageRecord, now: number): MessageRecord {
  return msg.plan.length > 0 ? { ...msg, dateUpdated: now, planFrom: msg.planFrom ?? msg.dateUpdated } : { ...msg, dateUpdated: now };
}

/** The timeline of a new message: steps after its initial status, ending in the outcome. */
export function planTimeline(
  steps: readonly PlannedStep[],
  outcome: { status: 'delivered' | 'undelivered' | 'failed' | 'sent'; errorCode?: number } | undefined,
  viaService: boolean,
): PlannedStep[] {
  let plan = steps.filter((s) => s.status !== 'queued').map((s) => ({ ...s }));
  if (outcome) {
    const cut = outcome.status === 'failed' ? 'sent' : outcome.status === 'sent' ? 'delivered' : 'delivered';
    const i = plan.findIndex((s) => s.status === cut || s.status === 'undelivered' || s.status === 'failed');
    const delay = i === -1 ? 1000 : plan[i].afterMs;
    plan = i === -1 ? plan : plan.slice(0, i);
    if (outcome.status !== 'sent') plan.push({ status: outcome.status, afterMs: delay, errorCode: outcome.errorCode });
  }
  return viaService ? [{ status: 'queued', afterMs: 0 }, ...plan] : plan;
}

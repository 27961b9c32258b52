/**
 * The call state machine (twilio-voice-and-more.md §1.3, §2, §3, §8): queued → (initiated) →
 * ringing → in-progress → completed, or busy / no-answer / failed / canceled. `initiated` is a
 * callback event only; the REST status stays `queued` until ringing. `advance` is pure: it returns
 * the next record and the effects to carry out (status callbacks with their exact fields, the
 * async AMD callback, starting or stopping the TwiML interpreter); callers apply them.
 */
import type { FormParams } from '../../signing/signature';
import { twilioError } from '../errors';
import './errors'; // registers 21220
import { amdCallbackParams, statusCallbackParams } from './params';
import { TERMINAL_CALL_STATUSES, type AnsweredBy, type CallEvent, type CallRecord, type CallStatus, type HttpMethod } from './types';

/** What can happen to a call. */
export type CallLifecycleEvent =
  /** Dialing starts (start_time is set). */
  | { type: 'initiate' }
  | { type: 'ring' }
  /** The callee picked up (synchronous AMD passes its result here). */
  | { type: 'answer'; answeredBy?: AnsweredBy }
  | { type: 'busy' }
  | { type: 'no-answer' }
  | { type: 'fail'; sipResponseCode?: number }
  /** An asynchronous AMD result (AsyncAmd=true). */
  | { type: 'machine-detected'; answeredBy: AnsweredBy; durationMs: number }
  /** Someone hung up: the caller, the callee, TwiML (`<Hangup>`, end of document) or a time limit. */
  | { type: 'hangup' }
  /** `<Reject>` on an unanswered inbound call. */
  | { type: 'reject'; reason: 'rejected' | 'busy' }
  /** REST update `Status=canceled`. */
  | { type: 'cancel' }
  /** REST update `Status=completed`. */
  | { type: 'complete' };

/** Side effects of a transition. */
export type CallLifecycleEffect =
  | { type: 'status-callback'; event: CallEvent; url: string; method: HttpMethod; params: FormParams }
  | { type: 'amd-callback'; url: string; method: HttpMethod; params: FormParams }
  /** An outbound call was answered: start its TwiML (interpreter event `answered`). */
  | { type: 'run-twiml' }
  /** The call ended: stop its TwiML and its `<Dial>` legs. */
  | { type: 'ended'; status: CallStatus };

/** A transition: the call after it, and what it sets off. */
export interface CallTransition {
  next: CallRecord;
  effects: CallLifecycleEffect[];
}

/** Thrown when an internal event cannot apply in the call's status (a bug of the caller, not user input). */
export class InvalidCallTransition extends Error {
  constructor(readonly from: CallStatus, readonly event: CallLifecycleEvent['type']) {
    super(`a ${from} call cannot take "${event}"`);
    this.name = 'InvalidCallTransition';
  }
}

/** Allowed moves (the transition table of §2). */
const NEXT: Record<CallStatus, readonly CallStatus[]> = {
  queued: ['ringing', 'failed', 'canceled'],
  ringing: ['in-progress', 'busy', 'no-answer', 'failed', 'canceled'],
  'in-progress': ['completed'],
  completed: [],
  busy: [],
  'no-answer': [],
  failed: [],
  canceled: [],
};

/** SIP codes of the ends (§3: 486 with busy, 487 with no-answer, seen live). */
const SIP_CODE: Partial<Record<CallStatus, number>> = { completed: 200, busy: 486, 'no-answer': 487 };

/**
 * Per-minute price of an answered call, by direction. mirra's flat US rates, not a rate table:
 * Twilio prices by destination (README LIMITATIONS).
 */
const RATE_PER_MINUTE: Record<CallRecord['direction'], number> = { inbound: 0.0085, 'outbound-api': 0.014, 'outbound-dial': 0.014 };

/** True when `to` may follow `from`. */
export function canMoveCall(from: CallStatus, to: CallStatus): boolean {
  return NEXT[from].includes(to);
}

/** True once nothing more can happen to the call. */
export function isEnded(call: CallRecord): boolean {
  return TERMINAL_CALL_STATUSES.has(call.status);
}

/** Accumulates a transition: the record so far and its effects. */
class Step {
  effects: CallLifecycleEffect[] = [];
  constructor(public call: CallRecord, readonly now: number) {}

  /** Numbers `event` and sends its callback if the call subscribed to it (§3). */
  emit(event: CallEvent): void {
    const seq = this.call.sequence;
    this.call = { ...this.call, sequence: seq + 1 };
    const c = this.call;
    if (c.statusCallback && c.statusCallbackEvents.includes(event)) {
      this.effects.push({ type: 'status-callback', event, url: c.statusCallback, method: c.statusCallbackMethod, params: statusCallbackParams(c, event, seq) });
    }
  }

  initiate(): void {
    if (this.call.initiated) return;
    this.call = { ...this.call, initiated: true, startTime: this.call.startTime ?? this.now, duration: 0, dateUpdated: this.now };
    this.emit('initiated');
  }

  move(status: CallStatus, event: CallLifecycleEvent['type']): void {
    if (!canMoveCall(this.call.status, status)) throw new InvalidCallTransition(this.call.status, event);
    this.call = { ...this.call, status, dateUpdated: this.now };
  }

  ring(event: CallLifecycleEvent['type']): void {
    if (this.call.status === 'ringing') return;
    this.initiate();
    this.move('ringing', event);
    this.emit('ringing');
  }

  /** Ends the call in `status`: end time, duration, price, SIP code, the `completed` callback. */
  end(status: CallStatus, event: CallLifecycleEvent['type'], sipResponseCode?: number, callback = true): void {
    const answered = this.call.status === 'in-progress';
    this.move(status, event);
    const start = this.call.startTime ?? this.now;
    const duration = answered ? Math.max(0, Math.round((this.now - start) / 1000)) : 0;
    const minutes = Math.ceil(duration / 60);
    this.call = {
      ...this.call,
      endTime: this.now,
      duration,
      // An unanswered call costs nothing; price stays null (UNCONFIRMED: Twilio may send "0.00000").
      price: answered ? (-(RATE_PER_MINUTE[this.call.direction] * Math.max(1, minutes))).toFixed(5) : null,
      sipResponseCode: sipResponseCode ?? SIP_CODE[status] ?? null,
    };
    if (callback) this.emit('completed');
    else this.call = { ...this.call, sequence: this.call.sequence + 1 };
    this.effects.push({ type: 'ended', status });
  }
}

/** Applies `event` to `call` at virtual instant `now`. API events on an ended call throw 21220. */
export function advance(call: CallRecord, event: CallLifecycleEvent, now: number): CallTransition {
  const s = new Step(call, now);
  const status = call.status;
  const ended = isEnded(call);
  switch (event.type) {
    case 'initiate':
      if (status !== 'queued') throw new InvalidCallTransition(status, event.type);
      s.initiate();
      break;
    case 'ring':
      s.ring(event.type);
      break;
    case 'answer':
      s.ring(event.type);
      s.move('in-progress', event.type);
      if (event.answeredBy) s.call = { ...s.call, answeredBy: event.answeredBy };
      s.emit('answered');
      // Inbound calls already run their TwiML while ringing (§2); outbound ones start it now.
      if (call.direction !== 'inbound') s.effects.push({ type: 'run-twiml' });
      break;
    case 'busy':
    case 'no-answer':
      s.ring(event.type);
      s.end(event.type, event.type);
      break;
    case 'fail':
      s.end('failed', event.type, event.sipResponseCode);
      break;
    case 'reject':
      // <Reject> leaves the call unanswered: busy for reason="busy", else no-answer (§5.2).
      s.end(event.reason === 'busy' ? 'busy' : 'no-answer', event.type);
      break;
    case 'machine-detected': {
      if (ended) throw new InvalidCallTransition(status, event.type);
      s.call = { ...s.call, answeredBy: event.answeredBy, dateUpdated: now };
      const amd = call.machineDetection?.asyncCallback;
      if (amd?.url) s.effects.push({ type: 'amd-callback', url: amd.url, method: amd.method, params: amdCallbackParams(s.call, event.durationMs) });
      break;
    }
    case 'hangup':
      if (ended) throw new InvalidCallTransition(status, event.type);
      // Hung up before anyone answered: canceled (§2: "the caller hung up … before a Dial leg answered").
      s.end(status === 'in-progress' ? 'completed' : 'canceled', event.type);
      break;
    case 'cancel':
      // §1.3: only queued/ringing calls are canceled; an in-progress call is left alone (a no-op
      // 200, UNCONFIRMED); a call canceled while still queued sends no callbacks.
      if (ended) throw twilioError(21220);
      if (status === 'in-progress') return { next: call, effects: [] };
      s.end('canceled', event.type, undefined, status !== 'queued');
      break;
    case 'complete':
      // §1.3: hangs up whatever the state; a call never answered ends canceled (UNCONFIRMED).
      if (ended) throw twilioError(21220);
      s.end(status === 'in-progress' ? 'completed' : 'canceled', event.type, undefined, status !== 'queued');
      break;
  }
  return { next: s.call, effects: s.effects };
}

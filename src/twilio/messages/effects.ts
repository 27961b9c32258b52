/**
 * Carrying out a message transition's effects: persist the record, send status callbacks through
 * the outbox (Twilio's field set, twilio-api.md §5), fill the recipient's inbox, book the
 * scheduler's next visit. The lifecycle decides; this module only applies — and every change of a
 * message's status goes through `changeMessage` or a scheduler visit, both of which run the
 * lifecycle first.
 */
import type { Commit, Outbox, Schedule, StatusObserver } from '../../core/ports';
import { MirraError } from '../../errors';
import type { Session } from '../../session/session';
import type { FormParams } from '../../signing/signature';
import { deliverToInbox } from '../handsets/inbox';
import { advance, catchUp, lastStepAt, nextStepAt, type MessageEvent, type Transition } from './lifecycle';
import { MESSAGES, type MessageRecord } from './types';

/** The ports message effects use. */
export interface MessagePorts {
  commit: Commit;
  schedule: Schedule;
  outbox: Outbox;
  observe: StatusObserver;
}

/**
 * Scheduler task kind that moves a message one step along its plan: a derived task (the stored
 * message says when its next visit is due, `timelineVisitAt`), so a create stores no task.
 */
export const STEP_TASK = 'messages.step';

/** `YYMMDDhhmm` in UTC, Twilio's `RawDlrDoneDate`. */
function rawDlrDate(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCFullYear() % 100)}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}`;
}

/** The form fields of a status callback for `m` in its current status. */
export function statusCallbackParams(m: MessageRecord): FormParams {
  const p: FormParams = { SmsSid: m.sid, SmsStatus: m.status, MessageStatus: m.status, To: m.to };
  if (m.messagingServiceSid) p.MessagingServiceSid = m.messagingServiceSid;
  p.MessageSid = m.sid;
  p.AccountSid = m.accountSid;
  if (m.from) p.From = m.from;
  p.ApiVersion = '2010-04-01';
  if (m.errorCode !== null && (m.status === 'failed' || m.status === 'undelivered')) p.ErrorCode = String(m.errorCode);
  if (m.status === 'delivered' || m.status === 'undelivered') p.RawDlrDoneDate = rawDlrDate(m.dateUpdated);
  return p;
}

/**
 * When the scheduler must next visit `msg`: at each step when a status callback has to go out as
 * it happens, else only at the last step (status between visits is derived on read, see
 * `catchUp`), where the recipient's inbox is filled and the steps are stored in one write.
 */
export function timelineVisitAt(msg: MessageRecord): number | null {
  return msg.statusCallback ? nextStepAt(msg) : lastStepAt(msg);
}

/** Books the scheduler's next visit of `msg`'s timeline, if anything is planned. `msg` must be stored. */
export function scheduleTimeline(ports: Pick<MessagePorts, 'schedule'>, session: Session, msg: MessageRecord): void {
  const at = timelineVisitAt(msg);
  if (at === null) return;
  const seq = session.collection<MessageRecord>(MESSAGES).seqOf(msg.sid);
  if (seq === undefined) throw new MirraError('MIRRA_ERR_INTERNAL', `message ${msg.sid} is booked a visit before it is stored`);
  ports.schedule.book(session, at, STEP_TASK, seq);
}

/** The scheduler's visit of a message (the record numbered `ref`): every step due by `at` applied and stored. */
export function visitMessage(ports: MessagePorts, session: Session, ref: number, at: number): void {
  const message = session.collection<MessageRecord>(MESSAGES).at(ref);
  if (message) settleMessage(ports, session, message, at, true); // else deleted meanwhile
}

/** Books the visit of every stored message from number `from` on whose plan has steps to come (a mirror's start). */
export function recoverVisits(session: Session, from: number, book: (at: number, ref: number) => void): void {
  for (const { seq, record } of session.collection<MessageRecord>(MESSAGES).entriesFrom(from)) {
    const at = timelineVisitAt(record);
    if (at !== null) book(at, seq);
  }
}

/**
 * Stores every step of `stored`'s timeline due by `at` and carries out their effects; returns the
 * message as it stands. The scheduler's visits call it (`visit`: book the next one); so does every
 * change to a message, before it changes it, so no step's effects are skipped.
 */
export function settleMessage(ports: MessagePorts, session: Session, stored: MessageRecord, at: number, visit = false): MessageRecord {
  const { next, transitions } = catchUp(stored, at);
  // Nothing due: a visit booked before the plan changed finds its successor booked already.
  if (transitions.length === 0) return stored;
  ports.commit.transaction(() => {
    applyTransitions(ports, session, next, transitions);
    // The last step's visit stays booked whatever a change settled; per-step visits move on.
    if (visit || next.statusCallback) scheduleTimeline(ports, session, next);
  });
  return next;
}

/**
 * Applies an event from outside the timeline (a cancel, a simulate event, a replayed callback) to
 * a message settled at `now`: the lifecycle decides (throws `InvalidTransition` when it cannot
 * apply); a message whose plan the event ended has its booked visits dropped; effects are carried
 * out. Returns the message after it.
 */
export function changeMessage(ports: MessagePorts, session: Session, message: MessageRecord, event: MessageEvent, now: number): MessageRecord {
  const { next, effects } = advance(message, event, now);
  if (next === message) return message;
  ports.commit.transaction(() => {
    if (next.plan.length === 0 && message.plan.length > 0) {
      const seq = session.collection<MessageRecord>(MESSAGES).seqOf(message.sid);
      ports.schedule.cancel(session, STEP_TASK, (ref: number) => ref === seq);
    }
    applyTransitions(ports, session, next, [{ next, effects }]);
  });
  return next;
}

/**
 * Saves `final` once and applies the effects of each transition that led to it, in order, each
 * with the message as it was in that status (the inbox, callbacks, the inspector's observer).
 */
function applyTransitions(ports: MessagePorts, session: Session, final: MessageRecord, transitions: Transition[]): void {
  ports.commit.transaction(() => {
    session.collection<MessageRecord>(MESSAGES).update(final);
    for (const { next, effects } of transitions) {
      for (const effect of effects) {
        if (effect.type === 'inbox') {
          deliverToInbox(session, {
            to: next.to,
            from: next.from,
            body: next.body,
            channel: next.to.startsWith('whatsapp:') ? 'whatsapp' : next.media.length > 0 ? 'mms' : 'sms',
            sourceSid: next.sid,
            mediaUrls: next.media.map((m) => m.url),
            receivedAt: next.dateUpdated,
          });
        }
      }
    }
  });
  for (const { next, effects } of transitions) {
    for (const effect of effects) {
      if (effect.type === 'callback' || effect.type === 'entered') {
        const failed = effect.status === 'failed' || effect.status === 'undelivered';
        ports.observe.statusChanged(session, { resource: 'message', sid: next.sid, status: effect.status, at: next.dateUpdated, errorCode: failed ? next.errorCode : undefined });
      }
      if (effect.type === 'callback' && next.statusCallback) {
        // The callback carries the message as it was in that status (intermediate statuses of a forced path too).
        ports.outbox.enqueue(session, {
          kind: 'status-callback',
          url: next.statusCallback,
          params: statusCallbackParams({ ...next, status: effect.status }),
          orderKey: next.sid,
          refs: { messageSid: next.sid },
        });
      }
    }
  }
}

/**
 * Carrying out a verification transition's effects: persist the record, put the code in the
 * recipient's inbox (SMS/WhatsApp for GET /_mirra/messages, email for /_mirra/emails) or call the
 * recipient and read it out (a real call through the voice runner, whose transcript
 * GET /_mirra/calls shows), withdraw a failed delivery, and keep the expiry task in step. The code
 * never becomes an account Message or Call: Verify's messages and calls are not in those lists.
 */
import type { Commit, Outbox, ReportError, Schedule, StatusObserver } from '../../../core/ports';
import type { Session } from '../../../session/session';
import { failVerifyCall, placeVerifyCall } from '../../calls/place';
import { deliverToInbox, readInbox, withdrawFromInbox } from '../../handsets/inbox';
import { VERIFICATIONS, type VerificationRecord } from '../types';
import { codeMessage, inboxAddress } from './code';
import type { VerificationEffect } from './lifecycle';

/** Scheduler task kind that ends a verification's validity window. */
export const EXPIRE_TASK = 'verify.expire';

/** The ports verification effects use. */
export interface VerifyPorts {
  commit: Commit;
  schedule: Schedule;
  observe: StatusObserver;
  /** The `call` channel places a call, whose runner sends webhooks and reports its failures. */
  outbox: Outbox;
  report: ReportError;
}

/** Saves `next` and applies `effects`; `scheduleExpiry` is set for a verification just created. */
export function applyVerificationEffects(
  ports: VerifyPorts,
  session: Session,
  next: VerificationRecord,
  effects: VerificationEffect[],
  scheduleExpiry = false,
): void {
  const previous = session.collection<VerificationRecord>(VERIFICATIONS).get(next.sid)?.status;
  ports.commit.transaction(() => {
    session.collection<VerificationRecord>(VERIFICATIONS).update(next);
    if (scheduleExpiry) ports.schedule.schedule(session, next.expiresAt, EXPIRE_TASK, { sid: next.sid });
    for (const effect of effects) {
      if (effect.type === 'cancel-expiry') ports.schedule.cancel(session, EXPIRE_TASK, (ref: { sid: string }) => ref.sid === next.sid);
      if (effect.type === 'deliver') {
        const attempt = next.sendCodeAttempts.find((a) => a.attemptSid === effect.attemptSid);
        if (!attempt) continue;
        if (attempt.channel === 'call') {
          placeVerifyCall(ports, session, next.sid, next.to, codeMessage(next, 'call'), attempt.time);
          continue;
        }
        deliverToInbox(session, {
          to: inboxAddress(next.to, attempt.channel),
          from: null, // Verify sends from Twilio's own senders, not from the account's numbers
          body: codeMessage(next, attempt.channel),
          channel: attempt.channel,
          sourceSid: next.sid,
          mediaUrls: [],
          receivedAt: attempt.time,
        });
      }
      if (effect.type === 'withdraw') {
        const attempt = next.sendCodeAttempts.find((a) => a.attemptSid === effect.attemptSid);
        if (!attempt) continue;
        if (attempt.channel === 'call') {
          failVerifyCall(ports, session, next.sid, session.clock.now());
          continue;
        }
        // Deliveries carry the VE sid; the newest one of this verification is the attempt's.
        const items = readInbox(session, inboxAddress(next.to, attempt.channel), [attempt.channel]).filter((i) => i.sourceSid === next.sid);
        const item = items[items.length - 1];
        if (item) withdrawFromInbox(session, item.sid);
      }
    }
  });
  // The inspector's timeline shows each status a verification enters (pending, approved, ...).
  if (previous !== next.status) ports.observe.statusChanged(session, { resource: 'verification', sid: next.sid, status: next.status, at: session.clock.now() });
}

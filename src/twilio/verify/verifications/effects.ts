/**
 * Carrying out a verification transition's effects: persist the record, put the code in the
 * recipient's inbox (SMS/WhatsApp for GET /_mirra/messages, calls for /_mirra/calls, email for
 * /_mirra/emails), withdraw a failed delivery, and keep the expiry task in step. The code never
 * becomes an account Message: Verify's messages are not in the Messages list.
 */
import type { Commit, Schedule, StatusObserver } from '../../../core/ports';
import type { Session } from '../../../session/session';
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

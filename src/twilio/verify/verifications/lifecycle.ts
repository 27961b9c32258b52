/**
 * The verification state machine (twilio-api.md §6, twilio-real-traffic.md "Verify"):
 *
 *   pending ──right code / Status=approved──▶ approved   (deleted: fetch and check are 404)
 *   pending ──wrong code, limit reached─────▶ max_attempts_reached (fetchable; checks are 429/60202)
 *   pending ──Status=canceled───────────────▶ canceled   (fetchable; checks are 404)
 *   any of those but approved ──validity window ends──▶ expired (deleted: 404)
 *
 * A resend while pending keeps the same VE and code and appends a VL attempt, up to the send limit
 * (then 429/60203). `advance` is pure: it returns the next record and the effects to carry out
 * (deliver the code, withdraw a delivery, drop the expiry task); callers apply them.
 */
import { twilioError } from '../../errors';
import type { Channel, VerificationRecord, VerificationStatus } from '../types';

/** What can happen to a verification. */
export type VerificationEvent =
  | { type: 'resend'; channel: Channel; attemptSid: string }
  | { type: 'check'; code: string; amount: string | null; payee: string | null }
  | { type: 'update'; status: 'approved' | 'canceled' }
  | { type: 'expire' }
  | { type: 'fail-next-check' }
  | { type: 'delivery-failed' };

/** Side effects of a transition. */
export type VerificationEffect =
  | { type: 'deliver'; attemptSid: string }
  | { type: 'withdraw'; attemptSid: string }
  | { type: 'cancel-expiry' };

/** The limits a transition enforces (from the session's policy). */
export interface CheckLimits {
  maxCheckAttempts: number;
  maxSendAttempts: number;
}

/** The verification no longer exists as far as the API is concerned (Twilio's 404). */
export class VerificationGone extends Error {
  constructor(readonly status: VerificationStatus) {
    super(`the verification is ${status}`);
  }
}

/** An event that cannot apply in the current status (a control-plane mistake, not an API error). */
export class InvalidTransition extends Error {
  constructor(readonly from: VerificationStatus, event: string) {
    super(`${event} does not apply to a ${from} verification`);
  }
}

/** Statuses in which Twilio still serves the verification (real traffic: canceled and maxed stay). */
const VISIBLE: ReadonlySet<VerificationStatus> = new Set(['pending', 'canceled', 'max_attempts_reached']);

/** The status at `now`: a visible verification past its window has expired even before its task ran. */
export function statusAt(v: VerificationRecord, now: number): VerificationStatus {
  return VISIBLE.has(v.status) && now >= v.expiresAt ? 'expired' : v.status;
}

/** True while the API still shows the verification (fetch by SID or To). */
export function isVisible(v: VerificationRecord, now: number): boolean {
  return VISIBLE.has(statusAt(v, now));
}

function touch(v: VerificationRecord, now: number, patch: Partial<VerificationRecord>): VerificationRecord {
  return { ...v, ...patch, dateUpdated: now };
}

function check(v: VerificationRecord, e: Extract<VerificationEvent, { type: 'check' }>, now: number, limits: CheckLimits) {
  // Twilio counts every check, right or wrong; after the limit it answers 60202 (docs/errors/60202).
  if (v.status === 'max_attempts_reached') throw twilioError(60202);
  if (v.status !== 'pending') throw new VerificationGone(v.status);
  const attempts = v.checkAttempts + 1;
  // PSD2: the amount and payee of the check must be those the code was sent for.
  const psd2Ok = (v.amount === null || e.amount === v.amount) && (v.payee === null || e.payee === v.payee);
  const right = !v.failNextCheck && psd2Ok && e.code === v.code;
  const status: VerificationStatus = right ? 'approved' : attempts >= limits.maxCheckAttempts ? 'max_attempts_reached' : 'pending';
  const next = touch(v, now, { status, checkAttempts: attempts, failNextCheck: false });
  return { next, effects: right ? [{ type: 'cancel-expiry' } as const] : [] };
}

/** Applies `event` to `v` at virtual instant `now`. Throws Twilio's 60202/60203, or {@link VerificationGone}. */
export function advance(
  v: VerificationRecord,
  event: VerificationEvent,
  now: number,
  limits: CheckLimits,
): { next: VerificationRecord; effects: VerificationEffect[] } {
  const current = statusAt(v, now);
  const settled = current === v.status ? v : { ...v, status: current };
  switch (event.type) {
    case 'check':
      return check(settled, event, now, limits);
    case 'resend': {
      if (current === 'max_attempts_reached') throw twilioError(60202);
      if (current !== 'pending') throw new VerificationGone(current);
      if (v.sendCodeAttempts.length >= limits.maxSendAttempts) throw twilioError(60203);
      const attempt = { attemptSid: event.attemptSid, channel: event.channel, time: now, delivered: true };
      const next = touch(v, now, { channel: event.channel, sendCodeAttempts: [...v.sendCodeAttempts, attempt] });
      return { next, effects: [{ type: 'deliver', attemptSid: event.attemptSid }] };
    }
    case 'update': {
      if (current !== 'pending') throw new VerificationGone(current);
      const next = touch(v, now, { status: event.status });
      return { next, effects: event.status === 'approved' ? [{ type: 'cancel-expiry' }] : [] };
    }
    case 'expire': {
      if (!VISIBLE.has(v.status)) throw new InvalidTransition(v.status, 'expiry');
      return { next: touch(v, now, { status: 'expired' }), effects: [{ type: 'cancel-expiry' }] };
    }
    case 'fail-next-check': {
      if (current !== 'pending') throw new InvalidTransition(current, 'a failed check');
      return { next: { ...v, failNextCheck: true }, effects: [] };
    }
    case 'delivery-failed': {
      const last = [...v.sendCodeAttempts].reverse().find((a) => a.delivered);
      if (!last || current !== 'pending') throw new InvalidTransition(current, 'a failed delivery');
      const attempts = v.sendCodeAttempts.map((a) => (a.attemptSid === last.attemptSid ? { ...a, delivered: false } : a));
      return { next: { ...v, sendCodeAttempts: attempts }, effects: [{ type: 'withdraw', attemptSid: last.attemptSid }] };
    }
  }
}

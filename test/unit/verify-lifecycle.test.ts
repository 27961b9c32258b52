/**
 * The pure verification state machine (src/twilio/verify/verifications/lifecycle.ts) and the code
 * helpers: every transition, the limits, and that `advance` never mutates its input.
 */
import { TwilioError } from '../../src/twilio/errors';
import '../../src/twilio/verify/errors';
import { codeMessage, inboxAddress, randomCode } from '../../src/twilio/verify/verifications/code';
import { advance, InvalidTransition, isVisible, statusAt, VerificationGone } from '../../src/twilio/verify/verifications/lifecycle';
import type { VerificationRecord } from '../../src/twilio/verify/types';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const LIMITS = { maxCheckAttempts: 5, maxSendAttempts: 5 };

function pending(patch: Partial<VerificationRecord> = {}): VerificationRecord {
  return {
    sid: 'VE' + '1'.repeat(32), serviceSid: 'VA' + '1'.repeat(32), accountSid: 'AC' + '1'.repeat(32),
    to: '+15551230000', channel: 'sms', status: 'pending', code: '123456', checkAttempts: 0, failNextCheck: false,
    sendCodeAttempts: [{ attemptSid: 'VL' + '1'.repeat(32), channel: 'sms', time: T0, delivered: true }],
    friendlyName: 'App', doNotShareWarning: false, locale: null, carrier: null, amount: null, payee: null,
    dateCreated: T0, dateUpdated: T0, expiresAt: T0 + 600_000, ...patch,
  };
}

function twilioCode(fn: () => unknown): number {
  try {
    fn();
  } catch (err) {
    if (err instanceof TwilioError) return err.code;
    throw err;
  }
  throw new Error('expected a TwilioError');
}

describe('verification lifecycle', () => {
  it('approves the right code (and drops the expiry task) without touching the input', () => {
    const v = pending();
    const frozen = JSON.stringify(v);
    const { next, effects } = advance(v, { type: 'check', code: '123456', amount: null, payee: null }, T0 + 1000, LIMITS);
    expect(next).toMatchObject({ status: 'approved', checkAttempts: 1, dateUpdated: T0 + 1000 });
    expect(effects).toEqual([{ type: 'cancel-expiry' }]);
    expect(JSON.stringify(v)).toBe(frozen);
  });

  it('counts wrong codes: pending until the limit, then max_attempts_reached, then 60202', () => {
    let v = pending();
    const statuses: string[] = [];
    for (let i = 0; i < 5; i++) {
      v = advance(v, { type: 'check', code: '000000', amount: null, payee: null }, T0, LIMITS).next;
      statuses.push(v.status);
    }
    expect(statuses).toEqual(['pending', 'pending', 'pending', 'pending', 'max_attempts_reached']);
    expect(twilioCode(() => advance(v, { type: 'check', code: '123456', amount: null, payee: null }, T0, LIMITS))).toBe(60202);
    expect(twilioCode(() => advance(v, { type: 'resend', channel: 'sms', attemptSid: 'VL2' }, T0, LIMITS))).toBe(60202);
  });

  it('resends with a deliver effect up to the send limit, then 60203', () => {
    let v = pending();
    for (let i = 2; i <= 5; i++) {
      const r = advance(v, { type: 'resend', channel: i % 2 ? 'sms' : 'call', attemptSid: `VL${i}` }, T0 + i, LIMITS);
      expect(r.effects).toEqual([{ type: 'deliver', attemptSid: `VL${i}` }]);
      v = r.next;
    }
    expect(v.sendCodeAttempts).toHaveLength(5);
    expect(v.channel).toBe('sms');
    expect(twilioCode(() => advance(v, { type: 'resend', channel: 'sms', attemptSid: 'VL6' }, T0, LIMITS))).toBe(60203);
  });

  it('treats a verification past its window as expired before its task runs (gone for checks)', () => {
    const v = pending();
    expect(statusAt(v, v.expiresAt - 1)).toBe('pending');
    expect(statusAt(v, v.expiresAt)).toBe('expired');
    expect(isVisible(v, v.expiresAt)).toBe(false);
    expect(() => advance(v, { type: 'check', code: '123456', amount: null, payee: null }, v.expiresAt, LIMITS)).toThrow(VerificationGone);
    expect(() => advance(v, { type: 'resend', channel: 'sms', attemptSid: 'VL2' }, v.expiresAt, LIMITS)).toThrow(VerificationGone);
  });

  it('keeps canceled and max_attempts_reached visible, approved not', () => {
    expect(isVisible(pending({ status: 'canceled' }), T0)).toBe(true);
    expect(isVisible(pending({ status: 'max_attempts_reached' }), T0)).toBe(true);
    expect(isVisible(pending({ status: 'approved' }), T0)).toBe(false);
  });

  it('updates only a pending verification (approved, canceled); others are gone', () => {
    expect(advance(pending(), { type: 'update', status: 'canceled' }, T0, LIMITS)).toEqual({ next: expect.objectContaining({ status: 'canceled' }), effects: [] });
    expect(advance(pending(), { type: 'update', status: 'approved' }, T0, LIMITS).effects).toEqual([{ type: 'cancel-expiry' }]);
    expect(() => advance(pending({ status: 'canceled' }), { type: 'check', code: '123456', amount: null, payee: null }, T0, LIMITS)).toThrow(VerificationGone);
    expect(() => advance(pending({ status: 'canceled' }), { type: 'update', status: 'approved' }, T0, LIMITS)).toThrow(VerificationGone);
  });

  it('expires visible verifications only', () => {
    expect(advance(pending({ status: 'canceled' }), { type: 'expire' }, T0, LIMITS).next.status).toBe('expired');
    expect(() => advance(pending({ status: 'approved' }), { type: 'expire' }, T0, LIMITS)).toThrow(InvalidTransition);
  });

  it('fails the next check once on verify.check_failed, and compares PSD2 amount and payee', () => {
    const marked = advance(pending(), { type: 'fail-next-check' }, T0, LIMITS).next;
    const failed = advance(marked, { type: 'check', code: '123456', amount: null, payee: null }, T0, LIMITS).next;
    expect(failed).toMatchObject({ status: 'pending', failNextCheck: false, checkAttempts: 1 });
    const psd2 = pending({ amount: '10.00', payee: 'Acme' });
    expect(advance(psd2, { type: 'check', code: '123456', amount: '9.99', payee: 'Acme' }, T0, LIMITS).next.status).toBe('pending');
    expect(advance(psd2, { type: 'check', code: '123456', amount: '10.00', payee: 'Acme' }, T0, LIMITS).next.status).toBe('approved');
  });

  it('withdraws the newest delivered attempt on verify.delivery_failed', () => {
    const v = advance(pending(), { type: 'resend', channel: 'call', attemptSid: 'VL2' }, T0, LIMITS).next;
    const { next, effects } = advance(v, { type: 'delivery-failed' }, T0, LIMITS);
    expect(effects).toEqual([{ type: 'withdraw', attemptSid: 'VL2' }]);
    expect(next.sendCodeAttempts.map((a) => a.delivered)).toEqual([true, false]);
    const again = advance(next, { type: 'delivery-failed' }, T0, LIMITS);
    expect(again.effects).toEqual([{ type: 'withdraw', attemptSid: 'VL' + '1'.repeat(32) }]);
    expect(() => advance(again.next, { type: 'delivery-failed' }, T0, LIMITS)).toThrow(InvalidTransition);
  });
});

describe('verification codes', () => {
  it('makes numeric codes of the asked length', () => {
    for (const length of [4, 6, 10]) {
      const codes = Array.from({ length: 20 }, () => randomCode(length));
      for (const c of codes) expect(c).toMatch(new RegExp(`^\\d{${length}}$`));
      expect(new Set(codes).size).toBeGreaterThan(1);
    }
  });

  it('writes Twilio’s default template per channel', () => {
    const v = pending({ doNotShareWarning: true });
    expect(codeMessage(v, 'sms')).toBe("Your App verification code is: 123456. Don't share this code with anyone; our employees will never ask for the code.");
    expect(codeMessage(v, 'whatsapp')).toBe('Your App verification code is: 123456');
    expect(codeMessage(v, 'call')).toBe('Your App verification code is: 1, 2, 3, 4, 5, 6.');
    expect(inboxAddress('+15551230000', 'whatsapp')).toBe('whatsapp:+15551230000');
    expect(inboxAddress('a@example.com', 'email')).toBe('a@example.com');
  });
});

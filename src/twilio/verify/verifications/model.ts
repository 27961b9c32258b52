/**
 * Starting, finding and checking verifications: Twilio's parameter rules and Verify policy
 * (twilio-api.md §2.7–2.8, §6). Validation order follows the request: To, Channel, the service's
 * channel switch (60223), CustomCode (60204), then the recipient (blocked 60410/60605, landline
 * 60205), then the limits of a verification already under way (60202, 60203).
 */
import type { Session } from '../../../session/session';
import { one, type Params } from '../../form';
import { toE164 } from '../../phone';
import { twilioError } from '../../errors';
import { isSid, newSid, SID_PREFIX } from '../../sid';
import { invalidParam, missingParam } from '../param-errors';
import { resolveLocale } from '../locale';
import { matchesPattern, type VerifyPolicy } from '../policy';
import { isChannel, VERIFICATIONS, type CarrierInfo, type Channel, type VerificationRecord, type VerifyServiceRecord } from '../types';
import { randomCode } from './code';
import { advance, isVisible, statusAt, type VerificationEffect } from './lifecycle';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The supported locale a request's `Locale` names (null without one): a malformed tag is 60200, a
 * language Verify does not translate into is 404/60229 (docs/verify/supported-languages).
 */
function localeOf(raw: string | null): string | null {
  if (raw === null) return null;
  const resolved = resolveLocale(raw);
  if (resolved.ok) return resolved.tag;
  throw resolved.reason === 'malformed' ? invalidParam('Locale', raw) : twilioError(60229, { locale: raw });
}

/** A recipient as Verify keys it: E.164 for phone channels (no `whatsapp:` prefix), else the address. */
export function normalizeTo(raw: string, channel: Channel | null): string | null {
  const value = raw.trim();
  const isEmail = channel === 'email' || (channel === null && value.includes('@'));
  if (isEmail) return EMAIL.test(value) ? value : null;
  const number = toE164(channel === 'whatsapp' || channel === null ? value.replace(/^whatsapp:/i, '') : value);
  return number && number.startsWith('+') ? number : null;
}

/** The carrier a lookup reports for a number (the mirror knows only landline or mobile). */
function carrierOf(to: string, channel: Channel, landline: boolean): CarrierInfo | null {
  if (channel === 'email') return null;
  if (landline) return { errorCode: null, name: 'mirra landline', mobileCountryCode: null, mobileNetworkCode: null, type: 'landline' };
  // Lookup's MCC/MNC are strings (twilio-real-traffic.md §3); 310/260 is a US mobile network.
  return { errorCode: null, name: 'mirra mobile', mobileCountryCode: to.startsWith('+1') ? '310' : '234', mobileNetworkCode: to.startsWith('+1') ? '260' : '10', type: 'mobile' };
}

/** The visible verification of `to` in a service (the newest, as only one can be under way). */
export function findByTo(session: Session, serviceSid: string, to: string, now: number): VerificationRecord | undefined {
  for (const v of session.collection<VerificationRecord>(VERIFICATIONS).list({ newestFirst: true })) {
    if (v.serviceSid === serviceSid && v.to === to && isVisible(v, now)) return v;
  }
  return undefined;
}

/** A verification by `VE…` SID or by recipient, when the API still shows it. */
export function findVerification(session: Session, serviceSid: string, sidOrTo: string, now: number): VerificationRecord | undefined {
  if (isSid(sidOrTo, SID_PREFIX.verification)) {
    const v = session.collection<VerificationRecord>(VERIFICATIONS).get(sidOrTo);
    return v && v.serviceSid === serviceSid && isVisible(v, now) ? v : undefined;
  }
  const to = normalizeTo(sidOrTo, null);
  return to ? findByTo(session, serviceSid, to, now) : undefined;
}

/** What a create request leads to: a new verification, or a resend of the pending one. */
export interface StartResult {
  next: VerificationRecord;
  effects: VerificationEffect[];
  /** True for a new verification, whose expiry the caller schedules. */
  created: boolean;
}

/** Validates a create request and starts a verification, or resends the code of the pending one. */
export function startVerification(session: Session, service: VerifyServiceRecord, params: Params, policy: VerifyPolicy, now: number): StartResult {
  const rawTo = one(params, 'To');
  if (!rawTo) throw missingParam('To');
  const rawChannel = one(params, 'Channel');
  if (!rawChannel) throw missingParam('Channel');
  if (!isChannel(rawChannel)) throw invalidParam('Channel', rawChannel);
  const channel = rawChannel;
  const to = normalizeTo(rawTo, channel);
  if (!to) throw invalidParam('To', rawTo);
  if (!service.channels.includes(channel)) throw twilioError(60223, { channel });
  const customCode = one(params, 'CustomCode') || null;
  if (customCode !== null) {
    if (!service.customCodeEnabled) throw twilioError(60204);
    if (!/^[0-9A-Za-z]{4,10}$/.test(customCode)) throw invalidParam('CustomCode', customCode);
  }
  const locale = localeOf(one(params, 'Locale') || null);
  const block = policy.blocked.find((b) => matchesPattern(b.to, to));
  if (block) throw twilioError(block.errorCode);
  const landline = policy.landlines.some((p) => matchesPattern(p, to));
  if (landline && (channel === 'sms' || channel === 'whatsapp')) throw twilioError(60205);

  const attemptSid = newSid(SID_PREFIX.verificationAttempt);
  const existing = findByTo(session, service.sid, to, now);
  // A canceled verification stays fetchable, but a new request starts afresh.
  if (existing && statusAt(existing, now) !== 'canceled') {
    // "The token remains the same during its validity period": same VE, same code, one more attempt.
    return { ...advance(existing, { type: 'resend', channel, attemptSid }, now, policy), created: false };
  }
  const customName = one(params, 'CustomFriendlyName');
  const next: VerificationRecord = {
    sid: newSid(SID_PREFIX.verification),
    serviceSid: service.sid,
    accountSid: session.accountSid,
    to,
    channel,
    status: 'pending',
    code: customCode ?? policy.code ?? randomCode(service.codeLength),
    checkAttempts: 0,
    failNextCheck: false,
    sendCodeAttempts: [{ attemptSid, channel, time: now, delivered: true }],
    friendlyName: customName || service.friendlyName,
    doNotShareWarning: service.doNotShareWarningEnabled,
    locale,
    carrier: service.lookupEnabled ? carrierOf(to, channel, landline) : null,
    // PSD2 fields are kept only on a PSD2 service (the spec: "Requires the PSD2 Service flag").
    amount: service.psd2Enabled ? (one(params, 'Amount') ?? null) : null,
    payee: service.psd2Enabled ? (one(params, 'Payee') ?? null) : null,
    dateCreated: now,
    dateUpdated: now,
    expiresAt: now + policy.expiryMs,
  };
  return { next, effects: [{ type: 'deliver', attemptSid }], created: true };
}

/**
 * A VerificationCheck: finds the verification by `VerificationSid` or `To` and applies the check.
 * Returns undefined when there is nothing to check (the route answers Verify's 404).
 */
export function checkVerification(
  session: Session,
  service: VerifyServiceRecord,
  params: Params,
  policy: VerifyPolicy,
  now: number,
): { next: VerificationRecord; effects: VerificationEffect[] } | undefined {
  const code = one(params, 'Code');
  if (!code) throw missingParam('Code');
  const sid = one(params, 'VerificationSid');
  const rawTo = one(params, 'To');
  if (!sid && !rawTo) throw missingParam('To');
  let v: VerificationRecord | undefined;
  if (sid) {
    v = findVerification(session, service.sid, sid, now);
  } else {
    const to = normalizeTo(rawTo!, null);
    if (!to) throw invalidParam('To', rawTo!);
    v = findByTo(session, service.sid, to, now);
  }
  if (!v) return undefined;
  return advance(v, { type: 'check', code, amount: one(params, 'Amount') ?? null, payee: one(params, 'Payee') ?? null }, now, policy);
}

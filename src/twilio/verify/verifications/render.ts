/**
 * Verification and VerificationCheck as Verify v2 renders them, following real traffic over the
 * spec (twilio-real-traffic.md §1–3): no `sna`/`sna_attempts_error_codes`; `send_code_attempts[]`
 * with a lower-case channel and millisecond times; `lookup` `{"carrier": null}` with lookups off;
 * the check's 11 keys in the captured order.
 */
import { iso8601, iso8601Millis } from '../../wire';
import { serviceUrl } from '../services/render';
import type { CarrierInfo, VerificationRecord } from '../types';
import { statusAt } from './lifecycle';

function renderCarrier(c: CarrierInfo | null): Record<string, unknown> {
  if (!c) return { carrier: null };
  return {
    carrier: {
      error_code: c.errorCode,
      name: c.name,
      mobile_country_code: c.mobileCountryCode,
      mobile_network_code: c.mobileNetworkCode,
      type: c.type,
    },
  };
}

/** A verification as JSON (create, fetch, update). */
export function renderVerification(v: VerificationRecord, origin: string): Record<string, unknown> {
  return {
    sid: v.sid,
    service_sid: v.serviceSid,
    account_sid: v.accountSid,
    to: v.to,
    channel: v.channel,
    status: v.status,
    valid: v.status === 'approved',
    date_created: iso8601(v.dateCreated),
    date_updated: iso8601(v.dateUpdated),
    lookup: renderCarrier(v.carrier),
    amount: v.amount,
    payee: v.payee,
    send_code_attempts: v.sendCodeAttempts.map((a) => ({ time: iso8601Millis(a.time), channel: a.channel, attempt_sid: a.attemptSid })),
    url: `${serviceUrl(origin, v.serviceSid)}/Verifications/${v.sid}`,
  };
}

/** A verification check's answer (HTTP 200 in reality, for right and wrong codes alike). */
export function renderCheck(v: VerificationRecord): Record<string, unknown> {
  return {
    status: v.status,
    payee: v.payee,
    date_updated: iso8601(v.dateUpdated),
    account_sid: v.accountSid,
    to: v.to,
    amount: v.amount,
    valid: v.status === 'approved',
    sid: v.sid,
    date_created: iso8601(v.dateCreated),
    service_sid: v.serviceSid,
    channel: v.channel,
  };
}

/** The control plane's view of a verification (simulate answers): what Twilio hides included. */
export function describeVerification(v: VerificationRecord, now: number): Record<string, unknown> {
  return {
    sid: v.sid,
    service_sid: v.serviceSid,
    to: v.to,
    channel: v.channel,
    status: statusAt(v, now),
    // The code the recipient received: what a test (or the inspector's reader) checks with.
    code: v.code,
    check_attempts: v.checkAttempts,
    fail_next_check: v.failNextCheck,
    send_code_attempts: v.sendCodeAttempts.map((a) => ({ attempt_sid: a.attemptSid, channel: a.channel, time: iso8601Millis(a.time), delivered: a.delivered })),
    expires_at: iso8601Millis(v.expiresAt),
  };
}

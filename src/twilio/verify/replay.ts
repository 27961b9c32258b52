/**
 * Replayed Verify services, verifications and checks become the emulator's records, so the
 * emulator's fetch and list agree with the replay (an approved verification is then 404, as on
 * Twilio). The code a verification was sent with is not in any response: it is learnt from a
 * replayed check that approved it; until then an unrecorded check of it cannot succeed.
 */
import type { ReplayHooks, ServedAnswer } from '../../core/resource-module';
import type { Session } from '../../session/session';
import { dateOf, isObject, isSuccess, listItems, overlay, pairValue } from '../representation';
import { newVerifyService } from './services/model';
import { DEFAULT_POLICY } from './policy';
import {
  isChannel,
  VERIFICATIONS,
  VERIFY_SERVICES,
  type CarrierInfo,
  type Channel,
  type SendAttempt,
  type VerificationRecord,
  type VerificationStatus,
  type VerifyServiceRecord,
} from './types';

type Served = ServedAnswer;

const SERVICES = /^\/v2\/Services$/;
const SERVICE = /^\/v2\/Services\/(VA[0-9a-f]{32})$/;
const VERIFICATION_LIST = /^\/v2\/Services\/(VA[0-9a-f]{32})\/Verifications$/;
const VERIFICATION = /^\/v2\/Services\/(VA[0-9a-f]{32})\/Verifications\/([^/]+)$/;
const CHECK = /^\/v2\/Services\/(VA[0-9a-f]{32})\/VerificationCheck$/;

function carrierOf(lookup: unknown): CarrierInfo | null {
  const c = isObject(lookup) ? lookup.carrier : null;
  if (!isObject(c)) return null;
  const s = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    errorCode: typeof c.error_code === 'number' ? c.error_code : null,
    name: s(c.name),
    mobileCountryCode: s(c.mobile_country_code),
    mobileNetworkCode: s(c.mobile_network_code),
    type: c.type === 'landline' || c.type === 'voip' ? c.type : 'mobile',
  };
}

function attemptsOf(v: unknown, prev: SendAttempt[], now: number): SendAttempt[] {
  if (!Array.isArray(v)) return prev;
  return v.filter(isObject).map((a, i) => ({
    attemptSid: String(a.attempt_sid ?? prev[i]?.attemptSid ?? ''),
    channel: (isChannel(a.channel) ? a.channel : (prev[i]?.channel ?? 'sms')) as Channel,
    time: dateOf(a.time, now),
    delivered: prev[i]?.delivered ?? true,
  }));
}

/** A verification record from a served representation (the code is kept, or unknown). */
export function verificationFromJson(json: Record<string, unknown>, prev: VerificationRecord | undefined, service: VerifyServiceRecord | undefined, now: number): VerificationRecord {
  const created = dateOf(json.date_created, prev?.dateCreated ?? now);
  const channel = isChannel(json.channel) ? json.channel : (prev?.channel ?? 'sms');
  return {
    sid: String(json.sid),
    serviceSid: String(json.service_sid ?? prev?.serviceSid ?? ''),
    accountSid: String(json.account_sid ?? prev?.accountSid ?? ''),
    to: String(json.to ?? prev?.to ?? ''),
    channel,
    status: (typeof json.status === 'string' ? json.status : (prev?.status ?? 'pending')) as VerificationStatus,
    code: prev?.code ?? '',
    checkAttempts: prev?.checkAttempts ?? 0,
    failNextCheck: false,
    sendCodeAttempts: attemptsOf(json.send_code_attempts, prev?.sendCodeAttempts ?? [], created),
    friendlyName: prev?.friendlyName ?? service?.friendlyName ?? '',
    doNotShareWarning: prev?.doNotShareWarning ?? false,
    locale: prev?.locale ?? null,
    carrier: 'lookup' in json ? carrierOf(json.lookup) : (prev?.carrier ?? null),
    amount: typeof json.amount === 'string' ? json.amount : (prev?.amount ?? null),
    payee: typeof json.payee === 'string' ? json.payee : (prev?.payee ?? null),
    dateCreated: created,
    dateUpdated: dateOf(json.date_updated, created),
    expiresAt: prev?.expiresAt ?? created + DEFAULT_POLICY.expiryMs,
  };
}

/** A Verify service record from a served representation. */
export function verifyServiceFromJson(json: Record<string, unknown>, prev: VerifyServiceRecord | undefined, now: number): VerifyServiceRecord {
  const base = prev ?? newVerifyService(String(json.account_sid ?? ''), { friendlyName: String(json.friendly_name ?? '') }, now);
  const next = overlay(base, json);
  next.sid = String(json.sid);
  return next;
}

/** Applies a served Verify response; false for other routes. */
function applyVerify(session: Session, served: Served): boolean {
  const m = { services: SERVICES.exec(served.path), service: SERVICE.exec(served.path), list: VERIFICATION_LIST.exec(served.path), one: VERIFICATION.exec(served.path), check: CHECK.exec(served.path) };
  if (!m.services && !m.service && !m.list && !m.one && !m.check) return false;
  const services = session.collection<VerifyServiceRecord>(VERIFY_SERVICES);
  const verifications = session.collection<VerificationRecord>(VERIFICATIONS);
  const gone = served.status === 404 || (served.method === 'DELETE' && isSuccess(served.status));
  if (gone) {
    if (m.service) services.delete(m.service[1]);
    if (m.one && /^VE[0-9a-f]{32}$/.test(m.one[2])) verifications.delete(m.one[2]);
    return true;
  }
  if (!isSuccess(served.status)) return true;
  const upsertService = (json: Record<string, unknown>) => {
    if (typeof json.sid === 'string') services.update(verifyServiceFromJson(json, services.get(json.sid), served.now));
  };
  if (m.services && served.method === 'GET') listItems(served.body, 'services').forEach(upsertService);
  else if (m.services || m.service) {
    if (isObject(served.body)) upsertService(served.body);
  } else if (isObject(served.body) && typeof served.body.sid === 'string') {
    const json = served.body;
    const prev = verifications.get(json.sid as string);
    const next = verificationFromJson(json, prev, services.get(String(json.service_sid)), served.now);
    if (m.check) {
      next.checkAttempts = (prev?.checkAttempts ?? 0) + 1;
      // An approving check tells the code; keep it so the emulator agrees with the recording.
      const code = pairValue(served.form, 'Code');
      if (next.status === 'approved' && code) next.code = code;
    }
    verifications.update(next);
  }
  return true;
}

/** Verify's replay hooks: served answers applied to state; a seeded service found by its name. */
export const verifyReplay: ReplayHooks = {
  apply: (session, served) => applyVerify(session, served),
  resolveExisting(session, prefix, recorded) {
    const name = typeof recorded.friendly_name === 'string' ? recorded.friendly_name : undefined;
    if (prefix !== 'VA' || !name) return undefined;
    return session.collection<VerifyServiceRecord>(VERIFY_SERVICES).find((s) => s.friendlyName === name)?.sid;
  },
};

/**
 * Messaging Services and their sender pools (twilio-api.md §2.9): create/update with the schema's
 * settings, delete, and pool membership rules (a number belongs to at most one service; 409s with
 * 21710/21712). Validation and state over a session; no HTTP here.
 */
import type { Session } from '../../session/session';
import { twilioError } from '../errors';
import { one, type Params } from '../form';
import { INCOMING_NUMBERS, type IncomingNumberRecord } from '../numbers/types';
import { isWebhookUrl } from '../numbers/model';
import { isSid, newSid, SID_PREFIX } from '../sid';
import { INVALID_PARAMETER } from './errors';
import { MESSAGING_SERVICES, poolOf, SERVICE_POOL, type MessagingServiceRecord, type PoolMemberRecord } from './types';

/** Usecases the spec lists for `usecase`. */
const USECASES = ['notifications', 'marketing', 'verification', 'discussion', 'poll', 'undeclared'];
/** Twilio's default pool size limit (error 21714). */
const MAX_POOL = 400;

/** A new service with Twilio's defaults (console defaults: sticky sender, geomatch, smart encoding on). */
export function defaultService(sid: string, friendlyName: string, now: number): MessagingServiceRecord {
  return {
    sid,
    friendlyName,
    inboundRequestUrl: null,
    inboundMethod: 'POST',
    fallbackUrl: null,
    fallbackMethod: 'POST',
    statusCallback: null,
    stickySender: true,
    mmsConverter: true,
    smartEncoding: true,
    scanMessageContent: 'inherit',
    fallbackToLongCode: false,
    areaCodeGeomatch: true,
    validityPeriod: 36000,
    synchronousValidation: true,
    usecase: 'undeclared',
    usAppToPersonRegistered: false,
    useInboundWebhookOnNumber: false,
    dateCreated: now,
    dateUpdated: now,
  };
}

type Kind = 'name' | 'url' | 'method' | 'bool' | 'validity' | readonly string[];

/** Settable params (spec CreateService/UpdateService bodies) and their fields. */
const SETTINGS: readonly [param: string, field: keyof MessagingServiceRecord, kind: Kind][] = [
  ['FriendlyName', 'friendlyName', 'name'],
  ['InboundRequestUrl', 'inboundRequestUrl', 'url'],
  ['InboundMethod', 'inboundMethod', 'method'],
  ['FallbackUrl', 'fallbackUrl', 'url'],
  ['FallbackMethod', 'fallbackMethod', 'method'],
  ['StatusCallback', 'statusCallback', 'url'],
  ['StickySender', 'stickySender', 'bool'],
  ['MmsConverter', 'mmsConverter', 'bool'],
  ['SmartEncoding', 'smartEncoding', 'bool'],
  ['ScanMessageContent', 'scanMessageContent', ['inherit', 'enable', 'disable']],
  ['FallbackToLongCode', 'fallbackToLongCode', 'bool'],
  ['AreaCodeGeomatch', 'areaCodeGeomatch', 'bool'],
  ['ValidityPeriod', 'validityPeriod', 'validity'],
  ['SynchronousValidation', 'synchronousValidation', 'bool'],
  ['Usecase', 'usecase', USECASES],
  ['UseInboundWebhookOnNumber', 'useInboundWebhookOnNumber', 'bool'],
];

function invalid(param: string, value: string) {
  return twilioError(20001, {}, INVALID_PARAMETER(param, value));
}

function valueOf(param: string, raw: string, kind: Kind): unknown {
  if (Array.isArray(kind)) {
    if (!kind.includes(raw)) throw invalid(param, raw);
    return raw;
  }
  switch (kind) {
    case 'name':
      // "It can be up to 64 characters long" (spec).
      if (raw.length === 0 || raw.length > 64) throw invalid(param, raw);
      return raw;
    case 'url':
      if (raw === '') return null;
      if (!isWebhookUrl(raw)) throw invalid(param, raw);
      return raw;
    case 'method': {
      const m = raw.toUpperCase();
      if (m !== 'GET' && m !== 'POST') throw invalid(param, raw);
      return m;
    }
    case 'bool':
      if (!/^(true|false)$/i.test(raw)) throw invalid(param, raw);
      return raw.toLowerCase() === 'true';
    case 'validity': {
      // "Can be an integer from 1 to 36,000" (spec).
      const n = Number(raw);
      if (!/^\d+$/.test(raw) || n < 1 || n > 36000) throw invalid(param, raw);
      return n;
    }
    default:
      return raw;
  }
}

/** The service with the settings of `params` applied (validated). */
export function applyServiceSettings(s: MessagingServiceRecord, params: Params, now: number): MessagingServiceRecord {
  const next: Record<string, unknown> = { ...s };
  let changed = false;
  for (const [param, field, kind] of SETTINGS) {
    const raw = one(params, param);
    if (raw === undefined) continue;
    next[field] = valueOf(param, raw, kind);
    changed = true;
  }
  if (changed) next.dateUpdated = now;
  return next as unknown as MessagingServiceRecord;
}

/** Creates a service (POST /v1/Services); `FriendlyName` is required. */
export function createService(session: Session, params: Params, now: number): MessagingServiceRecord {
  const name = one(params, 'FriendlyName');
  if (name === undefined) throw twilioError(20001, { param: 'FriendlyName' });
  const service = applyServiceSettings(defaultService(newSid(SID_PREFIX.messagingService), name, now), params, now);
  return session.collection<MessagingServiceRecord>(MESSAGING_SERVICES).insert({ ...service, dateUpdated: now });
}

/** Updates a service (POST /v1/Services/{Sid}). */
export function updateService(session: Session, s: MessagingServiceRecord, params: Params, now: number): MessagingServiceRecord {
  return session.collection<MessagingServiceRecord>(MESSAGING_SERVICES).update(applyServiceSettings(s, params, now));
}

/** Deletes a service; its pool numbers stay in the account, free to join another service. */
export function deleteService(session: Session, s: MessagingServiceRecord): void {
  const pool = session.collection<PoolMemberRecord>(SERVICE_POOL);
  for (const member of poolOf(session, s.sid)) pool.delete(member.sid);
  session.collection<MessagingServiceRecord>(MESSAGING_SERVICES).delete(s.sid);
}

/**
 * Adds an owned number to a service's pool (POST /v1/Services/{Sid}/PhoneNumbers). An unknown or
 * malformed PN SID is 21421; a member of this service 409/21710, of another 409/21712; a number
 * that can neither text nor MMS 21715; a full pool (400) 21714.
 */
export function addToPool(session: Session, s: MessagingServiceRecord, params: Params, now: number): PoolMemberRecord {
  const numberSid = one(params, 'PhoneNumberSid');
  if (numberSid === undefined) throw twilioError(20001, { param: 'PhoneNumberSid' });
  const owned = isSid(numberSid, 'PN') ? session.collection<IncomingNumberRecord>(INCOMING_NUMBERS).get(numberSid) : undefined;
  if (!owned) throw twilioError(21421, { value: numberSid });
  const existing = session.collection<PoolMemberRecord>(SERVICE_POOL).get(numberSid);
  if (existing) throw twilioError(existing.serviceSid === s.sid ? 21710 : 21712);
  if (!owned.capabilities.sms && !owned.capabilities.mms) throw twilioError(21715);
  if (poolOf(session, s.sid).length >= MAX_POOL) throw twilioError(21714);
  const member: PoolMemberRecord = { sid: owned.sid, serviceSid: s.sid, phoneNumber: owned.phoneNumber, dateCreated: now, dateUpdated: now };
  return session.collection<PoolMemberRecord>(SERVICE_POOL).insert(member);
}

/** The pool member with this PN SID in this service, if any. */
export function findMember(session: Session, s: MessagingServiceRecord, sid: string): PoolMemberRecord | undefined {
  const member = session.collection<PoolMemberRecord>(SERVICE_POOL).get(sid);
  return member && member.serviceSid === s.sid ? member : undefined;
}

/** Removes a number from the pool (it stays in the account). */
export function removeFromPool(session: Session, member: PoolMemberRecord): void {
  session.collection<PoolMemberRecord>(SERVICE_POOL).delete(member.sid);
}

/**
 * Buying, configuring and releasing numbers (IncomingPhoneNumbers, twilio-api.md §2.3 and the
 * buying magic numbers of §7). Validation and state changes over a session; no HTTP here.
 */
import type { Session } from '../../session/session';
import { twilioError, type TwilioErrorCode } from '../errors';
import { one, type Params } from '../form';
import { SERVICE_POOL, type PoolMemberRecord } from '../messaging-services/types';
import { toE164 } from '../phone';
import { findForSale, type AvailableNumber } from './inventory';
import { firstForSale } from './inventory-search';
import { newIncomingNumber } from './seed';
import { INCOMING_NUMBERS, ownedNumbers, type IncomingNumberRecord, type NumberType } from './types';

/** Test-credential magic numbers for buying (docs/iam/test-credentials): the error each gives. */
const MAGIC_NUMBER_ERRORS: Record<string, TwilioErrorCode> = { '+15005550000': 21422, '+15005550001': 21421 };
/** The magic number (and area code) that always buys successfully. */
const MAGIC_BUYABLE = '+15005550006';
const MAGIC_AREA_ERRORS: Record<string, TwilioErrorCode> = { '533': 21452 };
const MAGIC_AREA_OK = '500';

type Kind = 'text' | 'url' | 'method' | 'appSid' | 'sid' | 'bool' | readonly string[];

/** The settable IncomingPhoneNumber params (spec create/update bodies), their fields and value kinds. */
const SETTINGS: readonly [param: string, field: keyof IncomingNumberRecord, kind: Kind][] = [
  ['FriendlyName', 'friendlyName', 'text'],
  ['ApiVersion', 'apiVersion', ['2010-04-01', '2008-08-01']],
  ['SmsUrl', 'smsUrl', 'url'],
  ['SmsMethod', 'smsMethod', 'method'],
  ['SmsFallbackUrl', 'smsFallbackUrl', 'url'],
  ['SmsFallbackMethod', 'smsFallbackMethod', 'method'],
  ['SmsApplicationSid', 'smsApplicationSid', 'appSid'],
  ['StatusCallback', 'statusCallback', 'url'],
  ['StatusCallbackMethod', 'statusCallbackMethod', 'method'],
  ['VoiceUrl', 'voiceUrl', 'url'],
  ['VoiceMethod', 'voiceMethod', 'method'],
  ['VoiceFallbackUrl', 'voiceFallbackUrl', 'url'],
  ['VoiceFallbackMethod', 'voiceFallbackMethod', 'method'],
  ['VoiceApplicationSid', 'voiceApplicationSid', 'appSid'],
  ['VoiceCallerIdLookup', 'voiceCallerIdLookup', 'bool'],
  ['VoiceReceiveMode', 'voiceReceiveMode', ['voice', 'fax']],
  ['EmergencyStatus', 'emergencyStatus', ['Active', 'Inactive']],
  ['EmergencyAddressSid', 'emergencyAddressSid', 'sid'],
  ['TrunkSid', 'trunkSid', 'sid'],
  ['IdentitySid', 'identitySid', 'sid'],
  ['AddressSid', 'addressSid', 'sid'],
  ['BundleSid', 'bundleSid', 'sid'],
];

/** True for an absolute http(s) URL (a connection-override fragment is allowed). */
export function isWebhookUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

function settingValue(param: string, raw: string, kind: Kind): string | boolean | null {
  if (Array.isArray(kind)) {
    if (!kind.includes(raw)) throw twilioError(21400, { param, value: raw });
    return raw;
  }
  switch (kind) {
    case 'url':
      // An empty value clears the URL, which Twilio then renders as "".
      if (raw !== '' && !isWebhookUrl(raw)) throw twilioError(21402, { param, value: raw });
      return raw;
    case 'method': {
      const method = raw.toUpperCase();
      if (method !== 'GET' && method !== 'POST') throw twilioError(21403, { param, value: raw });
      return method;
    }
    case 'bool':
      if (!/^(true|false)$/i.test(raw)) throw twilioError(21400, { param, value: raw });
      return raw.toLowerCase() === 'true';
    case 'sid':
      return raw === '' ? null : raw;
    case 'text':
      if (raw.length > 64) throw twilioError(21400, { param, value: raw });
      return raw;
    default:
      return raw;
  }
}

/** The record with every settable param of `params` applied (validated); `now` stamps the change. */
export function applySettings(n: IncomingNumberRecord, params: Params, now: number): IncomingNumberRecord {
  const next: Record<string, unknown> = { ...n };
  let changed = false;
  for (const [param, field, kind] of SETTINGS) {
    const raw = one(params, param);
    if (raw === undefined) continue;
    next[field] = settingValue(param, raw, kind);
    changed = true;
  }
  const out = next as unknown as IncomingNumberRecord;
  if (one(params, 'EmergencyAddressSid') !== undefined) out.emergencyAddressStatus = out.emergencyAddressSid ? 'registered' : 'unregistered';
  if (changed) out.dateUpdated = now;
  return out;
}

function fromCatalogue(entry: AvailableNumber | undefined, phoneNumber: string, now: number): IncomingNumberRecord {
  return newIncomingNumber({ phoneNumber, type: entry?.type ?? 'local', isoCountry: entry?.isoCountry ?? 'US' }, now);
}

function byPhoneNumber(session: Session, raw: string, type: NumberType | undefined, now: number): IncomingNumberRecord {
  const e164 = toE164(raw);
  if (!e164 || e164.startsWith('whatsapp:') || MAGIC_NUMBER_ERRORS[e164] === 21421) throw twilioError(21421, { value: raw });
  if (MAGIC_NUMBER_ERRORS[e164]) throw twilioError(MAGIC_NUMBER_ERRORS[e164], { phoneNumber: e164 });
  // A number this account already owns is not for sale (buying twice is 21422).
  if (ownedNumbers(session).has(e164)) throw twilioError(21422, { phoneNumber: e164 });
  if (e164 === MAGIC_BUYABLE) return fromCatalogue(undefined, e164, now);
  const entry = findForSale(e164);
  if (!entry || (type && entry.type !== type)) throw twilioError(21422, { phoneNumber: e164 });
  return fromCatalogue(entry, e164, now);
}

function byAreaCode(session: Session, areaCode: string, now: number): IncomingNumberRecord {
  if (!/^[2-9]\d{2}$/.test(areaCode)) throw twilioError(21451, { areaCode });
  if (MAGIC_AREA_ERRORS[areaCode]) throw twilioError(MAGIC_AREA_ERRORS[areaCode], { areaCode });
  const owned = ownedNumbers(session);
  if (areaCode === MAGIC_AREA_OK && !owned.has(MAGIC_BUYABLE)) return fromCatalogue(undefined, MAGIC_BUYABLE, now);
  // A US or Canadian local number in that area code: the first one a search would show.
  for (const country of ['US', 'CA'] as const) {
    const entry = firstForSale(country, 'local', { areaCode, excluded: new Set() }, owned);
    if (entry) return fromCatalogue(entry, entry.phoneNumber, now);
  }
  throw twilioError(21452, { areaCode });
}

/**
 * Buys a number (POST IncomingPhoneNumbers[/Type].json): by `PhoneNumber`, or by `AreaCode` on the
 * untyped list only (21457 on the typed ones), with any settings; stores and returns it.
 */
export function buyNumber(session: Session, params: Params, now: number, type?: NumberType): IncomingNumberRecord {
  const phoneNumber = one(params, 'PhoneNumber');
  const areaCode = one(params, 'AreaCode');
  if (type && areaCode !== undefined) throw twilioError(21457);
  let record: IncomingNumberRecord;
  if (phoneNumber) record = byPhoneNumber(session, phoneNumber, type, now);
  else if (areaCode !== undefined) record = byAreaCode(session, areaCode, now);
  else throw twilioError(20001, { param: type ? 'PhoneNumber' : 'PhoneNumber or AreaCode' });
  record = applySettings(record, params, now);
  return session.collection<IncomingNumberRecord>(INCOMING_NUMBERS).insert(record);
}

/** Updates a number's settings (POST IncomingPhoneNumbers/{Sid}.json). */
export function updateNumber(session: Session, n: IncomingNumberRecord, params: Params, now: number): IncomingNumberRecord {
  const accountSid = one(params, 'AccountSid');
  // Moving a number to another account (a subaccount on Twilio) is not emulated: only a no-op move.
  if (accountSid !== undefined && accountSid !== session.accountSid) throw twilioError(21400, { param: 'AccountSid', value: accountSid });
  const next = applySettings(n, params, now);
  return session.collection<IncomingNumberRecord>(INCOMING_NUMBERS).update(next);
}

/**
 * Releases a number (DELETE): it leaves the account and any messaging service's sender pool, so it
 * is no longer a valid `From` (21606) and returns to the inventory.
 */
export function releaseNumber(session: Session, n: IncomingNumberRecord): void {
  session.collection<IncomingNumberRecord>(INCOMING_NUMBERS).delete(n.sid);
  session.collection<PoolMemberRecord>(SERVICE_POOL).delete(n.sid);
}

/**
 * The `numbers` section of a seed: numbers the account owns from the start.
 * `{"numbers": [{"phoneNumber": "+15555550123", "capabilities": {"sms": true, ...}, "smsUrl": "..."}]}`.
 * Any settable IncomingPhoneNumber field may be given in camelCase; a number mirra sells takes its
 * capabilities, type and country from the inventory unless the seed says otherwise.
 */
import { MirraError } from '../../errors';
import type { Session } from '../../session/session';
import { toE164 } from '../phone';
import { newSid, SID_PREFIX } from '../sid';
import { countryOf } from './geo';
import { findForSale, friendlyNameOf } from './inventory';
import { INCOMING_NUMBERS, type IncomingNumberRecord } from './types';

/** Re-exported for callers that build numbers from seeds or replays. */
export { friendlyNameOf } from './inventory';

/** A seeded number as written in a seed file: the phone number plus any record field. */
export type SeedNumber = { phoneNumber: string; capabilities?: Partial<IncomingNumberRecord['capabilities']> } & Partial<
  Omit<IncomingNumberRecord, 'phoneNumber' | 'capabilities' | 'dateCreated' | 'dateUpdated'>
>;

/** Builds an owned-number record with Twilio's defaults (unset URLs `""`, methods POST, SIDs null). */
export function newIncomingNumber(input: SeedNumber, now: number): IncomingNumberRecord {
  const phoneNumber = toE164(input.phoneNumber);
  if (!phoneNumber) throw new MirraError('MIRRA_ERR_INVALID_SEED', `numbers: ${input.phoneNumber} is not a phone number`);
  const forSale = findForSale(phoneNumber);
  const { capabilities, ...rest } = input;
  return {
    sid: newSid(SID_PREFIX.phoneNumber),
    friendlyName: friendlyNameOf(phoneNumber),
    isoCountry: forSale?.isoCountry ?? (countryOf(phoneNumber) || 'US'),
    type: forSale?.type ?? 'local',
    addressRequirements: forSale?.addressRequirements ?? 'none',
    beta: false,
    origin: 'twilio',
    status: 'in-use',
    apiVersion: '2010-04-01',
    smsUrl: '',
    smsMethod: 'POST',
    smsFallbackUrl: '',
    smsFallbackMethod: 'POST',
    smsApplicationSid: '',
    voiceUrl: '',
    voiceMethod: 'POST',
    voiceFallbackUrl: '',
    voiceFallbackMethod: 'POST',
    voiceApplicationSid: '',
    voiceCallerIdLookup: false,
    voiceReceiveMode: 'voice',
    statusCallback: '',
    statusCallbackMethod: 'POST',
    addressSid: null,
    identitySid: null,
    bundleSid: null,
    trunkSid: null,
    emergencyStatus: 'Inactive',
    emergencyAddressSid: null,
    emergencyAddressStatus: 'unregistered',
    ...rest,
    phoneNumber,
    capabilities: { ...(forSale?.capabilities ?? { voice: true, sms: true, mms: true, fax: false }), ...capabilities },
    dateCreated: now,
    dateUpdated: now,
  };
}

/** Applies the seed's `numbers` section. */
export function applyNumbersSeed(session: Session, now: number): void {
  const numbers = session.seed.numbers;
  if (numbers === undefined) return;
  if (!Array.isArray(numbers)) throw new MirraError('MIRRA_ERR_INVALID_SEED', 'numbers is a list');
  const collection = session.collection<IncomingNumberRecord>(INCOMING_NUMBERS);
  for (const n of numbers as SeedNumber[]) {
    if (typeof n?.phoneNumber !== 'string') throw new MirraError('MIRRA_ERR_INVALID_SEED', 'each number needs a phoneNumber');
    const record = newIncomingNumber(n, now);
    if (collection.find((o) => o.phoneNumber === record.phoneNumber)) {
      throw new MirraError('MIRRA_ERR_INVALID_SEED', `numbers: ${record.phoneNumber} is listed twice`);
    }
    collection.insert(record);
  }
}

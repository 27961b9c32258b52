/**
 * The `numbers` section of a seed: numbers the account owns from the start.
 * `{"numbers": [{"phoneNumber": "+15555550123", "capabilities": {"sms": true, ...}, "smsUrl": "..."}]}`
 */
import { MirraError } from '../../errors';
import type { Session } from '../../session/session';
import { toE164 } from '../phone';
import { newSid, SID_PREFIX } from '../sid';
import { INCOMING_NUMBERS, type IncomingNumberRecord } from './types';

/** A seeded number as written in a seed file. */
export interface SeedNumber {
  sid?: string;
  phoneNumber: string;
  friendlyName?: string;
  capabilities?: Partial<IncomingNumberRecord['capabilities']>;
  isoCountry?: string;
  type?: IncomingNumberRecord['type'];
  smsUrl?: string;
  smsMethod?: string;
  smsFallbackUrl?: string;
  voiceUrl?: string;
  statusCallback?: string;
}

/** `(415) 555-0100` for a NANP number, the E.164 form otherwise. */
export function friendlyNameOf(e164: string): string {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : e164;
}

/** Builds an owned-number record with Twilio's defaults. */
export function newIncomingNumber(input: SeedNumber, now: number): IncomingNumberRecord {
  const phoneNumber = toE164(input.phoneNumber);
  if (!phoneNumber) throw new MirraError('MIRRA_ERR_INVALID_SEED', `numbers: ${input.phoneNumber} is not a phone number`);
  return {
    sid: input.sid ?? newSid(SID_PREFIX.phoneNumber),
    phoneNumber,
    friendlyName: input.friendlyName ?? friendlyNameOf(phoneNumber),
    capabilities: { voice: true, sms: true, mms: true, fax: false, ...input.capabilities },
    isoCountry: input.isoCountry ?? (phoneNumber.startsWith('+1') ? 'US' : 'GB'),
    type: input.type ?? 'local',
    dateCreated: now,
    dateUpdated: now,
    smsUrl: input.smsUrl ?? '',
    smsMethod: input.smsMethod ?? 'POST',
    smsFallbackUrl: input.smsFallbackUrl ?? '',
    smsFallbackMethod: 'POST',
    voiceUrl: input.voiceUrl ?? null,
    voiceMethod: 'POST',
    statusCallback: input.statusCallback ?? '',
    statusCallbackMethod: 'POST',
    extra: {},
  };
}

/** Applies the seed's `numbers` section. */
export function applyNumbersSeed(session: Session, now: number): void {
  const numbers = session.seed.numbers;
  if (numbers === undefined) return;
  if (!Array.isArray(numbers)) throw new MirraError('MIRRA_ERR_INVALID_SEED', 'numbers is a list');
  const collection = session.collection<IncomingNumberRecord>(INCOMING_NUMBERS);
  for (const n of numbers as SeedNumber[]) collection.insert(newIncomingNumber(n, now));
}

/**
 * Incoming phone numbers (schema `api.v2010.account.incoming_phone_number`): the numbers an account
 * owns, which are the only valid `From` of its messages (a messaging service's pool is made of them).
 */
import type { Session } from '../../session/session';

/** Number types mirra sells (spec: Local, Mobile, TollFree; IncomingPhoneNumber `type`). */
export type NumberType = 'local' | 'mobile' | 'tollfree';

/** Capabilities of a number (rendered lower-case here, upper-case SMS/MMS on available numbers). */
export interface Capabilities {
  voice: boolean;
  sms: boolean;
  mms: boolean;
  fax: boolean;
}

/** Who must register an address before buying (spec `address_requirements`). */
export type AddressRequirement = 'none' | 'any' | 'local' | 'foreign';

/**
 * An owned number, every schema field kept. Unset URLs and application SIDs are `""` and unset
 * trunk/identity/bundle/address SIDs are null, as real responses show (twilio-real-traffic.md §6).
 */
export interface IncomingNumberRecord {
  sid: string;
  phoneNumber: string;
  friendlyName: string;
  capabilities: Capabilities;
  isoCountry: string;
  type: NumberType;
  addressRequirements: AddressRequirement;
  beta: boolean;
  origin: 'twilio' | 'hosted';
  status: string;
  apiVersion: string;
  dateCreated: number;
  dateUpdated: number;
  smsUrl: string;
  smsMethod: string;
  smsFallbackUrl: string;
  smsFallbackMethod: string;
  smsApplicationSid: string;
  voiceUrl: string;
  voiceMethod: string;
  voiceFallbackUrl: string;
  voiceFallbackMethod: string;
  voiceApplicationSid: string;
  voiceCallerIdLookup: boolean;
  voiceReceiveMode: 'voice' | 'fax';
  statusCallback: string;
  statusCallbackMethod: string;
  addressSid: string | null;
  identitySid: string | null;
  bundleSid: string | null;
  trunkSid: string | null;
  emergencyStatus: 'Active' | 'Inactive';
  emergencyAddressSid: string | null;
  emergencyAddressStatus: string;
}

/** The collection name of owned numbers. */
export const INCOMING_NUMBERS = 'incoming_phone_numbers';

/** The owned number record for `e164`, if the session owns it. */
export function findOwnedNumber(session: Session, e164: string): IncomingNumberRecord | undefined {
  return session.collection<IncomingNumberRecord>(INCOMING_NUMBERS).lookup('phoneNumber', (n) => n.phoneNumber, e164);
}

/** Every number the session owns, by E.164 value (to take them out of the inventory). */
export function ownedNumbers(session: Session): Set<string> {
  return new Set([...session.collection<IncomingNumberRecord>(INCOMING_NUMBERS).list()].map((n) => n.phoneNumber));
}

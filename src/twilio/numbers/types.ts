/**
 * Incoming phone numbers (schema `api.v2010.account.incoming_phone_number`): the numbers an account
 * owns, which are the only valid `From` of its messages besides a messaging service's pool.
 */
import type { Session } from '../../session/session';

/** Capabilities of a number. */
export interface Capabilities {
  voice: boolean;
  sms: boolean;
  mms: boolean;
  fax: boolean;
}

/** An owned number. Optional fields default as Twilio renders them. */
export interface IncomingNumberRecord {
  sid: string;
  phoneNumber: string;
  friendlyName: string;
  capabilities: Capabilities;
  isoCountry: string;
  type: 'local' | 'mobile' | 'tollfree';
  dateCreated: number;
  dateUpdated: number;
  smsUrl: string;
  smsMethod: string;
  smsFallbackUrl: string;
  smsFallbackMethod: string;
  voiceUrl: string | null;
  voiceMethod: string;
  statusCallback: string;
  statusCallbackMethod: string;
  /** Any other settable field, by its snake_case name. */
  extra: Record<string, string | boolean | null>;
}

/** The collection name of owned numbers. */
export const INCOMING_NUMBERS = 'incoming_phone_numbers';

/** The owned number record for `e164`, if the session owns it. */
export function findOwnedNumber(session: Session, e164: string): IncomingNumberRecord | undefined {
  return session.collection<IncomingNumberRecord>(INCOMING_NUMBERS).find((n) => n.phoneNumber === e164);
}

/**
 * Phone numbers as the 2010 API renders them. IncomingPhoneNumber follows the spec example's key
 * order with lower-case capabilities; available numbers follow real traffic (twilio-real-traffic.md
 * §5): latitude/longitude as 6-decimal strings and capabilities `{voice, SMS, MMS, fax}`.
 */
import { rfc2822 } from '../wire';
import type { AvailableNumber, CountryInfo } from './inventory';
import type { IncomingNumberRecord, NumberType } from './types';

/** Path of the IncomingPhoneNumbers list of an account. */
export function incomingNumbersPath(accountSid: string): string {
  return `/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers`;
}

/**
 * An owned number as JSON. The typed lists (`/IncomingPhoneNumbers/Local.json`, ...) use schemas
 * without `type`, so `withType` is false there.
 */
export function renderIncomingNumber(n: IncomingNumberRecord, accountSid: string, withType = true): Record<string, unknown> {
  const out: Record<string, unknown> = {
    account_sid: accountSid,
    address_requirements: n.addressRequirements,
    address_sid: n.addressSid,
    api_version: n.apiVersion,
    beta: n.beta,
    capabilities: { voice: n.capabilities.voice, sms: n.capabilities.sms, mms: n.capabilities.mms, fax: n.capabilities.fax },
    date_created: rfc2822(n.dateCreated),
    date_updated: rfc2822(n.dateUpdated),
    emergency_status: n.emergencyStatus,
    emergency_address_sid: n.emergencyAddressSid,
    emergency_address_status: n.emergencyAddressStatus,
    friendly_name: n.friendlyName,
    identity_sid: n.identitySid,
    origin: n.origin,
    phone_number: n.phoneNumber,
    sid: n.sid,
    sms_application_sid: n.smsApplicationSid,
    sms_fallback_method: n.smsFallbackMethod,
    sms_fallback_url: n.smsFallbackUrl,
    sms_method: n.smsMethod,
    sms_url: n.smsUrl,
    status_callback: n.statusCallback,
    status_callback_method: n.statusCallbackMethod,
    trunk_sid: n.trunkSid,
    uri: `${incomingNumbersPath(accountSid)}/${n.sid}.json`,
    voice_application_sid: n.voiceApplicationSid,
    voice_caller_id_lookup: n.voiceCallerIdLookup,
    voice_fallback_method: n.voiceFallbackMethod,
    voice_fallback_url: n.voiceFallbackUrl,
    voice_method: n.voiceMethod,
    voice_url: n.voiceUrl,
    bundle_sid: n.bundleSid,
    voice_receive_mode: n.voiceReceiveMode,
    status: n.status,
  };
  if (withType) out.type = n.type;
  return out;
}

/** Degrees as Twilio writes them on available numbers: a string with six decimals. */
function coordinate(value: number | null): string | null {
  return value === null ? null : value.toFixed(6);
}

/** A number for sale as JSON, in the order real responses use. */
export function renderAvailableNumber(n: AvailableNumber): Record<string, unknown> {
  return {
    friendly_name: n.friendlyName,
    phone_number: n.phoneNumber,
    lata: n.lata,
    locality: n.locality,
    rate_center: n.rateCenter,
    latitude: coordinate(n.latitude),
    longitude: coordinate(n.longitude),
    region: n.region,
    postal_code: n.postalCode,
    iso_country: n.isoCountry,
    address_requirements: n.addressRequirements,
    beta: n.beta,
    capabilities: { voice: n.capabilities.voice, SMS: n.capabilities.sms, MMS: n.capabilities.mms, fax: n.capabilities.fax },
  };
}

/** The path segment and `subresource_uris` key of each number type. */
export const TYPE_SEGMENTS: Record<NumberType, { segment: string; key: string }> = {
  local: { segment: 'Local', key: 'local' },
  tollfree: { segment: 'TollFree', key: 'toll_free' },
  mobile: { segment: 'Mobile', key: 'mobile' },
};

/** Path of the AvailablePhoneNumbers resource of an account. */
export function availablePath(accountSid: string): string {
  return `/2010-04-01/Accounts/${accountSid}/AvailablePhoneNumbers`;
}

/** A country of `AvailablePhoneNumbers.json` as JSON (spec example order). */
export function renderCountry(c: CountryInfo, accountSid: string): Record<string, unknown> {
  const base = `${availablePath(accountSid)}/${c.code}`;
  const subresources: Record<string, string> = {};
  for (const type of c.types) subresources[TYPE_SEGMENTS[type].key] = `${base}/${TYPE_SEGMENTS[type].segment}.json`;
  return { country_code: c.code, country: c.name, uri: `${base}.json`, beta: false, subresource_uris: subresources };
}

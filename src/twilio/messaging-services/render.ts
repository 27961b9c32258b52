/**
 * Messaging Services v1 rendering: ISO 8601 dates, absolute `url`/`links` on the origin the client
 * used (messaging.twilio.com behind the proxy, the mirror's own origin in base-URL mode), key order
 * of the spec examples, and the pool's capabilities as an array of strings (twilio-api.md §2.9).
 */
import type { Capabilities } from '../numbers/types';
import { iso8601 } from '../wire';
import type { MessagingServiceRecord, PoolMemberRecord } from './types';

/** Absolute URL of a service on `origin`. */
export function serviceUrl(origin: string, sid: string): string {
  return `${origin}/v1/Services/${sid}`;
}

/** A service as JSON. */
export function renderService(s: MessagingServiceRecord, accountSid: string, origin: string): Record<string, unknown> {
  const url = serviceUrl(origin, s.sid);
  return {
    account_sid: accountSid,
    sid: s.sid,
    date_created: iso8601(s.dateCreated),
    date_updated: iso8601(s.dateUpdated),
    friendly_name: s.friendlyName,
    inbound_request_url: s.inboundRequestUrl,
    inbound_method: s.inboundMethod,
    fallback_url: s.fallbackUrl,
    fallback_method: s.fallbackMethod,
    status_callback: s.statusCallback,
    sticky_sender: s.stickySender,
    mms_converter: s.mmsConverter,
    smart_encoding: s.smartEncoding,
    fallback_to_long_code: s.fallbackToLongCode,
    area_code_geomatch: s.areaCodeGeomatch,
    validity_period: s.validityPeriod,
    scan_message_content: s.scanMessageContent,
    synchronous_validation: s.synchronousValidation,
    usecase: s.usecase,
    us_app_to_person_registered: s.usAppToPersonRegistered,
    use_inbound_webhook_on_number: s.useInboundWebhookOnNumber,
    links: {
      phone_numbers: `${url}/PhoneNumbers`,
      short_codes: `${url}/ShortCodes`,
      alpha_senders: `${url}/AlphaSenders`,
      messages: `${url}/Messages`,
      us_app_to_person: `${url}/Compliance/Usa2p`,
      us_app_to_person_usecases: `${url}/Compliance/Usa2p/Usecases`,
      channel_senders: `${url}/ChannelSenders`,
      destination_alpha_senders: `${url}/DestinationAlphaSenders`,
    },
    url,
  };
}

/** Capabilities as the PhoneNumber subresource lists them: sorted names, `["MMS", "SMS", "Voice"]`. */
export function capabilityNames(c: Capabilities): string[] {
  const names: string[] = [];
  if (c.fax) names.push('Fax');
  if (c.mms) names.push('MMS');
  if (c.sms) names.push('SMS');
  if (c.voice) names.push('Voice');
  return names;
}

/** A pool member as JSON (`country_code` and capabilities come from the owned number). */
export function renderPoolMember(
  m: PoolMemberRecord,
  number: { isoCountry: string; capabilities: Capabilities } | undefined,
  accountSid: string,
  origin: string,
): Record<string, unknown> {
  return {
    sid: m.sid,
    account_sid: accountSid,
    service_sid: m.serviceSid,
    date_created: iso8601(m.dateCreated),
    date_updated: iso8601(m.dateUpdated),
    phone_number: m.phoneNumber,
    country_code: number?.isoCountry ?? 'US',
    capabilities: number ? capabilityNames(number.capabilities) : [],
    url: `${serviceUrl(origin, m.serviceSid)}/PhoneNumbers/${m.sid}`,
  };
}

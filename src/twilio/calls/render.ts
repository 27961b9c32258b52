/**
 * A call as the 2010 API renders it (schema `api.v2010.account.call`: 26 keys in the spec's
 * order, RFC 2822 dates, `duration` and `queue_time` as strings). The create answer has every
 * date and timing field null (twilio-voice-and-more.md §1.1, captures 2016–2022).
 */
import { friendlyNameOf } from '../numbers/inventory';
import { rfc2822 } from '../wire';
import type { CallRecord } from './types';

/** Path of a call's resource. */
export function callPath(accountSid: string, sid: string): string {
  return `/2010-04-01/Accounts/${accountSid}/Calls/${sid}`;
}

/** Sub-resources every call lists (the spec example's set). */
const SUBRESOURCES = ['notifications', 'recordings', 'payments', 'events', 'siprec', 'streams', 'transcriptions', 'user_defined_message_subscriptions', 'user_defined_messages'];
const SUBRESOURCE_PATHS: Record<string, string> = {
  notifications: 'Notifications',
  recordings: 'Recordings',
  payments: 'Payments',
  events: 'Events',
  siprec: 'Siprec',
  streams: 'Streams',
  transcriptions: 'Transcriptions',
  user_defined_message_subscriptions: 'UserDefinedMessageSubscriptions',
  user_defined_messages: 'UserDefinedMessages',
};

/** `(415) 555-0101` for a NANP number, else the address as given (`client:alice`, `sip:…`). */
function formatted(party: string): string {
  return party.startsWith('+') ? friendlyNameOf(party) : party;
}

/** A call as JSON; `created`: the create answer, whose dates and timings are all null. */
export function renderCall(c: CallRecord, created = false): Record<string, unknown> {
  const base = callPath(c.accountSid, c.sid);
  const subresource_uris: Record<string, string> = {};
  for (const key of SUBRESOURCES) subresource_uris[key] = `${base}/${SUBRESOURCE_PATHS[key]}.json`;
  const when = (ms: number | null) => (created ? null : rfc2822(ms));
  return {
    sid: c.sid,
    date_created: when(c.dateCreated),
    date_updated: when(c.dateUpdated),
    parent_call_sid: c.parentCallSid,
    account_sid: c.accountSid,
    to: c.to,
    to_formatted: formatted(c.to),
    from: c.from,
    from_formatted: formatted(c.from),
    phone_number_sid: c.phoneNumberSid,
    status: c.status,
    start_time: when(c.startTime),
    end_time: when(c.endTime),
    duration: created || c.duration === null ? null : String(c.duration),
    price: created ? null : c.price,
    price_unit: c.priceUnit,
    direction: c.direction,
    answered_by: created ? null : c.answeredBy,
    api_version: '2010-04-01',
    forwarded_from: c.forwardedFrom,
    group_sid: null,
    caller_name: c.callerName,
    queue_time: '0',
    trunk_sid: null,
    uri: `${base}.json`,
    subresource_uris,
  };
}

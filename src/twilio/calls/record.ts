/**
 * A new call record (twilio-voice-and-more.md §1.1, §2): an API call starts `queued` with every
 * date and timing field null (several 2016–2022 captures); an inbound call starts `ringing`, with
 * its start time, while Twilio fetches its TwiML. A `<Dial>` leg starts `queued` here and is
 * initiated at once (`advance(leg, {type: 'initiate'})`), so it never shows `queued` to anyone.
 * Pure: the SID comes in.
 */
import { webhookGeo } from '../numbers/geo';
import type { CallDirection, CallEvent, CallRecord, HttpMethod, MachineDetection, WebhookGeo } from './types';

/** What a new call needs. */
export interface NewCall {
  sid: string;
  accountSid: string;
  direction: CallDirection;
  to: string;
  from: string;
  parentCallSid?: string | null;
  phoneNumberSid?: string | null;
  statusCallback?: string | null;
  statusCallbackMethod?: HttpMethod;
  statusCallbackEvents?: CallEvent[];
  machineDetection?: MachineDetection | null;
  forwardedFrom?: string | null;
  callerName?: string | null;
}

/** Geography of a party: the number table's for E.164 numbers, empty for `client:`/`sip:` (§4). */
function geoOf(party: string): WebhookGeo {
  return party.startsWith('+') ? webhookGeo(party) : { city: '', state: '', zip: '', country: '' };
}

/** The record of a call created at `now`. */
export function newCallRecord(init: NewCall, now: number): CallRecord {
  const inbound = init.direction === 'inbound';
  return {
    sid: init.sid,
    accountSid: init.accountSid,
    parentCallSid: init.parentCallSid ?? null,
    to: init.to,
    from: init.from,
    toGeo: geoOf(init.to),
    fromGeo: geoOf(init.from),
    phoneNumberSid: init.phoneNumberSid ?? null,
    status: inbound ? 'ringing' : 'queued',
    direction: init.direction,
    initiated: inbound,
    answeredBy: null,
    callerName: init.callerName ?? null,
    forwardedFrom: init.forwardedFrom ?? null,
    // Kept for ordering and lists; the create answer itself renders every date null (§1.1).
    dateCreated: now,
    dateUpdated: now,
    startTime: inbound ? now : null,
    endTime: null,
    duration: inbound ? 0 : null,
    price: null,
    priceUnit: 'USD',
    sipResponseCode: null,
    statusCallback: init.statusCallback ?? null,
    statusCallbackMethod: init.statusCallbackMethod ?? 'POST',
    // A number's status_callback always behaves like completed-only (§3).
    statusCallbackEvents: inbound ? ['completed'] : (init.statusCallbackEvents ?? ['completed']),
    sequence: 0,
    machineDetection: init.machineDetection ?? null,
    recording: null,
  };
}

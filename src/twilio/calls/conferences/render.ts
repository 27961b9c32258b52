/**
 * Conferences and participants as the 2010 API renders them (spec key order).
 */
import { rfc2822 } from '../../wire';
import type { ConferenceRecord, ParticipantRecord } from './types';

/** Path of a conference. */
export function conferencePath(accountSid: string, sid: string): string {
  return `/2010-04-01/Accounts/${accountSid}/Conferences/${sid}`;
}

/** A conference as JSON. */
export function renderConference(c: ConferenceRecord): Record<string, unknown> {
  const base = conferencePath(c.accountSid, c.sid);
  return {
    account_sid: c.accountSid,
    date_created: rfc2822(c.dateCreated),
    date_updated: rfc2822(c.dateUpdated),
    api_version: '2010-04-01',
    friendly_name: c.friendlyName,
    region: 'us1',
    sid: c.sid,
    status: c.status,
    uri: `${base}.json`,
    subresource_uris: { participants: `${base}/Participants.json`, recordings: `${base}/Recordings.json` },
    reason_conference_ended: c.reasonConferenceEnded,
    call_sid_ending_conference: c.callSidEndingConference,
  };
}

/**
 * A participant as JSON. `queue_time` (milliseconds before its call is placed) is "only available
 * in the response to a create participant request": mirra places it at once, "0".
 */
export function renderParticipant(p: ParticipantRecord, created = false): Record<string, unknown> {
  return {
    account_sid: p.accountSid,
    call_sid: p.callSid,
    label: p.label,
    call_sid_to_coach: p.callSidToCoach ?? null,
    coaching: p.coaching ?? false,
    conference_sid: p.conferenceSid,
    date_created: rfc2822(p.dateCreated),
    date_updated: rfc2822(p.dateUpdated),
    end_conference_on_exit: p.endConferenceOnExit,
    muted: p.muted,
    hold: p.hold,
    start_conference_on_enter: p.startConferenceOnEnter,
    status: p.status,
    queue_time: created ? '0' : null,
    uri: `${conferencePath(p.accountSid, p.conferenceSid)}/Participants/${p.callSid}.json`,
  };
}

/**
 * Conferences and their participants as mirra keeps them (schemas `api.v2010.account.conference`
 * and `…conference.participant`, twilio-voice-and-more.md §7). A conference is made by the first
 * `<Dial><Conference>` with its name while none of that name is live.
 */
import type { HttpMethod } from '../types';

/** Conference statuses (spec `conference_enum_status`). */
export type ConferenceStatus = 'init' | 'in-progress' | 'completed';

/** Why a conference ended (spec `conference_enum_reason_conference_ended`). */
export type ConferenceEndReason =
  | 'conference-ended-via-api'
  | 'participant-with-end-conference-on-exit-left'
  | 'participant-with-end-conference-on-exit-kicked'
  | 'last-participant-kicked'
  | 'last-participant-left';

/** A conference. */
export interface ConferenceRecord {
  sid: string;
  accountSid: string;
  friendlyName: string;
  status: ConferenceStatus;
  dateCreated: number;
  dateUpdated: number;
  reasonConferenceEnded: ConferenceEndReason | null;
  callSidEndingConference: string | null;
  /** The first participant's `statusCallback` settings apply to the conference (§7). */
  statusCallback: string | null;
  statusCallbackMethod: HttpMethod;
  statusCallbackEvents: string[];
  /** The next callback's `SequenceNumber`. */
  sequence: number;
}

/** A participant: one call in one conference. Its collection key is `<CF sid>:<CA sid>`. */
export interface ParticipantRecord {
  sid: string;
  accountSid: string;
  conferenceSid: string;
  callSid: string;
  label: string | null;
  muted: boolean;
  hold: boolean;
  startConferenceOnEnter: boolean;
  endConferenceOnExit: boolean;
  status: 'connected' | 'complete';
  dateCreated: number;
  dateUpdated: number;
}

/** Collection names. */
export const CONFERENCES = 'conferences';
export const PARTICIPANTS = 'conference_participants';

/** The collection key of call `callSid` in conference `conferenceSid`. */
export function participantKey(conferenceSid: string, callSid: string): string {
  return `${conferenceSid}:${callSid}`;
}

/**
 * Conferences and their participants as mirra keeps them (schemas `api.v2010.account.conference`
 * and `…conference.participant`, twilio-voice-and-more.md §7). A conference is made by the first
 * `<Dial><Conference>` with its name while none of that name is live, or by the first participant
 * added by REST to a friendly name no live conference has.
 */
import type { RecordingCallbackTarget } from '../recordings/types';
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
  /**
   * Recording the conference (`<Conference record="record-from-start">`, REST `ConferenceRecord`):
   * the first participant asking for it sets it; the recording runs from the conference's start to
   * its end. Absent on conferences kept before mirra recorded them.
   */
  recording?: ConferenceRecordingSettings | null;
}

/** How a conference is recorded: the participant whose call asked for it, and where its callbacks go. */
export interface ConferenceRecordingSettings {
  callSid: string;
  callback: RecordingCallbackTarget | null;
}

/**
 * Participant statuses (spec `participant_enum_status`): a participant added by REST is `queued`
 * until its call rings, `ringing` until it answers; `complete` and `failed` ones are no longer
 * served (the Participants resource "does not return historical participant logs").
 */
export type ParticipantStatus = 'queued' | 'connecting' | 'ringing' | 'connected' | 'complete' | 'failed';

/** True while a participant is served (joining or in the conference). */
export function isPresent(p: ParticipantRecord): boolean {
  return p.status !== 'complete' && p.status !== 'failed';
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
  /** Coaching `callSidToCoach` (only that call hears it). Absent on records kept before coaching existed. */
  coaching?: boolean;
  callSidToCoach?: string | null;
  startConferenceOnEnter: boolean;
  endConferenceOnExit: boolean;
  status: ParticipantStatus;
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

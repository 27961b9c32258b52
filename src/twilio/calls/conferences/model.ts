/**
 * Joining, leaving and ending conferences (twilio-voice-and-more.md §7): the data side. A
 * conference is `in-progress` once it has two participants and one of them starts it on entering;
 * it ends when a participant with `endConferenceOnExit` leaves or the last one leaves, or by REST.
 * A participant added by REST waits `queued`/`ringing` until its call answers. Each change returns
 * the status callback events it raises and whether its recording starts or ends; the runner sends
 * them and releases the participants' calls (their `<Dial>` goes on with `DialCallStatus=answered`).
 */
import type { Session } from '../../../session/session';
import type { FormParams } from '../../../signing/signature';
import { newSid, SID_PREFIX } from '../../sid';
import { rfc2822 } from '../../wire';
import type { HttpMethod } from '../types';
import { changeParticipant, type ParticipantChanges } from './participant-update';
import {
  CONFERENCES, PARTICIPANTS, isPresent, participantKey,
  type ConferenceEndReason, type ConferenceRecord, type ConferenceRecordingSettings, type ParticipantRecord,
} from './types';

/** How a call takes part: its own settings, and the conference's if it is the first (§7). */
export interface ConferenceJoin {
  name: string;
  muted: boolean;
  startConferenceOnEnter: boolean;
  endConferenceOnExit: boolean;
  label?: string | null;
  coaching?: boolean;
  callSidToCoach?: string | null;
  statusCallback: string | null;
  statusCallbackMethod: HttpMethod;
  statusCallbackEvents: string[];
  /** Set: this participant asks for the conference to be recorded. */
  recording?: ConferenceRecordingSettings | null;
}

/** A conference status callback to send. */
export interface ConferenceCallback {
  url: string;
  method: 'GET' | 'POST';
  params: FormParams;
  conferenceSid: string;
}

/** What a change did: its callbacks, the participants it set free, and whether the conference's recording starts or ends. */
export interface ConferenceChange {
  conference: ConferenceRecord;
  callbacks: ConferenceCallback[];
  released: ParticipantRecord[];
  startRecording?: boolean;
  ended?: boolean;
}

/** Status callback events and the `statusCallbackEvent` words that subscribe to them (§7). */
const EVENT_OF: Record<string, string> = {
  'conference-start': 'start',
  'conference-end': 'end',
  'participant-join': 'join',
  'participant-leave': 'leave',
  'participant-mute': 'mute',
  'participant-unmute': 'mute',
  'participant-hold': 'hold',
  'participant-unhold': 'hold',
  'participant-modify': 'modify',
};

function participants(session: Session, conferenceSid: string, connected = true): ParticipantRecord[] {
  return [...session.collection<ParticipantRecord>(PARTICIPANTS).list({ filter: (p) => p.conferenceSid === conferenceSid && (connected ? p.status === 'connected' : isPresent(p)) })];
}

/** The live conference named `name`, if any. */
export function liveConference(session: Session, name: string): ConferenceRecord | undefined {
  return session.collection<ConferenceRecord>(CONFERENCES).find((c) => c.friendlyName === name && c.status !== 'completed');
}

/** The live conference named `join.name`, or a new one (`init`, not stored yet) with the first participant's settings. */
function openConference(session: Session, accountSid: string, join: ConferenceJoin, at: number): { conference: ConferenceRecord; existing: boolean } {
  const live = liveConference(session, join.name);
  if (live) return { conference: live, existing: true };
  const conference: ConferenceRecord = {
    sid: newSid(SID_PREFIX.conference),
    accountSid,
    friendlyName: join.name,
    status: 'init',
    dateCreated: at,
    dateUpdated: at,
    reasonConferenceEnded: null,
    callSidEndingConference: null,
    statusCallback: join.statusCallback,
    statusCallbackMethod: join.statusCallbackMethod,
    statusCallbackEvents: join.statusCallbackEvents,
    sequence: 0,
    recording: join.recording ?? null,
  };
  return { conference, existing: false };
}

function saveConference(session: Session, conference: ConferenceRecord, existing: boolean): void {
  const table = session.collection<ConferenceRecord>(CONFERENCES);
  if (existing) table.update(conference);
  else table.insert(conference);
}

function saveParticipant(session: Session, p: ParticipantRecord): void {
  const table = session.collection<ParticipantRecord>(PARTICIPANTS);
  if (table.has(p.sid)) table.update(p);
  else table.insert(p);
}

class Change {
  callbacks: ConferenceCallback[] = [];
  constructor(
    public conference: ConferenceRecord,
    readonly at: number,
  ) {}

  emit(event: string, extra: FormParams): void {
    const c = this.conference;
    const seq = c.sequence;
    this.conference = { ...c, sequence: seq + 1 };
    if (!c.statusCallback || !c.statusCallbackEvents.includes(EVENT_OF[event]!)) return;
    const params: FormParams = {
      AccountSid: c.accountSid,
      ConferenceSid: c.sid,
      FriendlyName: c.friendlyName,
      SequenceNumber: String(seq),
      StatusCallbackEvent: event,
      Timestamp: rfc2822(this.at) ?? '',
      ...extra,
    };
    this.callbacks.push({ url: c.statusCallback, method: c.statusCallbackMethod, params, conferenceSid: c.sid });
  }

  participant(event: string, p: ParticipantRecord, extra: FormParams = {}): void {
    this.emit(event, {
      CallSid: p.callSid,
      Coaching: String(p.coaching ?? false),
      ...(p.callSidToCoach ? { CallSidToCoach: p.callSidToCoach } : {}),
      EndConferenceOnExit: String(p.endConferenceOnExit),
      Hold: String(p.hold),
      Muted: String(p.muted),
      StartConferenceOnEnter: String(p.startConferenceOnEnter),
      ...(p.label ? { ParticipantLabel: p.label } : {}),
      ...extra,
    });
  }
}

function newParticipant(conference: ConferenceRecord, join: ConferenceJoin, callSid: string, status: ParticipantRecord['status'], at: number): ParticipantRecord {
  return {
    sid: participantKey(conference.sid, callSid),
    accountSid: conference.accountSid,
    conferenceSid: conference.sid,
    callSid,
    label: join.label ?? null,
    muted: join.muted,
    hold: false,
    coaching: join.coaching ?? false,
    callSidToCoach: join.callSidToCoach ?? null,
    startConferenceOnEnter: join.startConferenceOnEnter,
    endConferenceOnExit: join.endConferenceOnExit,
    status,
    dateCreated: at,
    dateUpdated: at,
  };
}

/**
 * A participant added by REST, `queued` while its call is placed: in the live conference named
 * `join.name` (or `conference`, when the request named it by SID), else in a new one, `init`.
 */
export function inviteParticipant(session: Session, accountSid: string, join: ConferenceJoin, callSid: string, at: number, conference?: ConferenceRecord): { conference: ConferenceRecord; participant: ParticipantRecord } {
  const opened = conference ? { conference, existing: true } : openConference(session, accountSid, join, at);
  saveConference(session, opened.conference, opened.existing);
  const participant = newParticipant(opened.conference, join, callSid, 'queued', at);
  saveParticipant(session, participant);
  return { conference: opened.conference, participant };
}

/** A REST participant's call rang, or failed before answering (`failed`; a conference left with nobody ends quietly, UNCONFIRMED). */
export function participantCallStatus(session: Session, conferenceSid: string, callSid: string, status: 'ringing' | 'failed', at: number): void {
  const p = session.collection<ParticipantRecord>(PARTICIPANTS).get(participantKey(conferenceSid, callSid));
  if (!p || !isPresent(p) || p.status === 'connected') return;
  saveParticipant(session, { ...p, status, dateUpdated: at });
  const conference = session.collection<ConferenceRecord>(CONFERENCES).get(conferenceSid);
  if (status === 'failed' && conference?.status === 'init' && participants(session, conferenceSid, false).length === 0) {
    session.collection<ConferenceRecord>(CONFERENCES).update({ ...conference, status: 'completed', dateUpdated: at, reasonConferenceEnded: 'last-participant-left', callSidEndingConference: callSid });
  }
}

/**
 * Call `callSid` joins the conference `join` names (made if none of that name is live), or
 * `conferenceSid`'s when it was invited by REST.
 */
export function joinConference(session: Session, accountSid: string, join: ConferenceJoin, callSid: string, at: number, conferenceSid?: string): ConferenceChange & { participant: ParticipantRecord } {
  const invited = conferenceSid ? session.collection<ConferenceRecord>(CONFERENCES).get(conferenceSid) : undefined;
  const opened = invited ? { conference: invited, existing: true } : openConference(session, accountSid, join, at);
  const change = new Change(opened.conference, at);
  // The first participant to ask for a recording sets it (§7: the first participant's settings apply).
  const asksToRecord = !change.conference.recording && !!join.recording;
  if (asksToRecord) change.conference = { ...change.conference, recording: join.recording };
  const before = session.collection<ParticipantRecord>(PARTICIPANTS).get(participantKey(change.conference.sid, callSid));
  const participant = before && isPresent(before) ? { ...before, status: 'connected' as const, dateUpdated: at } : newParticipant(change.conference, join, callSid, 'connected', at);
  saveParticipant(session, participant);
  change.participant('participant-join', participant);
  const present = participants(session, change.conference.sid);
  let started = false;
  if (change.conference.status === 'init' && present.length >= 2 && present.some((p) => p.startConferenceOnEnter)) {
    change.conference = { ...change.conference, status: 'in-progress', dateUpdated: at };
    change.emit('conference-start', {});
    started = true;
  }
  saveConference(session, change.conference, opened.existing);
  const startRecording = !!change.conference.recording && (started || (asksToRecord && change.conference.status === 'in-progress'));
  return { conference: change.conference, callbacks: change.callbacks, released: [], participant, startRecording };
}

function end(session: Session, change: Change, reason: ConferenceEndReason, endingCallSid: string | null): ParticipantRecord[] {
  const released = participants(session, change.conference.sid, false).map((p) => ({ ...p, status: 'complete' as const, dateUpdated: change.at }));
  released.forEach((p) => session.collection<ParticipantRecord>(PARTICIPANTS).update(p));
  change.conference = { ...change.conference, status: 'completed', dateUpdated: change.at, reasonConferenceEnded: reason, callSidEndingConference: endingCallSid };
  change.emit('conference-end', { ReasonConferenceEnded: reason, ...(endingCallSid ? { CallSidEndingConference: endingCallSid } : {}) });
  return released;
}

/**
 * Call `callSid` leaves (it hung up, or was kicked by REST). The conference ends when the one who
 * left ends it on exit or was the last one; the others are then released.
 */
export function leaveConference(session: Session, conferenceSid: string, callSid: string, kicked: boolean, at: number): ConferenceChange | undefined {
  const conference = session.collection<ConferenceRecord>(CONFERENCES).get(conferenceSid);
  const key = participantKey(conferenceSid, callSid);
  const p = session.collection<ParticipantRecord>(PARTICIPANTS).get(key);
  if (!conference || !p || p.status !== 'connected') return undefined;
  const left = { ...p, status: 'complete' as const, dateUpdated: at };
  session.collection<ParticipantRecord>(PARTICIPANTS).update(left);
  const change = new Change({ ...conference, dateUpdated: at }, at);
  change.participant('participant-leave', left, { ReasonParticipantLeft: kicked ? 'participant_kicked' : 'participant_hung_up' });
  let released: ParticipantRecord[] = [];
  const rest = participants(session, conferenceSid);
  const ends = conference.status !== 'completed' && (left.endConferenceOnExit || rest.length === 0);
  if (ends) {
    const reason: ConferenceEndReason = left.endConferenceOnExit
      ? kicked ? 'participant-with-end-conference-on-exit-kicked' : 'participant-with-end-conference-on-exit-left'
      : kicked ? 'last-participant-kicked' : 'last-participant-left';
    released = end(session, change, reason, callSid);
  }
  session.collection<ConferenceRecord>(CONFERENCES).update(change.conference);
  return { conference: change.conference, callbacks: change.callbacks, released, ended: ends };
}

/** Ends a conference by REST (`Status=completed`): every participant is released. */
export function endConferenceByApi(session: Session, conference: ConferenceRecord, at: number): ConferenceChange {
  const change = new Change(conference, at);
  const ends = conference.status !== 'completed';
  const released = ends ? end(session, change, 'conference-ended-via-api', null) : [];
  session.collection<ConferenceRecord>(CONFERENCES).update(change.conference);
  return { conference: change.conference, callbacks: change.callbacks, released, ended: ends };
}

/** Changes a participant by REST; a connected one's changes raise their status callbacks. */
export function updateParticipant(session: Session, conference: ConferenceRecord, p: ParticipantRecord, changes: ParticipantChanges, at: number): ConferenceChange & { participant: ParticipantRecord } {
  const { next, events } = changeParticipant(p, changes, at);
  saveParticipant(session, next);
  const change = new Change(conference, at);
  if (next.status === 'connected') for (const event of events) change.participant(event, next);
  if (change.conference !== conference) session.collection<ConferenceRecord>(CONFERENCES).update(change.conference);
  return { conference: change.conference, callbacks: change.callbacks, released: [], participant: next };
}

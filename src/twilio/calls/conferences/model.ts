/**
 * Joining, leaving and ending conferences (twilio-voice-and-more.md §7): the data side. A
 * conference is `in-progress` once it has two participants and one of them starts it on entering;
 * it ends when a participant with `endConferenceOnExit` leaves or the last one leaves, or by REST.
 * Each change returns the status callback events it raises; the runner sends them and releases the
 * participants' calls (their `<Dial>` goes on with `DialCallStatus=answered`).
 */
import type { Session } from '../../../session/session';
import type { FormParams } from '../../../signing/signature';
import { newSid, SID_PREFIX } from '../../sid';
import { rfc2822 } from '../../wire';
import type { DialTarget } from '../verbs';
import { CONFERENCES, PARTICIPANTS, participantKey, type ConferenceEndReason, type ConferenceRecord, type ParticipantRecord } from './types';

type ConferenceTarget = Extract<DialTarget, { kind: 'conference' }>;

/** A conference status callback to send. */
export interface ConferenceCallback {
  url: string;
  method: 'GET' | 'POST';
  params: FormParams;
  conferenceSid: string;
}

/** What a change did: the callbacks it raises and the participants it set free (the conference ended). */
export interface ConferenceChange {
  conference: ConferenceRecord;
  callbacks: ConferenceCallback[];
  released: ParticipantRecord[];
}

/** `statusCallbackEvent` words and the `StatusCallbackEvent` values they subscribe to (§7). */
const EVENT_OF: Record<string, string> = {
  'conference-start': 'start',
  'conference-end': 'end',
  'participant-join': 'join',
  'participant-leave': 'leave',
};

function participants(session: Session, conferenceSid: string, connected = true): ParticipantRecord[] {
  return [...session.collection<ParticipantRecord>(PARTICIPANTS).list({ filter: (p) => p.conferenceSid === conferenceSid && (!connected || p.status === 'connected') })];
}

/** The live conference named `name`, if any. */
export function liveConference(session: Session, name: string): ConferenceRecord | undefined {
  return session.collection<ConferenceRecord>(CONFERENCES).find((c) => c.friendlyName === name && c.status !== 'completed');
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
    if (!c.statusCallback || !c.statusCallbackEvents.includes(EVENT_OF[event])) return;
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
      Coaching: 'false',
      EndConferenceOnExit: String(p.endConferenceOnExit),
      Hold: String(p.hold),
      Muted: String(p.muted),
      StartConferenceOnEnter: String(p.startConferenceOnEnter),
      ...(p.label ? { ParticipantLabel: p.label } : {}),
      ...extra,
    });
  }
}

/** Call `callSid` joins the conference `target` names (made if none of that name is live). */
export function joinConference(session: Session, accountSid: string, target: ConferenceTarget, callSid: string, at: number): ConferenceChange & { participant: ParticipantRecord } {
  const conferences = session.collection<ConferenceRecord>(CONFERENCES);
  const existing = liveConference(session, target.name);
  const conference: ConferenceRecord = existing ?? {
    sid: newSid(SID_PREFIX.conference),
    accountSid,
    friendlyName: target.name,
    status: 'init',
    dateCreated: at,
    dateUpdated: at,
    reasonConferenceEnded: null,
    callSidEndingConference: null,
    statusCallback: target.statusCallback,
    statusCallbackMethod: target.statusCallbackMethod,
    statusCallbackEvents: target.statusCallbackEvents,
    sequence: 0,
  };
  const participant: ParticipantRecord = {
    sid: participantKey(conference.sid, callSid),
    accountSid,
    conferenceSid: conference.sid,
    callSid,
    label: null,
    muted: target.muted,
    hold: false,
    startConferenceOnEnter: target.startConferenceOnEnter,
    endConferenceOnExit: target.endConferenceOnExit,
    status: 'connected',
    dateCreated: at,
    dateUpdated: at,
  };
  const table = session.collection<ParticipantRecord>(PARTICIPANTS);
  if (table.has(participant.sid)) table.update(participant);
  else table.insert(participant);
  const change = new Change(conference, at);
  change.participant('participant-join', participant);
  const present = participants(session, conference.sid);
  if (conference.status === 'init' && present.length >= 2 && present.some((p) => p.startConferenceOnEnter)) {
    change.conference = { ...change.conference, status: 'in-progress', dateUpdated: at };
    change.emit('conference-start', {});
  }
  if (existing) conferences.update(change.conference);
  else conferences.insert(change.conference);
  return { conference: change.conference, callbacks: change.callbacks, released: [], participant };
}

function end(session: Session, change: Change, reason: ConferenceEndReason, endingCallSid: string | null): ParticipantRecord[] {
  const released = participants(session, change.conference.sid).map((p) => ({ ...p, status: 'complete' as const, dateUpdated: change.at }));
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
  if (conference.status !== 'completed' && (left.endConferenceOnExit || rest.length === 0)) {
    const reason: ConferenceEndReason = left.endConferenceOnExit
      ? kicked ? 'participant-with-end-conference-on-exit-kicked' : 'participant-with-end-conference-on-exit-left'
      : kicked ? 'last-participant-kicked' : 'last-participant-left';
    released = end(session, change, reason, callSid);
  }
  session.collection<ConferenceRecord>(CONFERENCES).update(change.conference);
  return { conference: change.conference, callbacks: change.callbacks, released };
}

/** Ends a conference by REST (`Status=completed`): every participant is released. */
export function endConferenceByApi(session: Session, conference: ConferenceRecord, at: number): ConferenceChange {
  const change = new Change(conference, at);
  const released = conference.status === 'completed' ? [] : end(session, change, 'conference-ended-via-api', null);
  session.collection<ConferenceRecord>(CONFERENCES).update(change.conference);
  return { conference: change.conference, callbacks: change.callbacks, released };
}

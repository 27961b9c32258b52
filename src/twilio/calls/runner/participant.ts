/**
 * Participants added by REST (`POST …/Conferences/{ConferenceSid}/Participants.json`;
 * docs/voice/api/conference-participant-resource): Twilio dials `To` from `From` as a call of its
 * own (`outbound-api`, with its own status callbacks, timeout and time limit), and the call joins
 * the conference when answered, as `<Dial><Conference>` joins. Until then the participant is
 * `queued`, then `ringing`; a call that is never answered leaves it `failed` (no longer served).
 * Such a call runs no TwiML: when it leaves the conference (kicked, or the conference ends) it is
 * hung up, and when it hangs up it leaves.
 */
import { inviteParticipant, joinConference, participantCallStatus, type ConferenceJoin } from '../conferences/model';
import { CONFERENCES, PARTICIPANTS, participantKey, type ConferenceRecord, type ParticipantRecord } from '../conferences/types';
import type { ParticipantCreate } from '../conferences/participant-params';
import { isEnded } from '../lifecycle';
import { newCallRecord } from '../record';
import type { RecordingCallbackTarget } from '../recordings/types';
import { newSid, SID_PREFIX } from '../../sid';
import { CALLS, type CallRecord } from '../types';
import { applyConferenceChange, leaveConferenceOnEnd } from './conference';
import type { CallEngine } from './engine';
import { saveRun, type CallRun } from './run';
import { outcomeFor } from './settings';

/** Where a participant is added: the conference a SID named, or a friendly name (made when no live one has it). */
export interface ParticipantTarget {
  name: string;
  conference?: ConferenceRecord;
}

/** Adds a participant at `at`: its call is placed and rings per the seed's timeline. */
export function addParticipant(engine: CallEngine, target: ParticipantTarget, input: ParticipantCreate, recordingCallback: RecordingCallbackTarget | null, at: number): { conference: ConferenceRecord; participant: ParticipantRecord } {
  const callSid = newSid(SID_PREFIX.call);
  const { record: records, ...settings } = input.join;
  const join: ConferenceJoin = { ...settings, name: target.conference?.friendlyName ?? target.name, recording: records ? { callSid, callback: recordingCallback } : null };
  const { conference, participant } = inviteParticipant(engine.session, engine.session.accountSid, join, callSid, at, target.conference);
  const call = newCallRecord(
    {
      sid: callSid,
      accountSid: engine.session.accountSid,
      direction: 'outbound-api',
      to: input.to,
      from: input.from,
      statusCallback: input.statusCallback,
      statusCallbackMethod: input.statusCallbackMethod,
      statusCallbackEvents: input.statusCallbackEvents,
    },
    at,
  );
  engine.session.collection<CallRecord>(CALLS).insert(call);
  const run: CallRun = {
    sid: callSid,
    interp: null,
    fetchAt: {},
    transcript: [],
    alerts: [],
    outcome: outcomeFor(engine.settings, input.to, false),
    timeoutSec: input.timeoutSec,
    timeLimitSec: input.timeLimitSec,
    sendDigits: null,
    record: input.record,
    answeredAt: null,
    dial: null,
    leg: null,
    queue: null,
    participant: { conferenceSid: conference.sid, join },
  };
  saveRun(engine.session, run);
  engine.note(callSid, { kind: 'note', text: `dialled into conference "${conference.friendlyName}" (${conference.sid}) by REST` }, at);
  engine.scheduleDialing(call, run, at);
  return { conference, participant };
}

/** A REST participant's call moved: it rings, joins when answered, leaves or fails when it ends. */
export function participantCallMoved(engine: CallEngine, before: CallRecord, next: CallRecord, at: number): void {
  if (next.status === before.status) return;
  const link = engine.run(next.sid)?.participant;
  if (!link) return;
  const session = engine.session;
  if (next.status === 'ringing') return participantCallStatus(session, link.conferenceSid, next.sid, 'ringing', at);
  if (next.status === 'in-progress') {
    const conference = session.collection<ConferenceRecord>(CONFERENCES).get(link.conferenceSid);
    // The conference ended while the call rang: nothing to join, the call hangs up (UNCONFIRMED).
    if (!conference || conference.status === 'completed') return engine.book(next.sid, at, { step: 'hangup' });
    const change = joinConference(session, next.accountSid, link.join, next.sid, at, conference.sid);
    engine.note(next.sid, { kind: 'note', text: `joined conference "${conference.friendlyName}" (${conference.sid})` }, at);
    return applyConferenceChange(engine, change, at);
  }
  if (!isEnded(next)) return;
  if (before.status === 'in-progress') leaveConferenceOnEnd(engine, next.sid, link.conferenceSid, at, false);
  else participantCallStatus(session, link.conferenceSid, next.sid, 'failed', at);
}

/** REST DELETE of a participant whose call has not joined yet: the call is dropped (canceled). */
export function dropInvitedParticipant(engine: CallEngine, p: ParticipantRecord, at: number): void {
  const call = engine.call(p.callSid);
  if (call && !isEnded(call)) engine.life(call.sid, { type: 'cancel' }, at);
  const left = engine.session.collection<ParticipantRecord>(PARTICIPANTS).get(participantKey(p.conferenceSid, p.callSid));
  if (left && left.status !== 'failed' && left.status !== 'complete') participantCallStatus(engine.session, p.conferenceSid, p.callSid, 'failed', at);
}

/**
 * Conferences on the runner's side (twilio-voice-and-more.md §7): a call joins by `<Dial><Conference>`
 * (the conference is made or found by name) or as a participant added by REST (./participant.ts),
 * waits in it, and leaves when it hangs up, is kicked (REST DELETE of its participant) or the
 * conference ends (REST `Status=completed`, a participant with `endConferenceOnExit` leaving, the
 * last one leaving). A released `<Dial>` call's `<Dial>` ends with `DialCallStatus=answered` and no
 * `DialCallSid`; a released REST participant, which has no TwiML, is hung up. Conference status
 * callbacks go out for the subscribed events; a recorded conference's recording runs from its
 * start to its end.
 *
 * LIMITATIONS: the `waitUrl`, `holdUrl` and `announceUrl` are not run.
 */
import { endConferenceByApi, joinConference, leaveConference, type ConferenceChange, type ConferenceJoin } from '../conferences/model';
import type { ConferenceRecord } from '../conferences/types';
import { resolveUrl } from '../interpreter-run';
import type { CallRecord } from '../types';
import type { DialTarget } from '../verbs';
import { dialOver } from './dial';
import type { CallEngine } from './engine';
import { KIND } from './kinds';
import { startLiveRecording, stopLiveRecordings } from './live-recording';
import { updateRun } from './run';

/** Sends a change's callbacks, starts or ends the conference's recording, and lets the released calls go on. */
export function applyConferenceChange(engine: CallEngine, change: ConferenceChange, at: number): void {
  const c = change.conference;
  for (const cb of change.callbacks) {
    engine.ports.outbox.enqueue(engine.session, { kind: KIND.conference, url: cb.url, method: cb.method, params: cb.params, orderKey: cb.conferenceSid, refs: { conferenceSid: cb.conferenceSid } });
  }
  // A conference recording is mono, mixing everyone (live test logs: "Conference recording is always 1 channel").
  if (change.startRecording && c.recording) {
    startLiveRecording(engine, { accountSid: c.accountSid, callSid: c.recording.callSid, conferenceSid: c.sid, source: 'Conference', channels: 1, callback: c.recording.callback }, at);
  }
  if (change.ended) stopLiveRecordings(engine, (r) => r.conferenceSid === c.sid, at);
  for (const p of change.released) release(engine, p.callSid, c.sid, at);
}

/** Call `callSid` is out of conference `conferenceSid`: its `<Dial>` is over (answered), or, added by REST, it hangs up. */
function release(engine: CallEngine, callSid: string, conferenceSid: string, at: number): void {
  const run = engine.run(callSid);
  if (run?.participant?.conferenceSid === conferenceSid) {
    engine.life(callSid, { type: 'hangup' }, at);
    return;
  }
  const dial = run?.dial;
  if (dial?.conferenceSid !== conferenceSid) return;
  dialOver(engine, callSid, dial.token, 'answered', at);
}

/** The call joins the conference its `<Dial>` names. */
export function joinConferenceLeg(engine: CallEngine, call: CallRecord, target: Extract<DialTarget, { kind: 'conference' }>, at: number): void {
  const base = engine.run(call.sid)?.interp?.documentUrl ?? null;
  const url = (u: string | null | undefined) => (u ? resolveUrl(u, base) : null);
  const recordingCallback = url(target.recordingStatusCallback);
  const join: ConferenceJoin = {
    ...target,
    statusCallback: url(target.statusCallback),
    label: target.participantLabel ?? null,
    recording: target.record
      ? { callSid: call.sid, callback: recordingCallback ? { url: recordingCallback, method: target.recordingStatusCallbackMethod ?? 'POST', events: target.recordingStatusCallbackEvents ?? ['completed'] } : null }
      : null,
  };
  const change = joinConference(engine.session, call.accountSid, join, call.sid, at);
  updateRun(engine.session, call.sid, (r) => (r.dial ? { ...r, dial: { ...r.dial, conferenceSid: change.conference.sid } } : r));
  engine.note(call.sid, { kind: 'note', text: `joined conference "${target.name}" (${change.conference.sid})` }, at);
  applyConferenceChange(engine, change, at);
}

/** The call left (it hung up, or its `<Dial>` was ended); `release`: its own `<Dial>` goes on. */
export function leaveConferenceOnEnd(engine: CallEngine, callSid: string, conferenceSid: string, at: number, releaseSelf: boolean): void {
  const change = leaveConference(engine.session, conferenceSid, callSid, false, at);
  if (!change) return;
  engine.note(callSid, { kind: 'note', text: `left conference ${conferenceSid}` }, at);
  if (releaseSelf) release(engine, callSid, conferenceSid, at);
  applyConferenceChange(engine, change, at);
}

/** REST DELETE of a participant: the call is kicked out and goes on with its TwiML (one added by REST hangs up). */
export function kickParticipant(engine: CallEngine, conferenceSid: string, callSid: string, at: number): boolean {
  const change = leaveConference(engine.session, conferenceSid, callSid, true, at);
  if (!change) return false;
  engine.note(callSid, { kind: 'note', text: `removed from conference ${conferenceSid}` }, at);
  release(engine, callSid, conferenceSid, at);
  applyConferenceChange(engine, change, at);
  return true;
}

/** REST `Status=completed` on a conference: it ends, and every participant goes on with its TwiML. */
export function endConference(engine: CallEngine, conference: ConferenceRecord, at: number): ConferenceRecord {
  const change = endConferenceByApi(engine.session, conference, at);
  applyConferenceChange(engine, change, at);
  return change.conference;
}

/**
 * `<Dial><Conference>` on the runner's side (twilio-voice-and-more.md §7): a call joins (the
 * conference is made or found by name), waits in it, and leaves when it hangs up, is kicked
 * (REST DELETE of its participant) or the conference ends (REST `Status=completed`, a participant
 * with `endConferenceOnExit` leaving, the last one leaving). A released call's `<Dial>` ends with
 * `DialCallStatus=answered` and no `DialCallSid`. Conference status callbacks go out for the
 * subscribed `start`, `end`, `join` and `leave` events.
 *
 * LIMITATIONS: the `waitUrl` is not run, nobody is muted or held by REST, and conferences are
 * not recorded.
 */
import { endConferenceByApi, joinConference, leaveConference, type ConferenceChange } from '../conferences/model';
import type { ConferenceRecord } from '../conferences/types';
import { resolveUrl } from '../interpreter-run';
import type { CallRecord } from '../types';
import type { DialTarget } from '../verbs';
import { dialOver } from './dial';
import type { CallEngine } from './engine';
import { KIND } from './kinds';
import { updateRun } from './run';

/** Sends a change's callbacks and lets the released calls go on with their TwiML. */
function apply(engine: CallEngine, change: ConferenceChange, at: number): void {
  for (const cb of change.callbacks) {
    engine.ports.outbox.enqueue(engine.session, { kind: KIND.conference, url: cb.url, method: cb.method, params: cb.params, orderKey: cb.conferenceSid, refs: { conferenceSid: cb.conferenceSid } });
  }
  for (const p of change.released) release(engine, p.callSid, change.conference.sid, at);
}

/** Call `callSid` is out of conference `conferenceSid`: its `<Dial>` is over (answered). */
function release(engine: CallEngine, callSid: string, conferenceSid: string, at: number): void {
  const dial = engine.run(callSid)?.dial;
  if (dial?.conferenceSid !== conferenceSid) return;
  dialOver(engine, callSid, dial.token, 'answered', at);
}

/** The call joins the conference its `<Dial>` names. */
export function joinConferenceLeg(engine: CallEngine, call: CallRecord, target: Extract<DialTarget, { kind: 'conference' }>, at: number): void {
  const base = engine.run(call.sid)?.interp?.documentUrl ?? null;
  const statusCallback = target.statusCallback ? resolveUrl(target.statusCallback, base) : null;
  const change = joinConference(engine.session, call.accountSid, { ...target, statusCallback }, call.sid, at);
  updateRun(engine.session, call.sid, (r) => (r.dial ? { ...r, dial: { ...r.dial, conferenceSid: change.conference.sid } } : r));
  engine.note(call.sid, { kind: 'note', text: `joined conference "${target.name}" (${change.conference.sid})` }, at);
  apply(engine, change, at);
}

/** The call left (it hung up, or its `<Dial>` was ended); `release`: its own `<Dial>` goes on. */
export function leaveConferenceOnEnd(engine: CallEngine, callSid: string, conferenceSid: string, at: number, releaseSelf: boolean): void {
  const change = leaveConference(engine.session, conferenceSid, callSid, false, at);
  if (!change) return;
  engine.note(callSid, { kind: 'note', text: `left conference ${conferenceSid}` }, at);
  if (releaseSelf) release(engine, callSid, conferenceSid, at);
  apply(engine, change, at);
}

/** REST DELETE of a participant: the call is kicked out and goes on with its TwiML. */
export function kickParticipant(engine: CallEngine, conferenceSid: string, callSid: string, at: number): boolean {
  const change = leaveConference(engine.session, conferenceSid, callSid, true, at);
  if (!change) return false;
  engine.note(callSid, { kind: 'note', text: `removed from conference ${conferenceSid}` }, at);
  release(engine, callSid, conferenceSid, at);
  apply(engine, change, at);
  return true;
}

/** REST `Status=completed` on a conference: it ends, and every participant goes on with its TwiML. */
export function endConference(engine: CallEngine, conference: ConferenceRecord, at: number): ConferenceRecord {
  const change = endConferenceByApi(engine.session, conference, at);
  apply(engine, change, at);
  return change.conference;
}

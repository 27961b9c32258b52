/**
 * Live recordings on the runner's side: starting one (REST `POST …/Calls/{Sid}/Recordings`,
 * `Record=true`, a recorded conference), changing it (REST `Status=paused|in-progress|stopped`)
 * and ending it with its call or conference. The pure ../recordings/lifecycle.ts decides; this
 * stores the result and sends its status callbacks through the outbox, in the call's order (a
 * conference recording in the conference's).
 */
import { advance, startRecording, type NewLiveRecording, type RecordingEvent, type RecordingTransition } from '../recordings/lifecycle';
import { RECORDINGS, isLive, type RecordingRecord } from '../recordings/types';
import { newSid, SID_PREFIX } from '../../sid';
import type { CallEngine } from './engine';
import { KIND } from './kinds';

function carryOut(engine: CallEngine, { next, effects }: RecordingTransition): RecordingRecord {
  const refs: Record<string, string> = { callSid: next.callSid, recordingSid: next.sid };
  if (next.conferenceSid) refs.conferenceSid = next.conferenceSid;
  for (const e of effects) {
    engine.ports.outbox.enqueue(engine.session, { kind: KIND.recording, url: e.url, method: e.method, params: e.params, orderKey: next.conferenceSid ?? next.callSid, refs });
  }
  engine.ports.observe.statusChanged(engine.session, { resource: 'recording', sid: next.sid, status: next.status, at: next.dateUpdated });
  return next;
}

/** Starts a live recording at `at` and sends its `in-progress` callback if asked for. */
export function startLiveRecording(engine: CallEngine, init: Omit<NewLiveRecording, 'sid'>, at: number): RecordingRecord {
  const transition = startRecording({ ...init, sid: newSid(SID_PREFIX.recording) }, at);
  engine.session.collection<RecordingRecord>(RECORDINGS).insert(transition.next);
  return carryOut(engine, transition);
}

/** Applies `event` to a recording (21220 when it is no longer live); returns it as it stands after. */
export function changeRecording(engine: CallEngine, recording: RecordingRecord, event: RecordingEvent, at: number): RecordingRecord {
  const transition = advance(recording, event, at);
  if (transition.next === recording) return recording;
  engine.session.collection<RecordingRecord>(RECORDINGS).update(transition.next);
  return carryOut(engine, transition);
}

/** The live recordings `match` picks. */
export function liveRecordings(engine: CallEngine, match: (r: RecordingRecord) => boolean): RecordingRecord[] {
  return [...engine.session.collection<RecordingRecord>(RECORDINGS).list({ filter: (r) => isLive(r) && match(r) })];
}

/** Stops every live recording `match` picks (their call or conference ended); returns them completed. */
export function stopLiveRecordings(engine: CallEngine, match: (r: RecordingRecord) => boolean, at: number): RecordingRecord[] {
  return liveRecordings(engine, match).map((r) => changeRecording(engine, r, { type: 'stop' }, at));
}

/** A call ended: the recordings of the call itself end with it (a conference's go on). */
export function stopCallRecordings(engine: CallEngine, callSid: string, at: number): RecordingRecord[] {
  return stopLiveRecordings(engine, (r) => r.callSid === callSid && r.conferenceSid === null, at);
}

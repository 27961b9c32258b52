/**
 * `<Dial>` (twilio-voice-and-more.md §5.4): each `<Number>`/`<Client>`/`<Sip>` becomes a child
 * call (`outbound-dial`, `parent_call_sid` set, its own SID, status callbacks and timeline). Legs
 * ring together (or one after another with `sequential`); the first to answer is bridged and the
 * others are hung up; `answerOnBridge` answers a still-ringing parent then. When the bridged leg
 * ends the parent's `<Dial>` ends `completed`; when every leg ended unanswered it ends with the
 * last leg's status. The caller hanging up ends the legs. `<Conference>` and `<Queue>` nouns are
 * handed to ./conference.ts and ./queue.ts.
 *
 * LIMITATIONS: a leg's whisper `url` is not run; a dialled number the account owns does not ring
 * as an inbound call to that number; `DialCallStatus` of parallel legs that all fail is the last
 * leg's.
 */
import { findOwnedNumber } from '../../numbers/types';
import { newSid, SID_PREFIX } from '../../sid';
import type { DialCallStatus, DialLeg, InterpreterEffect, RecordingInfo } from '../interpreter-types';
import { resolveUrl } from '../interpreter-run';
import { isEnded } from '../lifecycle';
import { newCallRecord } from '../record';
import { CALLS, type CallRecord } from '../types';
import type { DialTarget } from '../verbs';
import { joinConferenceLeg, leaveConferenceOnEnd } from './conference';
import type { CallEngine } from './engine';
import { saveDialRecording } from './media';
import { dialQueue, releaseQueueMember } from './queue';
import { saveRun, updateRun, type CallRun, type DialRun } from './run';
import { outcomeFor } from './settings';

type DialLegEffect = Extract<InterpreterEffect, { type: 'dial-leg' }>;
/** A target that becomes a call of its own. */
type CallTarget = Exclude<DialTarget, { kind: 'conference' } | { kind: 'queue' }>;

/** The address a target is called at. */
function addressOf(target: CallTarget): string {
  if (target.kind === 'number') return target.number;
  if (target.kind === 'client') return `client:${target.identity}`;
  return target.uri;
}

/** The parent's `<Dial>` state for `token` (a new one when it is another `<Dial>`). */
function dialOf(run: CallRun, e: DialLegEffect): DialRun {
  if (run.dial?.token === e.token) return run.dial;
  return { token: e.token, queued: [], legs: [], bridged: null, bridgedAt: null, record: e.record };
}

/** A `dial-leg` effect of the interpreter: ring the target now, or after the legs before it (sequential). */
export function placeLeg(engine: CallEngine, parentSid: string, e: DialLegEffect, at: number): void {
  const run = engine.run(parentSid);
  const parent = engine.call(parentSid);
  if (!run || !parent || isEnded(parent)) return;
  const dial = dialOf(run, e);
  const { type: _t, token: _k, ...leg } = e;
  if (e.target.kind === 'conference') {
    saveRun(engine.session, { ...run, dial });
    return joinConferenceLeg(engine, parent, e.target, at);
  }
  if (e.target.kind === 'queue') {
    saveRun(engine.session, { ...run, dial });
    return dialQueue(engine, parent, e.target, at);
  }
  if (e.sequential && e.index > 0) {
    saveRun(engine.session, { ...run, dial: { ...dial, queued: [...dial.queued, leg] } });
    return;
  }
  saveRun(engine.session, { ...run, dial });
  startLeg(engine, parent, leg, at);
}

/** A `callerId` the account may show: one of its numbers, a verified caller ID, or a party of the call (§5.4, 13214). */
function allowedCallerId(engine: CallEngine, parent: CallRecord, callerId: string): boolean {
  return (
    callerId === parent.from ||
    callerId === parent.to ||
    !!findOwnedNumber(engine.session, callerId) ||
    engine.settings.verifiedCallerIds.includes(callerId)
  );
}

/** Places one leg: a child call, initiated now, ringing per the seed's timeline. */
function startLeg(engine: CallEngine, parent: CallRecord, leg: DialLeg, at: number): void {
  const parentRun = engine.run(parent.sid);
  const token = parentRun?.dial?.token;
  if (!parentRun || token === undefined) return;
  const target = leg.target as CallTarget;
  const to = addressOf(target);
  const callerId = leg.callerId ?? parent.from;
  if (leg.callerId && target.kind === 'number' && !allowedCallerId(engine, parent, leg.callerId)) {
    engine.alert(parent.sid, 13214, `Dial: Invalid callerId value: ${leg.callerId} is not a number of the account nor a verified caller ID`, at);
    return dialOver(engine, parent.sid, token, 'failed', at);
  }
  const base = parentRun.interp?.documentUrl ?? null;
  const statusCallback = target.statusCallback ? resolveUrl(target.statusCallback, base) : null;
  const child = newCallRecord(
    {
      sid: newSid(SID_PREFIX.call),
      accountSid: parent.accountSid,
      direction: 'outbound-dial',
      to,
      from: callerId,
      parentCallSid: parent.sid,
      statusCallback,
      statusCallbackMethod: target.statusCallbackMethod,
      statusCallbackEvents: target.statusCallbackEvents,
    },
    at,
  );
  engine.session.collection<CallRecord>(CALLS).insert(child);
  const run: CallRun = {
    sid: child.sid,
    interp: null,
    fetchAt: {},
    transcript: [],
    alerts: [],
    outcome: outcomeFor(engine.settings, to, true),
    timeoutSec: leg.timeout,
    timeLimitSec: leg.timeLimit,
    sendDigits: target.kind === 'number' || target.kind === 'sip' ? target.sendDigits : null,
    record: null,
    answeredAt: null,
    dial: null,
    leg: { parentSid: parent.sid, token, timeLimitSec: leg.timeLimit, answerOnBridge: leg.answerOnBridge },
    queue: null,
  };
  saveRun(engine.session, run);
  updateRun(engine.session, parent.sid, (r) => (r.dial ? { ...r, dial: { ...r.dial, legs: [...r.dial.legs, child.sid] } } : r));
  // Legs never show `queued` (§2): dialing starts at once.
  const initiated = engine.life(child.sid, { type: 'initiate' }, at) ?? child;
  engine.scheduleDialing(initiated, run, at);
}

/** The parent's `<Dial>` is over: its interpreter hears the result (ignored if it moved on). */
export function dialOver(engine: CallEngine, parentSid: string, token: number, status: DialCallStatus, at: number, detail: { callSid?: string; durationSec?: number; recording?: RecordingInfo } = {}): void {
  updateRun(engine.session, parentSid, (r) => (r.dial?.token === token ? { ...r, dial: null } : r));
  engine.interpret(parentSid, { type: 'dial-result', token, status, ...detail }, at);
}

/** A leg answered: bridged if it is the first, the other legs hung up, the parent answered on bridge. */
export function legAnswered(engine: CallEngine, leg: CallRecord, run: CallRun, at: number): void {
  const link = run.leg!;
  const parentRun = engine.run(link.parentSid);
  const dial = parentRun?.dial;
  if (!dial || dial.token !== link.token || dial.bridged) {
    engine.book(leg.sid, at, { step: 'hangup' }); // too late: another leg has it, or the Dial is over
    return;
  }
  updateRun(engine.session, link.parentSid, (r) => ({ ...r, dial: { ...dial, bridged: leg.sid, bridgedAt: at, queued: [] } }));
  for (const other of dial.legs) if (other !== leg.sid) engine.life(other, { type: 'hangup' }, at);
  const parent = engine.call(link.parentSid);
  if (link.answerOnBridge && parent && parent.status !== 'in-progress') engine.life(parent.sid, { type: 'answer' }, at);
  // The dialled party talks for a while, never past the Dial's timeLimit.
  const talkMs = Math.min(run.outcome.hangupAfterMs ?? engine.settings.talkMs, link.timeLimitSec * 1000);
  engine.book(leg.sid, at + talkMs, { step: 'hangup' });
  if (run.sendDigits) engine.note(leg.sid, { kind: 'play', url: null, digits: run.sendDigits, loop: 1 }, at);
}

/** A leg ended: the bridge is over, or the next sequential leg rings, or (all unanswered) the Dial ends. */
export function legEnded(engine: CallEngine, leg: CallRecord, run: CallRun, at: number): void {
  const link = run.leg!;
  const parentRun = engine.run(link.parentSid);
  const dial = parentRun?.dial;
  if (!parentRun || !dial || dial.token !== link.token) return;
  if (dial.bridged === leg.sid) {
    const recording = saveDialRecording(engine, link.parentSid, dial, leg, at);
    return dialOver(engine, link.parentSid, dial.token, 'completed', at, { callSid: leg.sid, durationSec: leg.duration ?? 0, recording });
  }
  if (dial.bridged) return; // a leg that lost the race
  const [next, ...queued] = dial.queued;
  const parent = engine.call(link.parentSid);
  if (next && parent && !isEnded(parent)) {
    updateRun(engine.session, link.parentSid, (r) => ({ ...r, dial: { ...dial, queued } }));
    return startLeg(engine, parent, next, at);
  }
  const calls = engine.session.collection<CallRecord>(CALLS);
  if (dial.legs.every((sid) => sid === leg.sid || isEnded(calls.get(sid) ?? leg))) {
    const status = (['busy', 'no-answer', 'failed', 'canceled'] as const).find((s) => s === leg.status) ?? 'failed';
    dialOver(engine, link.parentSid, dial.token, status, at, { callSid: leg.sid, durationSec: 0 });
  }
}

/** Ends the live legs of the parent's `<Dial>` `token` (hang-up on star, an update, the caller hanging up). */
export function endLegs(engine: CallEngine, parentSid: string, token: number, at: number): void {
  const dial = engine.run(parentSid)?.dial;
  if (!dial || dial.token !== token) return;
  if (dial.queued.length) updateRun(engine.session, parentSid, (r) => (r.dial ? { ...r, dial: { ...r.dial, queued: [] } } : r));
  for (const sid of dial.legs) engine.life(sid, { type: 'hangup' }, at);
  if (dial.conferenceSid) leaveConferenceOnEnd(engine, parentSid, dial.conferenceSid, at, true);
  if (dial.queueMember) releaseQueueMember(engine, parentSid, dial, at);
}

/** The parent call ended: whatever its `<Dial>` holds ends with it. */
export function parentEnded(engine: CallEngine, parent: CallRecord, run: CallRun, at: number): void {
  const dial = run.dial!;
  updateRun(engine.session, parent.sid, (r) => ({ ...r, dial: r.dial ? { ...r.dial, queued: [] } : null }));
  for (const sid of dial.legs) engine.life(sid, { type: 'hangup' }, at);
  if (dial.conferenceSid) leaveConferenceOnEnd(engine, parent.sid, dial.conferenceSid, at, false);
  if (dial.queueMember) releaseQueueMember(engine, parent.sid, dial, at);
}

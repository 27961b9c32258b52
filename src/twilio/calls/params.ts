/**
 * The form fields of voice webhooks (twilio-voice-and-more.md §3, §4): the standard set every TwiML
 * fetch, action request and status callback carries, and what a status callback adds. Keys come
 * out in alphabetical order, as in recent captures; unknown geography is sent as empty strings.
 * Pure.
 */
import type { FormParams } from '../../signing/signature';
import { rfc2822 } from '../wire';
import type { CallEvent, CallRecord, CallStatus } from './types';

/** Sorted copy of `p` (Twilio's recent captures list parameters alphabetically). */
function sorted(p: FormParams): FormParams {
  const out: FormParams = {};
  for (const key of Object.keys(p).sort()) out[key] = p[key];
  return out;
}

/**
 * The standard parameters of a voice webhook for `call` in its current status, plus `extra` (the
 * verb's own fields: `Digits`, `DialCallStatus`, `RecordingUrl`, `ErrorCode`, …). `Called*`/`Caller*`
 * are the legacy duplicates of `To*`/`From*` live captures still show (§4).
 */
export function voiceWebhookParams(call: CallRecord, extra: FormParams = {}): FormParams {
  const p: FormParams = {
    AccountSid: call.accountSid,
    ApiVersion: '2010-04-01',
    CallSid: call.sid,
    CallStatus: call.status,
    Called: call.to,
    CalledCity: call.toGeo.city,
    CalledCountry: call.toGeo.country,
    CalledState: call.toGeo.state,
    CalledZip: call.toGeo.zip,
    Caller: call.from,
    CallerCity: call.fromGeo.city,
    CallerCountry: call.fromGeo.country,
    CallerState: call.fromGeo.state,
    CallerZip: call.fromGeo.zip,
    Direction: call.direction,
    From: call.from,
    FromCity: call.fromGeo.city,
    FromCountry: call.fromGeo.country,
    FromState: call.fromGeo.state,
    FromZip: call.fromGeo.zip,
    To: call.to,
    ToCity: call.toGeo.city,
    ToCountry: call.toGeo.country,
    ToState: call.toGeo.state,
    ToZip: call.toGeo.zip,
  };
  if (call.parentCallSid) p.ParentCallSid = call.parentCallSid;
  if (call.forwardedFrom) p.ForwardedFrom = call.forwardedFrom;
  if (call.callerName) p.CallerName = call.callerName;
  // Synchronous AMD delays the first fetch until detection is done, and it carries the result (§8).
  if (call.machineDetection && call.answeredBy) p.AnsweredBy = call.answeredBy;
  return sorted({ ...p, ...extra });
}

/** The `CallStatus` a callback of `event` sends (§3: `answered` sends `in-progress`). */
export function callbackStatus(event: CallEvent, status: CallStatus): string {
  if (event === 'initiated') return 'initiated';
  if (event === 'ringing') return 'ringing';
  if (event === 'answered') return 'in-progress';
  return status;
}

/** Billable minutes of `seconds`, rounded up: the callback's `Duration` (a 49 s call is 1). */
export function billableMinutes(seconds: number): number {
  return Math.ceil(Math.max(0, seconds) / 60);
}

/**
 * The form fields of the status callback for `event` on `call` as it stands after the event
 * (its `dateUpdated` is the event's time), numbered `seq` (`SequenceNumber`, from 0).
 */
export function statusCallbackParams(call: CallRecord, event: CallEvent, seq: number): FormParams {
  const extra: FormParams = {
    CallStatus: callbackStatus(event, call.status),
    CallbackSource: 'call-progress-events',
    SequenceNumber: String(seq),
    Timestamp: rfc2822(call.dateUpdated) ?? '',
  };
  if (event === 'completed') {
    const seconds = call.duration ?? 0;
    extra.CallDuration = String(seconds);
    extra.Duration = String(billableMinutes(seconds));
    if (call.sipResponseCode !== null) extra.SipResponseCode = String(call.sipResponseCode);
    if (call.recording) {
      extra.RecordingUrl = call.recording.url;
      extra.RecordingSid = call.recording.sid;
      extra.RecordingDuration = String(call.recording.durationSec);
    }
  }
  return voiceWebhookParams(call, extra);
}

/** The async AMD result callback's fields (§8): `CallSid`, `AccountSid`, `AnsweredBy`, `MachineDetectionDuration`. */
export function amdCallbackParams(call: CallRecord, durationMs: number): FormParams {
  return sorted({
    AccountSid: call.accountSid,
    AnsweredBy: call.answeredBy ?? 'unknown',
    CallSid: call.sid,
    MachineDetectionDuration: String(Math.round(durationMs)),
  });
}

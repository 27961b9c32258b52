/**
 * Placing calls: an outbound call (the Calls API, Verify's `call` channel, a replayed create) is
 * stored `queued` with its interpreter and its dialing booked on the session clock; an inbound
 * call to one of the account's numbers starts `ringing` and fetches the number's `VoiceUrl` at
 * once (twilio-voice-and-more.md §2). Other resources place calls through these functions.
 */
import type { Session } from '../../session/session';
import { findOwnedNumber } from '../numbers/types';
import { newSid, SID_PREFIX } from '../sid';
import { newInterpreter } from './interpreter';
import type { TwimlSource } from './interpreter-types';
import { isEnded } from './lifecycle';
import { newCallRecord } from './record';
import { CallEngine, type CallPorts } from './runner/engine';
import { saveRun, type CallRecordingSettings, type CallRun } from './runner/run';
import { outcomeFor } from './runner/settings';
import { CALLS, type CallEvent, type CallRecord, type HttpMethod, type MachineDetection } from './types';

/** What an outbound call needs. */
export interface OutboundCall {
  to: string;
  from: string;
  twiml: TwimlSource;
  fallback: { url: string; method: HttpMethod } | null;
  statusCallback: string | null;
  statusCallbackMethod: HttpMethod;
  statusCallbackEvents: CallEvent[];
  timeoutSec: number;
  timeLimitSec: number;
  sendDigits: string | null;
  machineDetection: MachineDetection | null;
  record: CallRecordingSettings | null;
  /** Set for Verify's own calls. */
  verificationSid?: string;
  /** The SID to use (a replayed create keeps the served one). */
  sid?: string;
}

/** `to`: the callee whose seeded outcome applies; null for an inbound call (the caller stays on until the TwiML ends). */
function newRun(engine: CallEngine, sid: string, to: string | null, init: Pick<OutboundCall, 'timeoutSec' | 'timeLimitSec' | 'sendDigits' | 'record'>, interp: CallRun['interp']): CallRun {
  return {
    sid,
    interp,
    fetchAt: {},
    transcript: [],
    alerts: [],
    outcome: to === null ? { status: 'answered', afterMs: 0, answeredBy: 'human', hangupAfterMs: null, sipResponseCode: null } : outcomeFor(engine.settings, to, false),
    timeoutSec: init.timeoutSec,
    timeLimitSec: init.timeLimitSec,
    sendDigits: init.sendDigits,
    record: init.record,
    answeredAt: null,
    dial: null,
    leg: null,
    queue: null,
  };
}

/** Stores an outbound call created at `at` and books its dialing; returns it as created (`queued`). */
export function placeOutbound(engine: CallEngine, init: OutboundCall, at: number): CallRecord {
  const calls = engine.session.collection<CallRecord>(CALLS);
  const call: CallRecord = {
    ...newCallRecord(
      {
        sid: init.sid ?? calls.mintSid(SID_PREFIX.call),
        accountSid: engine.session.accountSid,
        direction: 'outbound-api',
        to: init.to,
        from: init.from,
        statusCallback: init.statusCallback,
        statusCallbackMethod: init.statusCallbackMethod,
        statusCallbackEvents: init.statusCallbackEvents,
        machineDetection: init.machineDetection,
      },
      at,
    ),
    ...(init.verificationSid ? { verificationSid: init.verificationSid } : {}),
  };
  calls.insert(call);
  // The person an outbound call's TwiML talks to is the callee: `<Sms>` texts them from the
  // account's number by default (the docs' "caller" and "called" of an inbound call; UNCONFIRMED).
  const party = { from: call.to, to: call.from };
  const interp = newInterpreter({ call: party, source: init.twiml, fallback: init.fallback, answered: true, options: engine.settings.interpreter });
  const run = newRun(engine, call.sid, call.to, init, interp);
  saveRun(engine.session, run);
  engine.scheduleDialing(call, run, at);
  return call;
}

/** What `call.inbound` gives: who calls which number of the account. */
export interface InboundCall {
  from: string;
  to: string;
  callerName?: string | null;
  forwardedFrom?: string | null;
}

/**
 * What Twilio runs for a number with no voice URL: its demo greeting (the wording is
 * UNCONFIRMED; a number bought without a URL points at Twilio's demo).
 */
const NO_VOICE_URL = '<Response><Say>Thanks for the call. Configure your number\'s voice U R L to change this message.</Say></Response>';

/** An inbound call to an owned number, ringing at `at` while its TwiML is fetched. Undefined when the account does not own `to`. */
export function placeInbound(engine: CallEngine, init: InboundCall, at: number): CallRecord | undefined {
  const number = findOwnedNumber(engine.session, init.to);
  if (!number) return undefined;
  const calls = engine.session.collection<CallRecord>(CALLS);
  const call = newCallRecord(
    {
      sid: calls.mintSid(SID_PREFIX.call),
      accountSid: engine.session.accountSid,
      direction: 'inbound',
      to: number.phoneNumber,
      from: init.from,
      phoneNumberSid: number.sid,
      statusCallback: number.statusCallback || null,
      statusCallbackMethod: number.statusCallbackMethod === 'GET' ? 'GET' : 'POST',
      callerName: init.callerName ?? null,
      forwardedFrom: init.forwardedFrom ?? null,
    },
    at,
  );
  calls.insert(call);
  const method = (m: string): HttpMethod => (m === 'GET' ? 'GET' : 'POST');
  const source: TwimlSource = number.voiceUrl ? { kind: 'url', url: number.voiceUrl, method: method(number.voiceMethod) } : { kind: 'inline', xml: NO_VOICE_URL };
  const fallback = number.voiceFallbackUrl ? { url: number.voiceFallbackUrl, method: method(number.voiceFallbackMethod) } : null;
  const interp = newInterpreter({ call: { from: call.from, to: call.to }, source, fallback, answered: false, options: engine.settings.interpreter });
  saveRun(engine.session, newRun(engine, call.sid, null, { timeoutSec: 60, timeLimitSec: 14_400, sendDigits: null, record: null }, interp));
  engine.ports.observe.statusChanged(engine.session, { resource: 'call', sid: call.sid, status: 'ringing', at });
  engine.interpret(call.sid, { type: 'incoming' }, at);
  return call;
}

/**
 * Verify's `call` channel: a call from Twilio's own number that reads the code out
 * (twilio-api.md §6; Verify reads the digits one by one). It is not the account's call.
 */
export function placeVerifyCall(ports: CallPorts, session: Session, verificationSid: string, to: string, text: string, at: number): CallRecord {
  const xml = `<Response><Say>${escapeXml(text)}</Say><Pause length="1"/><Say>${escapeXml(text)}</Say></Response>`;
  return CallEngine.run(ports, session, (engine) =>
    placeOutbound(
      engine,
      {
        to,
        from: VERIFY_CALLER_ID,
        twiml: { kind: 'inline', xml },
        fallback: null,
        statusCallback: null,
        statusCallbackMethod: 'POST',
        statusCallbackEvents: [],
        timeoutSec: 60,
        timeLimitSec: 14_400,
        sendDigits: null,
        machineDetection: null,
        record: null,
        verificationSid,
      },
      at,
    ),
  );
}

/** `verify.delivery_failed` on the `call` channel: the newest live call of the verification fails (or hangs up if answered). */
export function failVerifyCall(ports: CallPorts, session: Session, verificationSid: string, at: number): void {
  const calls = [...session.collection<CallRecord>(CALLS).list({ newestFirst: true, filter: (c) => c.verificationSid === verificationSid && !isEnded(c) })];
  const call = calls[0];
  if (!call) return;
  CallEngine.run(ports, session, (engine) => engine.life(call.sid, call.status === 'in-progress' ? { type: 'hangup' } : { type: 'fail' }, at));
}

/** The caller ID Verify's calls show (Twilio's own number; any number of Twilio's would do). */
export const VERIFY_CALLER_ID = '+15005550006';

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

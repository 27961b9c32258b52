/**
 * What a served recording does to Calls' state (the replay hooks). A replayed call becomes the
 * emulator's CallRecord (created, fetched, listed, updated; a replayed delete removes it), and a
 * replayed status callback (`CallSid` + `CallStatus`, `CallbackSource=call-progress-events`) moves
 * its call through the lifecycle, so a later fetch or list agrees with what the replay served and
 * sent. With recorded callbacks a replayed call has no timeline of its own and sends nothing
 * itself (the recording's callbacks are its timeline). A cassette recorded without callbacks gives
 * a created call the emulator's whole life instead: it rings, is answered, fetches and runs its
 * TwiML from the app, and sends its own signed callbacks.
 */
import type { ApplyContext, CallbackClaim, ReplayHooks, ServedAnswer } from '../../core/resource-module';
import type { Session } from '../../session/session';
import type { FormParams } from '../../signing/signature';
import { TwilioError } from '../errors';
import type { Params } from '../form';
import { webhookGeo } from '../numbers/geo';
import { dateOf, isObject, isSuccess, listItems } from '../representation';
import { readCreate } from './create';
import type { CallLifecycleEvent } from './lifecycle';
import { placeOutbound } from './place';
import { CallEngine, type CallPorts } from './runner/engine';
import { KIND } from './runner/kinds';
import { CALL_RUNS } from './runner/run';
import { applyRecordingCallback, applyVoiceServed } from './voice-replay';
import { CALLS, type AnsweredBy, type CallDirection, type CallRecord, type CallStatus } from './types';

const LIST = /^\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/Calls\.json$/;
const ONE = /^\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/Calls\/(CA[0-9a-f]{32})\.json$/;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function geo(party: string) {
  return party.startsWith('+') ? webhookGeo(party) : { city: '', state: '', zip: '', country: '' };
}

/** A CallRecord from a served representation, keeping what only the emulator knows. */
function callFromJson(json: Record<string, unknown>, prev: CallRecord | undefined, served: ServedAnswer): CallRecord {
  const created = dateOf(json.date_created, prev?.dateCreated ?? served.now);
  const to = str(json.to) ?? prev?.to ?? '';
  const from = str(json.from) ?? prev?.from ?? '';
  const status = (str(json.status) ?? prev?.status ?? 'queued') as CallStatus;
  return {
    sid: String(json.sid),
    accountSid: str(json.account_sid) ?? prev?.accountSid ?? '',
    parentCallSid: str(json.parent_call_sid),
    to,
    from,
    toGeo: prev?.toGeo ?? geo(to),
    fromGeo: prev?.fromGeo ?? geo(from),
    phoneNumberSid: str(json.phone_number_sid),
    status,
    direction: (str(json.direction) ?? prev?.direction ?? 'outbound-api') as CallDirection,
    initiated: status !== 'queued' || (prev?.initiated ?? false),
    answeredBy: str(json.answered_by) as AnsweredBy | null,
    callerName: str(json.caller_name),
    forwardedFrom: str(json.forwarded_from),
    dateCreated: created,
    dateUpdated: dateOf(json.date_updated, prev?.dateUpdated ?? created),
    startTime: dateOf(json.start_time, null) ?? prev?.startTime ?? null,
    endTime: dateOf(json.end_time, null) ?? prev?.endTime ?? null,
    duration: json.duration === null || json.duration === undefined ? (prev?.duration ?? null) : Number(json.duration),
    price: str(json.price) ?? prev?.price ?? null,
    priceUnit: str(json.price_unit) ?? 'USD',
    sipResponseCode: prev?.sipResponseCode ?? null,
    // The recording's callbacks are this call's: the emulator sends none of its own.
    statusCallback: null,
    statusCallbackMethod: 'POST',
    statusCallbackEvents: [],
    sequence: prev?.sequence ?? 0,
    machineDetection: prev?.machineDetection ?? null,
    recording: prev?.recording ?? null,
  };
}

function upsert(session: Session, json: Record<string, unknown>, served: ServedAnswer): void {
  if (typeof json.sid !== 'string') return;
  const calls = session.collection<CallRecord>(CALLS);
  const prev = calls.get(json.sid);
  const next = callFromJson(json, prev, served);
  if (prev) calls.update(next);
  else calls.insert(next);
}

function formOf(served: ServedAnswer): Params {
  const out: Params = {};
  for (const [k, v] of served.form) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** A served create of a cassette without callbacks: the call lives the emulator's life. */
function placeServed(ports: CallPorts, session: Session, json: Record<string, unknown>, served: ServedAnswer): boolean {
  if (typeof json.sid !== 'string') return false;
  try {
    // Whoever made the recording could call from its numbers: only the request's own form is checked.
    const input = readCreate(formOf(served), { ownsCallerId: () => true, application: () => null });
    CallEngine.run(ports, session, (engine) => placeOutbound(engine, { ...input, sid: json.sid as string }, served.now));
    return true;
  } catch (err) {
    if (err instanceof TwilioError) return false;
    throw err;
  }
}

function applyCall(ports: CallPorts, session: Session, served: ServedAnswer, ctx: ApplyContext): boolean {
  const one = ONE.exec(served.path);
  if (!one && !LIST.test(served.path)) return false;
  if (one && (served.status === 404 || (served.method === 'DELETE' && isSuccess(served.status)))) {
    session.collection<CallRecord>(CALLS).delete(one[1]);
    session.collection(CALL_RUNS).delete(one[1]);
    return true;
  }
  if (!isSuccess(served.status)) return true;
  if (!one && served.method === 'GET') listItems(served.body, 'calls').forEach((c) => upsert(session, c, served));
  else if (isObject(served.body)) {
    const created = !one && served.method === 'POST';
    if (!(created && ctx.synthesiseCallbacks && placeServed(ports, session, served.body, served))) upsert(session, served.body, served);
  }
  return true;
}

/** The lifecycle events that take a call to the status a callback reports. */
function eventsTo(call: CallRecord, status: string): CallLifecycleEvent[] {
  switch (status) {
    case 'initiated': return [{ type: 'initiate' }];
    case 'ringing': return [{ type: 'ring' }];
    case 'in-progress': return [{ type: 'answer' }];
    case 'completed': return call.status === 'in-progress' ? [{ type: 'hangup' }] : [{ type: 'answer' }, { type: 'hangup' }];
    case 'busy': return [{ type: 'busy' }];
    case 'no-answer': return [{ type: 'no-answer' }];
    case 'failed': return [{ type: 'fail' }];
    case 'canceled': return [{ type: 'cancel' }];
    default: return [];
  }
}

/** A replayed callback about a call of the session: its status moves through the lifecycle. */
function applyCallback(ports: CallPorts, session: Session, params: FormParams, at: number): CallbackClaim | undefined {
  const pick = (k: string) => (Array.isArray(params[k]) ? (params[k] as string[])[0] : (params[k] as string | undefined));
  const sid = pick('CallSid');
  if (!sid || pick('MessageSid') || pick('SmsSid')) return undefined;
  const refs = { callSid: sid };
  if (pick('RecordingSid') && pick('RecordingStatus')) {
    applyRecordingCallback(session, pick('RecordingSid')!, pick('RecordingStatus')!, pick('RecordingDuration'), at);
    return { kind: KIND.recording, orderKey: pick('ConferenceSid') ?? sid, refs };
  }
  if (pick('AnsweredBy') && pick('MachineDetectionDuration')) return { kind: KIND.amd, orderKey: sid, refs };
  if (pick('CallbackSource') !== 'call-progress-events') return { kind: KIND.twiml, orderKey: `${sid}:twiml`, refs };
  const call = session.collection<CallRecord>(CALLS).get(sid);
  const status = pick('CallStatus');
  if (call && status) {
    CallEngine.run(ports, session, (engine) => {
      for (const event of eventsTo(call, status)) {
        if (event.type === 'initiate' && (call.initiated || call.status !== 'queued')) continue;
        engine.life(sid, event, at);
      }
    });
  }
  return { kind: KIND.status, orderKey: sid, refs };
}

/** Calls' replay hooks. */
export function callReplay(ports: CallPorts): ReplayHooks {
  return {
    apply: (session, served, ctx) => applyCall(ports, session, served, ctx) || applyVoiceServed(session, served),
    callback: (session, params, at) => applyCallback(ports, session, params, at),
  };
}

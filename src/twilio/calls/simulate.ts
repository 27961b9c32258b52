/**
 * Driving calls from a test (`POST /_mirra/simulate`): the callee's outcome of a call not answered
 * yet (`call.answered|busy|no-answer|failed|machine`), caller input for a running `<Gather>` or
 * `<Record>` (`call.digits`, `call.speech`), a hang-up (`call.hangup`), and a call to one of the
 * account's numbers (`call.inbound`). Each event applies at the session clock's "now"; an outcome
 * replaces the rest of the call's own timeline.
 */
import type { SimulateHandler } from '../../core/resource-module';
import { MirraError } from '../../errors';
import type { Session } from '../../session/session';
import { toE164 } from '../phone';
import { isEnded } from './lifecycle';
import { placeInbound } from './place';
import { renderCall } from './render';
import { CallEngine, type CallPorts } from './runner/engine';
import { updateRun } from './runner/run';
import { CALLS, type AnsweredBy, type CallRecord } from './types';

const ANSWERED_BY: readonly AnsweredBy[] = ['human', 'machine_start', 'machine_end_beep', 'machine_end_silence', 'machine_end_other', 'fax', 'unknown'];

function str(body: Record<string, unknown>, key: string): string | undefined {
  return typeof body[key] === 'string' && body[key] !== '' ? (body[key] as string) : undefined;
}

function callOf(session: Session, body: Record<string, unknown>): CallRecord {
  const sid = str(body, 'callSid') ?? str(body, 'sid') ?? '';
  const call = session.collection<CallRecord>(CALLS).get(sid);
  if (!call) throw new MirraError('MIRRA_ERR_NOT_FOUND', `call ${sid || '(no callSid given)'}`);
  return call;
}

function refuse(call: CallRecord, what: string): never {
  throw new MirraError('MIRRA_ERR_INVALID_TRANSITION', `call ${call.sid} is ${call.status}: ${what}`);
}

function answeredByOf(body: Record<string, unknown>, fallback: AnsweredBy): AnsweredBy {
  const v = str(body, 'answeredBy') ?? fallback;
  if (!ANSWERED_BY.includes(v as AnsweredBy)) throw new MirraError('MIRRA_ERR_BAD_REQUEST', `answeredBy is one of ${ANSWERED_BY.join(', ')}`);
  return v as AnsweredBy;
}

/** Runs `fn` on the call named by the event and answers with the call as it stands after it. */
function onCall(ports: CallPorts, fn: (engine: CallEngine, call: CallRecord, now: number, body: Record<string, unknown>) => void): SimulateHandler {
  return (session, body) => {
    const call = callOf(session, body);
    const now = session.clock.now();
    const after = CallEngine.run(ports, session, (engine) => {
      fn(engine, call, now, body);
      return engine.call(call.sid) ?? call;
    });
    return { call: renderCall(after) };
  };
}

/** An outcome of a call that is not answered yet. */
function outcome(ports: CallPorts, type: 'answered' | 'busy' | 'no-answer' | 'failed'): SimulateHandler {
  return onCall(ports, (engine, call, now, body) => {
    if (isEnded(call) || call.status === 'in-progress') refuse(call, `it cannot be ${type} any more`);
    engine.cancelDialing(call.sid);
    if (type === 'answered') {
      const answeredBy = call.machineDetection ? answeredByOf(body, 'human') : undefined;
      if (answeredBy) updateRun(engine.session, call.sid, (r) => ({ ...r, outcome: { ...r.outcome, answeredBy } }));
      engine.life(call.sid, { type: 'answer', answeredBy: call.machineDetection?.asyncCallback ? undefined : answeredBy }, now);
    } else if (type === 'failed') engine.life(call.sid, { type: 'fail' }, now);
    else engine.life(call.sid, { type }, now);
  });
}

/** `call.machine`: a machine answers (or, on an answered call with async detection, is detected now). */
function machine(ports: CallPorts): SimulateHandler {
  return onCall(ports, (engine, call, now, body) => {
    const answeredBy = answeredByOf(body, call.machineDetection?.mode === 'DetectMessageEnd' ? 'machine_end_beep' : 'machine_start');
    updateRun(engine.session, call.sid, (r) => ({ ...r, outcome: { ...r.outcome, answeredBy } }));
    if (call.status === 'queued' || call.status === 'ringing') {
      engine.cancelDialing(call.sid);
      engine.life(call.sid, { type: 'answer', answeredBy: call.machineDetection?.asyncCallback ? undefined : answeredBy }, now);
    } else if (call.status === 'in-progress' && call.answeredBy === null) {
      engine.life(call.sid, { type: 'machine-detected', answeredBy, durationMs: engine.settings.detectionMs }, now);
    } else refuse(call, 'answering machine detection is over');
  });
}

/** `call.digits` / `call.speech`: the caller answers a `<Gather>` (or talks into a `<Record>`). */
function input(ports: CallPorts, kind: 'digits' | 'speech'): SimulateHandler {
  return onCall(ports, (engine, call, now, body) => {
    if (isEnded(call)) refuse(call, 'nobody is on the line');
    if (kind === 'digits') {
      const digits = str(body, 'digits');
      if (!digits || !/^[0-9*#]+$/.test(digits)) throw new MirraError('MIRRA_ERR_BAD_REQUEST', 'digits is a string of 0-9, * and #');
      engine.interpret(call.sid, { type: 'digits', digits }, now);
    } else {
      const speech = str(body, 'speech');
      if (!speech) throw new MirraError('MIRRA_ERR_BAD_REQUEST', 'speech is the text the caller says');
      const confidence = body.confidence === undefined ? undefined : Number(body.confidence);
      if (confidence !== undefined && !(confidence >= 0 && confidence <= 1)) throw new MirraError('MIRRA_ERR_BAD_REQUEST', 'confidence is between 0 and 1');
      engine.interpret(call.sid, { type: 'speech', text: speech, confidence }, now);
    }
  });
}

/** `call.inbound`: someone calls one of the account's numbers. */
function inbound(ports: CallPorts): SimulateHandler {
  return (session, body) => {
    const from = str(body, 'from');
    const to = str(body, 'to');
    if (!from || !to) throw new MirraError('MIRRA_ERR_BAD_REQUEST', 'call.inbound needs from and to');
    const toNumber = toE164(to);
    if (!toNumber) throw new MirraError('MIRRA_ERR_BAD_REQUEST', `to is not a phone number: ${to}`);
    const fromParty = toE164(from) ?? from;
    const now = session.clock.now();
    const call = CallEngine.run(ports, session, (engine) =>
      placeInbound(engine, { from: fromParty, to: toNumber, callerName: str(body, 'callerName'), forwardedFrom: str(body, 'forwardedFrom') }, now),
    );
    if (!call) throw new MirraError('MIRRA_ERR_NOT_FOUND', `number ${toNumber} of this account`, 'call one of the numbers the session owns (its seed, or bought through IncomingPhoneNumbers)');
    return { call: renderCall(call) };
  };
}

/** The calls module's simulate events. */
export function callSimulate(ports: CallPorts): Record<string, SimulateHandler> {
  return {
    'call.answered': outcome(ports, 'answered'),
    'call.busy': outcome(ports, 'busy'),
    'call.no-answer': outcome(ports, 'no-answer'),
    'call.failed': outcome(ports, 'failed'),
    'call.machine': machine(ports),
    'call.digits': input(ports, 'digits'),
    'call.speech': input(ports, 'speech'),
    'call.hangup': onCall(ports, (engine, call, now) => {
      if (isEnded(call)) refuse(call, 'it has ended already');
      engine.life(call.sid, { type: 'hangup' }, now);
    }),
    'call.inbound': inbound(ports),
  };
}

/**
 * One step of a call's TwiML interpreter and its effects: the step's transcript and alerts are
 * stored with the new state first, then each effect is carried out in order — fetches through the
 * outbox (signed, with the standard voice parameters, §4), waits as scheduler tasks, answers and
 * hang-ups through the lifecycle, legs, recordings, messages and queues by the runner's parts.
 */
import type { Delivery } from '../../../callbacks/dispatcher';
import { TWIML_ALERTS } from '../../twiml/alerts';
import { step } from '../interpreter';
import type { InterpreterEffect, InterpreterEvent } from '../interpreter-types';
import { voiceWebhookParams } from '../params';
import { endLegs, placeLeg } from './dial';
import type { CallEngine } from './engine';
import { KIND, TWIML_RESPONSE, WAIT_TASK, type WaitRef } from './kinds';
import { saveVerbRecording, sendFromCall } from './media';
import { enqueueCall, leaveQueue } from './queue';
import { newAlert, saveRun, type CallAlert } from './run';

function levelOf(code: number): CallAlert['level'] {
  return (TWIML_ALERTS as Record<number, { level: CallAlert['level'] }>)[code]?.level ?? 'error';
}

/** Applies `event` to call `sid`'s interpreter at `at` and carries out what it asks for. */
export function stepInterpreter(engine: CallEngine, sid: string, event: InterpreterEvent, at: number, delivery?: Delivery): void {
  const run = engine.run(sid);
  if (!run?.interp) return;
  const { next, effects } = step(run.interp, event, at);
  if (next === run.interp && effects.length === 0) return;
  const transcript = [...run.transcript];
  const alerts = [...run.alerts];
  for (const e of effects) {
    if (e.type === 'transcript') transcript.push(e.entry);
    if (e.type === 'alert') {
      alerts.push(newAlert(e.code, e.message, at, levelOf(e.code), delivery));
      // A problem with a fetched document belongs on that delivery's log entry too (§9.2).
      if (delivery) engine.ports.outbox.recordError(engine.session, delivery, { code: e.code, message: e.message });
    }
  }
  saveRun(engine.session, { ...run, interp: next, transcript, alerts });
  for (const e of effects) carryOut(engine, sid, e, at);
}

function carryOut(engine: CallEngine, sid: string, e: InterpreterEffect, at: number): void {
  switch (e.type) {
    case 'transcript':
    case 'alert':
    case 'start-recording': // nothing to do until it stops: mirra records no audio
      return;
    case 'fetch-twiml':
      return fetch(engine, sid, e, at);
    case 'wait':
      engine.ports.schedule.schedule(engine.session, at + e.ms, WAIT_TASK, { sid, event: e.then } satisfies WaitRef);
      return;
    case 'answer':
      engine.life(sid, { type: 'answer' }, at);
      return;
    case 'hang-up':
      engine.life(sid, { type: 'hangup' }, at);
      return;
    case 'reject':
      engine.life(sid, { type: 'reject', reason: e.reason }, at);
      return;
    case 'dial-leg':
      return placeLeg(engine, sid, e, at);
    case 'end-dial':
      return endLegs(engine, sid, e.token, at);
    case 'stop-recording':
      return saveVerbRecording(engine, sid, e, at);
    case 'send-message':
      return sendFromCall(engine, sid, e, at);
    case 'enqueue':
      return enqueueCall(engine, sid, e, at);
    case 'leave-queue':
      return leaveQueue(engine, sid);
  }
}

/** Requests a document (or notifies an action whose answer is not run) with the call as it stands. */
function fetch(engine: CallEngine, sid: string, e: Extract<InterpreterEffect, { type: 'fetch-twiml' }>, at: number): void {
  const call = engine.call(sid);
  if (!call) return;
  const params = voiceWebhookParams(call, e.params) as Record<string, string>;
  // Fetches have their own lane: a status callback waiting for a retry must not hold the call's TwiML.
  const delivery = engine.send(call, KIND.twiml, e.url, e.method, params, { orderKey: `${sid}:twiml`, onResponse: e.ignoreResponse ? undefined : TWIML_RESPONSE });
  if (e.ignoreResponse) return;
  const run = engine.run(sid);
  if (run) saveRun(engine.session, { ...run, fetchAt: { ...run.fetchAt, [delivery.id]: { token: e.token, at } } });
}

/**
 * What the answers to a call's webhooks do (the module's `responses` handlers): a TwiML fetch's
 * answer runs at the instant the fetch was made; a status callback answered 4xx/5xx is Twilio's
 * warning 15003 on the call (twilio-voice-and-more.md §3, §9.1).
 */
import type { Delivery } from '../../../callbacks/dispatcher';
import type { AttemptResult } from '../../../callbacks/send';
import type { InterpreterEvent } from '../interpreter-types';
import type { CallEngine } from './engine';
import { updateRun } from './run';

/** The answer to a TwiML fetch: run at the instant the fetch was made. */
export function twimlFetched(engine: CallEngine, delivery: Delivery, result: AttemptResult): void {
  const sid = delivery.refs?.callSid;
  const run = sid ? engine.run(sid) : undefined;
  const pending = run?.fetchAt[delivery.id];
  if (!sid || !run || !pending) return;
  const { [delivery.id]: _done, ...rest } = run.fetchAt;
  updateRun(engine.session, sid, (r) => ({ ...r, fetchAt: rest }));
  const status = result.statusCode;
  let event: InterpreterEvent;
  if (result.failure) {
    // 11205: no connection; 11200: any other retrieval failure (4xx/5xx, read timeout) (§9.1).
    const reason = status !== undefined ? `HTTP ${status}` : (result.error ?? 'no response');
    event = { type: 'twiml-fetch-failed', token: pending.token, code: result.failure === 'ct' ? 11205 : 11200, message: `${reason} from ${delivery.url}` };
  } else if (status !== undefined && status >= 300 && status < 400) {
    event = { type: 'twiml-fetch-failed', token: pending.token, code: 11200, message: `HTTP ${status} from ${delivery.url} (mirra does not follow redirects)` };
  } else {
    event = { type: 'twiml-fetched', token: pending.token, body: result.body ?? '', contentType: result.contentType };
  }
  engine.interpret(sid, event, pending.at, delivery);
}

/** A status callback's answer: a 4xx/5xx is Twilio's warning 15003 on the call (§3). */
export function statusCallbackAnswered(engine: CallEngine, delivery: Delivery, result: AttemptResult): void {
  const sid = delivery.refs?.callSid;
  if (!sid || result.statusCode === undefined || result.statusCode < 400) return;
  const message = `Call Progress: Warning Response to Callback URL: HTTP ${result.statusCode} from ${delivery.url}`;
  engine.alert(sid, 15003, message, engine.session.clock.now(), delivery);
}

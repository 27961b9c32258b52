/**
 * The call state machine: every path of §2 (completed, busy, no-answer, failed, canceled before
 * answer, API hang-ups, machine detection), the timing fields as Twilio fills them, and the status
 * callbacks with their exact key sets (§3, §4).
 */
import { webhookGeo } from '../../src/twilio/numbers/geo';
import { advance, canMoveCall, InvalidCallTransition, type CallLifecycleEvent, type CallLifecycleEffect } from '../../src/twilio/calls/lifecycle';
import { statusCallbackParams, voiceWebhookParams } from '../../src/twilio/calls/params';
import { newCallRecord, type NewCall } from '../../src/twilio/calls/record';
import type { CallRecord, CallStatus } from '../../src/twilio/calls/types';
import { TwilioError } from '../../src/twilio/errors';

const T0 = Date.UTC(2021, 7, 16, 3, 5, 0);
const CA = 'CA' + 'a'.repeat(32);
const AC = 'AC' + 'b'.repeat(32);

function call(over: Partial<NewCall> = {}): CallRecord {
  return newCallRecord({ sid: CA, accountSid: AC, direction: 'outbound-api', to: '+14155550100', from: '+15005550006', statusCallback: 'https://app.test/status', statusCallbackEvents: ['initiated', 'ringing', 'answered', 'completed'], ...over }, T0);
}

/** Applies events one per second; returns the final call and every effect. */
function run(start: CallRecord, events: CallLifecycleEvent[], gapMs = 1000): { call: CallRecord; effects: CallLifecycleEffect[] } {
  let cur = start;
  const effects: CallLifecycleEffect[] = [];
  events.forEach((e, i) => {
    const t = advance(cur, e, T0 + (i + 1) * gapMs);
    cur = t.next;
    effects.push(...t.effects);
  });
  return { call: cur, effects };
}

const callbacks = (effects: CallLifecycleEffect[]) =>
  effects.flatMap((e) => (e.type === 'status-callback' ? [[e.event, e.params.CallStatus, e.params.SequenceNumber]] : []));

/** The standard voice webhook keys (§4), as captured. */
const STANDARD = [
  'AccountSid', 'ApiVersion', 'CallSid', 'CallStatus', 'Called', 'CalledCity', 'CalledCountry', 'CalledState', 'CalledZip', 'Caller', 'CallerCity',
  'CallerCountry', 'CallerState', 'CallerZip', 'Direction', 'From', 'FromCity', 'FromCountry', 'FromState', 'FromZip', 'To', 'ToCity', 'ToCountry', 'ToState', 'ToZip',
];

describe('call lifecycle', () => {
  it('starts queued with null timing fields, like a create answer', () => {
    expect(call()).toMatchObject({ status: 'queued', initiated: false, startTime: null, endTime: null, duration: null, price: null, priceUnit: 'USD', answeredBy: null });
  });

  it('goes queued → initiated → ringing → in-progress → completed with a callback per subscribed event', () => {
    const { call: done, effects } = run(call(), [{ type: 'initiate' }, { type: 'ring' }, { type: 'answer' }], 1000);
    expect(done).toMatchObject({ status: 'in-progress', startTime: T0 + 1000, duration: 0 });
    expect(effects.filter((e) => e.type === 'run-twiml')).toHaveLength(1);
    const end = advance(done, { type: 'hangup' }, T0 + 3000 + 49_000);
    expect(end.next).toMatchObject({ status: 'completed', endTime: T0 + 52_000, duration: 51, price: '-0.01400', sipResponseCode: 200, sequence: 4 });
    expect(callbacks([...effects, ...end.effects])).toEqual([
      ['initiated', 'initiated', '0'], ['ringing', 'ringing', '1'], ['answered', 'in-progress', '2'], ['completed', 'completed', '3'],
    ]);
    expect(end.effects.at(-1)).toEqual({ type: 'ended', status: 'completed' });
  });

  it('sends exactly the recorded key sets: standard fields, callback fields, and on completed the durations', () => {
    const { effects } = run(call(), [{ type: 'initiate' }, { type: 'answer' }, { type: 'hangup' }], 49_000);
    const sent = effects.flatMap((e) => (e.type === 'status-callback' ? [e] : []));
    const initiated = sent[0].params;
    expect(Object.keys(initiated)).toEqual([...STANDARD, 'CallbackSource', 'SequenceNumber', 'Timestamp'].sort());
    // The callee's city is the one the number inventory gives that number (a 415 number: California).
    expect(initiated).toMatchObject({ CallbackSource: 'call-progress-events', Timestamp: 'Mon, 16 Aug 2021 03:05:49 +0000', ApiVersion: '2010-04-01', Direction: 'outbound-api', ToCity: webhookGeo(call().to).city, ToState: 'CA', FromCity: '' });
    expect(initiated.ToCity).not.toBe('');
    const completed = sent.at(-1)!;
    expect(Object.keys(completed.params)).toEqual([...STANDARD, 'CallbackSource', 'SequenceNumber', 'Timestamp', 'CallDuration', 'Duration', 'SipResponseCode'].sort());
    // Dialing started at +49 s and the call ended at +147 s: 98 s, which bills as 2 minutes.
    expect(completed.params).toMatchObject({ CallStatus: 'completed', CallDuration: '98', Duration: '2', SipResponseCode: '200' });
    expect(completed).toMatchObject({ url: 'https://app.test/status', method: 'POST' });
  });

  it('sends only completed by default, numbered after the events it did not send', () => {
    const { effects } = run(call({ statusCallbackEvents: undefined }), [{ type: 'initiate' }, { type: 'ring' }, { type: 'answer' }, { type: 'hangup' }]);
    expect(callbacks(effects)).toEqual([['completed', 'completed', '3']]);
    expect(run(call({ statusCallback: null }), [{ type: 'answer' }, { type: 'hangup' }]).effects.filter((e) => e.type === 'status-callback')).toEqual([]);
  });

  it.each<[CallLifecycleEvent['type'], CallStatus, string]>([
    ['busy', 'busy', '486'],
    ['no-answer', 'no-answer', '487'],
  ])('ends %s after ringing, with zero durations and no price', (type, status, sip) => {
    const { call: done, effects } = run(call(), [{ type } as CallLifecycleEvent]);
    expect(done).toMatchObject({ status, duration: 0, price: null, endTime: T0 + 1000 });
    expect(callbacks(effects)).toEqual([['initiated', 'initiated', '0'], ['ringing', 'ringing', '1'], ['completed', status, '2']]);
    const last = effects.find((e) => e.type === 'status-callback' && e.event === 'completed');
    expect(last?.type === 'status-callback' && last.params).toMatchObject({ CallDuration: '0', Duration: '0', SipResponseCode: sip });
  });

  it('fails straight from queued (no ringing) with the SIP code given', () => {
    const { call: done, effects } = run(call(), [{ type: 'fail', sipResponseCode: 404 }]);
    expect(done).toMatchObject({ status: 'failed', sipResponseCode: 404, duration: 0 });
    expect(callbacks(effects)).toEqual([['completed', 'failed', '0']]);
  });

  it('cancels a queued call silently and a ringing one with its completed callback; leaves an answered call alone', () => {
    expect(run(call(), [{ type: 'cancel' }])).toMatchObject({ call: { status: 'canceled' }, effects: [{ type: 'ended', status: 'canceled' }] });
    const ringing = run(call(), [{ type: 'ring' }, { type: 'cancel' }]);
    expect(ringing.call.status).toBe('canceled');
    expect(callbacks(ringing.effects).at(-1)).toEqual(['completed', 'canceled', '2']);
    const answered = run(call(), [{ type: 'answer' }]).call;
    expect(advance(answered, { type: 'cancel' }, T0 + 5000)).toEqual({ next: answered, effects: [] });
  });

  it('completes by API: an answered call ends completed, an unanswered one canceled; ended calls answer 21220', () => {
    expect(run(call(), [{ type: 'answer' }, { type: 'complete' }]).call.status).toBe('completed');
    expect(run(call(), [{ type: 'ring' }, { type: 'complete' }]).call.status).toBe('canceled');
    const ended = run(call(), [{ type: 'busy' }]).call;
    for (const type of ['cancel', 'complete'] as const) {
      let err: unknown;
      try {
        advance(ended, { type }, T0);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(TwilioError);
      expect((err as TwilioError).toBody()).toEqual({ code: 21220, message: 'Call is not in-progress. Cannot redirect.', more_info: 'https://www.twilio.com/docs/errors/21220', status: 400 });
    }
  });

  it('cancels a ringing call the caller hangs up on before anyone answers', () => {
    expect(run(call(), [{ type: 'ring' }, { type: 'hangup' }]).call).toMatchObject({ status: 'canceled', duration: 0, price: null });
  });

  it('carries a synchronous AMD result into the answer, and sends an async one to its callback', () => {
    const amd = { mode: 'Enable' as const, timeoutSec: 30, asyncCallback: null };
    const sync = run(call({ machineDetection: amd }), [{ type: 'answer', answeredBy: 'machine_start' }]).call;
    expect(sync.answeredBy).toBe('machine_start');
    expect(voiceWebhookParams(sync).AnsweredBy).toBe('machine_start');
    const asyncAmd = { ...amd, asyncCallback: { url: 'https://app.test/amd', method: 'POST' as const } };
    const { call: after, effects } = run(call({ machineDetection: asyncAmd }), [{ type: 'answer' }, { type: 'machine-detected', answeredBy: 'human', durationMs: 2345.4 }]);
    expect(after.answeredBy).toBe('human');
    expect(effects.find((e) => e.type === 'amd-callback')).toEqual({
      type: 'amd-callback', url: 'https://app.test/amd', method: 'POST', params: { AccountSid: AC, AnsweredBy: 'human', CallSid: CA, MachineDetectionDuration: '2345' },
    });
    const completed = advance(after, { type: 'hangup' }, T0 + 9000).effects.find((e) => e.type === 'status-callback');
    expect(completed?.type === 'status-callback' && completed.params.AnsweredBy).toBe('human');
  });

  it('runs inbound calls from ringing: answer starts no fetch, <Reject> ends busy or no-answer', () => {
    const inbound = call({ direction: 'inbound', statusCallbackEvents: ['initiated', 'ringing', 'answered', 'completed'] });
    expect(inbound).toMatchObject({ status: 'ringing', startTime: T0, duration: 0, statusCallbackEvents: ['completed'] });
    expect(advance(inbound, { type: 'answer' }, T0 + 1).effects.some((e) => e.type === 'run-twiml')).toBe(false);
    expect(advance(inbound, { type: 'reject', reason: 'busy' }, T0 + 1).next.status).toBe('busy');
    expect(advance(inbound, { type: 'reject', reason: 'rejected' }, T0 + 1).next.status).toBe('no-answer');
    expect(voiceWebhookParams(inbound, { Digits: '1' })).toMatchObject({ CallStatus: 'ringing', Direction: 'inbound', Digits: '1' });
  });

  it('keeps dial legs’ ParentCallSid in every webhook', () => {
    const leg = call({ direction: 'outbound-dial', parentCallSid: 'CA' + 'c'.repeat(32) });
    expect(statusCallbackParams(leg, 'initiated', 0)).toMatchObject({ ParentCallSid: 'CA' + 'c'.repeat(32), Direction: 'outbound-dial' });
  });

  it('follows the transition table and refuses impossible internal events', () => {
    const table: [CallStatus, CallStatus, boolean][] = [
      ['queued', 'ringing', true], ['queued', 'in-progress', false], ['queued', 'failed', true], ['ringing', 'busy', true],
      ['ringing', 'in-progress', true], ['in-progress', 'completed', true], ['in-progress', 'busy', false], ['completed', 'in-progress', false],
    ];
    for (const [from, to, ok] of table) expect([from, to, canMoveCall(from, to)]).toEqual([from, to, ok]);
    const answered = run(call(), [{ type: 'answer' }]).call;
    expect(() => advance(answered, { type: 'busy' }, T0)).toThrow(InvalidCallTransition);
    expect(() => advance(answered, { type: 'initiate' }, T0)).toThrow(InvalidCallTransition);
    const ended = advance(answered, { type: 'hangup' }, T0).next;
    expect(() => advance(ended, { type: 'hangup' }, T0)).toThrow(InvalidCallTransition);
  });
});

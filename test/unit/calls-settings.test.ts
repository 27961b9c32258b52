/**
 * The seed's `calls` section: defaults, validation (MIRRA_ERR_INVALID_SEED naming the field) and
 * each callee's outcome by `to` pattern.
 */
import { MirraError } from '../../src/errors';
import type { Session } from '../../src/session/session';
import { callSettings, outcomeFor } from '../../src/twilio/calls/runner/settings';

const sessionWith = (calls: unknown) => ({ seed: { name: 't', calls } }) as unknown as Session;

describe('calls settings', () => {
  it('fills in the defaults', () => {
    const s = callSettings(sessionWith(undefined));
    expect(s).toMatchObject({ initiatedAfterMs: 0, ringingAfterMs: 1000, answeredAfterMs: 4000, talkMs: 10_000, detectionMs: 2500, outcomes: [], verifiedCallerIds: [], applications: [], interpreter: {} });
  });

  it('reads timing, speech, message verb and applications', () => {
    const s = callSettings(sessionWith({
      timeline: { ringingAfterMs: 0, answeredAfterMs: 250 },
      speech: { sayCharsPerSecond: 30, playMs: 500 },
      messageVerb: 'sms',
      applications: [{ sid: `AP${'a'.repeat(32)}`, voiceUrl: 'https://app.test/voice', voiceMethod: 'get' }],
    }));
    expect(s).toMatchObject({ ringingAfterMs: 0, answeredAfterMs: 250, interpreter: { sayCharsPerSecond: 30, playMs: 500, messageVerb: 'sms' } });
    expect(s.applications[0]).toEqual({ sid: `AP${'a'.repeat(32)}`, voiceUrl: 'https://app.test/voice', voiceMethod: 'GET', voiceFallbackUrl: null, voiceFallbackMethod: 'POST', statusCallback: null, statusCallbackMethod: 'POST' });
  });

  it.each([
    [{ timeline: { ringingAfterMs: -1 } }, 'calls.timeline.ringingAfterMs'],
    [{ outcomes: [{ to: '+1*', status: 'maybe' }] }, 'calls.outcomes'],
    [{ outcomes: [{ status: 'busy' }] }, 'calls.outcomes'],
    [{ verifiedCallerIds: [15551234567] }, 'calls.verifiedCallerIds'],
    [{ applications: [{ sid: 'AP1' }] }, 'calls.applications'],
    [{ dial: { talkMs: 'long' } }, 'calls.dial.talkMs'],
  ])('refuses %j naming %s', (calls, field) => {
    let caught: unknown;
    try {
      callSettings(sessionWith(calls));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(MirraError);
    expect(caught).toMatchObject({ code: 'MIRRA_ERR_INVALID_SEED' });
    expect((caught as Error).message).toContain(field);
  });

  it('gives each callee its outcome: the first matching rule, else an answer', () => {
    const s = callSettings(sessionWith({ outcomes: [{ to: '+1555000*', status: 'busy' }, { to: 'client:*', status: 'no-answer' }, { to: '+15550001111', status: 'failed' }] }));
    expect(outcomeFor(s, '+15550001111', false)).toMatchObject({ status: 'busy', afterMs: 1000 });
    expect(outcomeFor(s, 'client:alice', true)).toMatchObject({ status: 'no-answer' });
    expect(outcomeFor(s, '+15557770000', false)).toEqual({ status: 'answered', afterMs: 4000, answeredBy: 'human', hangupAfterMs: null, sipResponseCode: null });
    // A dialled leg talks for dial.talkMs, then hangs up.
    expect(outcomeFor(s, '+15557770000', true).hangupAfterMs).toBe(10_000);
  });
});

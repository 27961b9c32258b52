/**
 * The live recording's life (pure): in-progress → paused → in-progress → completed/absent, the
 * length with `skip` and `silence` pauses, the callbacks of the subscribed events with the
 * recording's fields, no-op pauses and resumes, and 21220 once it has ended; and the participant
 * changes with the conference events they raise.
 */
import { advance, startRecording, type NewLiveRecording, type RecordingTransition } from '../../src/twilio/calls/recordings/lifecycle';
import { changeParticipant } from '../../src/twilio/calls/conferences/participant-update';
import type { ParticipantRecord } from '../../src/twilio/calls/conferences/types';
import { TwilioError } from '../../src/twilio/errors';

const T0 = Date.UTC(2024, 2, 1, 10, 0, 0);
const s = (n: number) => T0 + n * 1000;
const INIT: NewLiveRecording = {
  sid: 'RE' + 'a'.repeat(32),
  accountSid: 'AC' + 'b'.repeat(32),
  callSid: 'CA' + 'c'.repeat(32),
  source: 'StartCallRecordingAPI',
  channels: 1,
  callback: { url: 'https://app.test/rec', method: 'POST', events: ['in-progress', 'completed', 'absent'] },
};

describe('live recording lifecycle', () => {
  it('starts in progress with its in-progress callback, and completes with its length and completed callback', () => {
    const started = startRecording(INIT, T0);
    expect(started.next).toMatchObject({ status: 'in-progress', startTime: T0, durationSec: 0, track: 'both' });
    expect(started.effects.map((e) => e.params.RecordingStatus)).toEqual(['in-progress']);
    const stopped = advance(started.next, { type: 'stop' }, s(12.4));
    expect(stopped.next).toMatchObject({ status: 'completed', durationSec: 12, dateUpdated: s(12.4) });
    expect(stopped.effects).toHaveLength(1);
    expect(stopped.effects[0]).toMatchObject({ url: 'https://app.test/rec', method: 'POST' });
    expect(stopped.effects[0]!.params).toMatchObject({ RecordingStatus: 'completed', RecordingDuration: '12', RecordingSource: 'StartCallRecordingAPI', CallSid: INIT.callSid, RecordingSid: INIT.sid });
  });

  it('leaves time paused with skip out of the length, and counts time paused with silence', () => {
    let r = startRecording(INIT, T0).next;
    const step = (t: RecordingTransition) => (r = t.next);
    step(advance(r, { type: 'pause', behavior: 'skip' }, s(5)));
    expect(r).toMatchObject({ status: 'paused', pauseBehavior: 'skip' });
    step(advance(r, { type: 'resume' }, s(15)));
    step(advance(r, { type: 'pause', behavior: 'silence' }, s(20)));
    step(advance(r, { type: 'resume' }, s(30)));
    expect(advance(r, { type: 'stop' }, s(35)).next.durationSec).toBe(25);
    // Stopped while paused with skip: the pause so far is left out too.
    const paused = advance(startRecording(INIT, T0).next, { type: 'pause', behavior: 'skip' }, s(4)).next;
    expect(advance(paused, { type: 'stop' }, s(60)).next.durationSec).toBe(4);
  });

  it('is absent under a second (with 16101 in its callback), and sends only subscribed events', () => {
    const quick = advance(startRecording(INIT, T0).next, { type: 'stop' }, T0 + 400);
    expect(quick.next.status).toBe('absent');
    expect(quick.effects[0]!.params).toMatchObject({ RecordingStatus: 'absent', ErrorCode: '16101' });
    const onlyCompleted = { ...INIT, callback: { ...INIT.callback!, events: ['completed'] } };
    const started = startRecording(onlyCompleted, T0);
    expect(started.effects).toEqual([]);
    expect(advance(started.next, { type: 'stop' }, T0 + 400).effects).toEqual([]);
    expect(advance(startRecording({ ...INIT, callback: null }, T0).next, { type: 'stop' }, s(9)).effects).toEqual([]);
  });

  it('changes nothing on a repeated pause or a resume of a running one; refuses any change once ended (21220)', () => {
    const r = startRecording(INIT, T0).next;
    expect(advance(r, { type: 'resume' }, s(1)).next).toBe(r);
    const paused = advance(r, { type: 'pause', behavior: 'silence' }, s(1)).next;
    expect(advance(paused, { type: 'pause', behavior: 'skip' }, s(2)).next).toBe(paused);
    const done = advance(paused, { type: 'stop' }, s(3)).next;
    for (const event of [{ type: 'stop' }, { type: 'resume' }, { type: 'pause', behavior: 'skip' }] as const) {
      expect(() => advance(done, event, s(4))).toThrow(TwilioError);
      try {
        advance(done, event, s(4));
      } catch (err) {
        expect(err).toMatchObject({ code: 21220, status: 400, message: 'Requested resource is not eligible for recording' });
      }
    }
  });
});

describe('participant changes', () => {
  const P: ParticipantRecord = {
    sid: 'CF1:CA1', accountSid: 'AC1', conferenceSid: 'CF1', callSid: 'CA1', label: null, muted: false, hold: false,
    startConferenceOnEnter: true, endConferenceOnExit: false, status: 'connected', dateCreated: T0, dateUpdated: T0,
  };

  it('raises mute/unmute, hold/unhold and modify events only for what changed', () => {
    const muted = changeParticipant(P, { muted: true, hold: false }, s(1));
    expect(muted.events).toEqual(['participant-mute']);
    expect(muted.next).toMatchObject({ muted: true, hold: false, dateUpdated: s(1) });
    expect(changeParticipant(muted.next, { muted: true }, s(2)).events).toEqual([]);
    const both = changeParticipant(muted.next, { muted: false, hold: true }, s(2));
    expect(both.events).toEqual(['participant-unmute', 'participant-hold']);
    const coach = changeParticipant(P, { callSidToCoach: 'CA2' }, s(3));
    expect(coach.next).toMatchObject({ coaching: true, callSidToCoach: 'CA2' });
    expect(coach.events).toEqual(['participant-modify']);
    expect(changeParticipant(coach.next, { coaching: false }, s(4)).next).toMatchObject({ coaching: false, callSidToCoach: null });
    expect(changeParticipant(P, { endConferenceOnExit: true }, s(5))).toMatchObject({ events: [], next: { endConferenceOnExit: true } });
  });
});

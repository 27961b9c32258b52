/**
 * Recording control by REST through the real twilio SDK on a frozen clock: starting a recording of
 * a live call (`calls(sid).recordings.create`), pausing (skip and silence), resuming and stopping
 * it, `Twilio.CURRENT`, the recording ending with its call, its callbacks in order and signed, and
 * Twilio's errors (21220 for a call not in progress, 16108, 20404); conference recordings made by
 * `<Conference record="record-from-start">`, listed, paused and stopped under the conference.
 */
import twilio from 'twilio';
import { expectAllFields, expectMatchesSchema } from '../helpers/schema';
import { startTestMirror, type TestMirror } from '../helpers/mirror';
import { startTwimlApp, type TwimlApp } from '../helpers/twiml-app';

const FROM = '+15555550123';

describe('REST recording control', () => {
  let tm: TestMirror;
  let app: TwimlApp;
  let n = 0;
  const fresh = () => `+1555200${String(n++).padStart(4, '0')}`;
  const calls = () => tm.client().calls;
  /** A call answered 5 s after create that stays on for `seconds`. */
  const liveCall = async (seconds = 120) => {
    const call = await calls().create({ to: fresh(), from: FROM, twiml: `<Response><Pause length="${seconds}"/></Response>`, statusCallback: `${app.url}/call-status` });
    await tm.advance(5_000);
    return call.sid;
  };
  const recStatus = (sid: string) => app.at('/rec-status').filter((r) => r.params.RecordingSid === sid);

  beforeAll(async () => {
    tm = await startTestMirror({ seed: { name: 'voice-rest', clock: { frozen: true }, numbers: [{ phoneNumber: FROM }] } });
    app = await startTwimlApp();
    app.route('/rec-status', { status: 204 });
    app.route('/call-status', { status: 204 });
    app.route('/conf-status', { status: 204 });
  });
  afterAll(async () => {
    await app.close();
    await tm.close();
  });

  it('starts, pauses (skip), resumes and stops a recording of a live call: listed with its status, length and source, callbacks in order and signed', async () => {
    const callSid = await liveCall();
    const callback = `${app.url}/rec-status`;
    const started = await calls()(callSid).recordings.create({ recordingStatusCallback: callback, recordingStatusCallbackEvent: ['in-progress', 'completed', 'absent'], recordingChannels: 'dual' });
    expect(started).toMatchObject({ callSid, status: 'in-progress', source: 'StartCallRecordingAPI', channels: 2, duration: null, price: null, track: 'both' });
    expect(started.sid).toMatch(/^RE[0-9a-f]{32}$/);
    const raw = await tm.api('GET', `/2010-04-01/Accounts/${tm.accountSid}/Calls/${callSid}/Recordings/${started.sid}.json`);
    expectMatchesSchema('callRecording', raw.body);
    expectAllFields('callRecording', raw.body);

    // Listed at once, under the call and the account, as in progress.
    expect((await calls()(callSid).recordings.list()).map((r) => [r.sid, r.status])).toEqual([[started.sid, 'in-progress']]);
    expect((await tm.client().recordings.list({ callSid })).map((r) => [r.sid, r.status])).toEqual([[started.sid, 'in-progress']]);

    await tm.advance(4_000);
    const paused = await calls()(callSid).recordings(started.sid).update({ status: 'paused', pauseBehavior: 'skip' });
    expect(paused.status).toBe('paused');
    expect((await tm.client().recordings(started.sid).fetch()).status).toBe('paused');
    await tm.advance(10_000); // skipped: not in the length
    expect((await calls()(callSid).recordings('Twilio.CURRENT').update({ status: 'in-progress' })).status).toBe('in-progress');
    await tm.advance(6_000);
    const stopped = await calls()(callSid).recordings(started.sid).update({ status: 'stopped' });
    expect(stopped.status).toBe('stopped');

    const [done] = await calls()(callSid).recordings.list();
    expect(done).toMatchObject({ sid: started.sid, status: 'completed', duration: '10', source: 'StartCallRecordingAPI', price: '-0.00250', priceUnit: 'USD' });
    const account = await tm.api('GET', `/2010-04-01/Accounts/${tm.accountSid}/Recordings/${started.sid}.json`);
    expectMatchesSchema('recording', account.body);
    expect(account.body).toMatchObject({ status: 'completed', duration: '10', source: 'StartCallRecordingAPI', conference_sid: null });

    const got = recStatus(started.sid);
    expect(got.map((r) => [r.params.RecordingStatus, r.params.RecordingDuration])).toEqual([['in-progress', '0'], ['completed', '10']]);
    for (const r of got) {
      expect(r.params).toMatchObject({ AccountSid: tm.accountSid, CallSid: callSid, RecordingSource: 'StartCallRecordingAPI', RecordingChannels: '2', RecordingTrack: 'both' });
      expect(r.params.RecordingUrl).toBe(`https://api.twilio.com/2010-04-01/Accounts/${tm.accountSid}/Recordings/${started.sid}`);
      expect(twilio.validateRequest(tm.authToken, String(r.headers['x-twilio-signature']), callback, r.params)).toBe(true);
    }
    // A stopped recording takes no more changes.
    await expect(calls()(callSid).recordings(started.sid).update({ status: 'paused' })).rejects.toMatchObject({ status: 400, code: 21220 });
  });

  it('counts a pause with silence in the length, and ends the recording with the call (only completed by default)', async () => {
    const callSid = await liveCall(20);
    const rec = await calls()(callSid).recordings.create({ recordingStatusCallback: `${app.url}/rec-status` });
    await tm.advance(3_000);
    await calls()(callSid).recordings(rec.sid).update({ status: 'paused' });
    await tm.advance(30_000); // the call's Pause ends 20 s after answering: the call hangs up, the recording ends
    const [done] = await calls()(callSid).recordings.list();
    expect(done).toMatchObject({ sid: rec.sid, status: 'completed', duration: '20' });
    expect(recStatus(rec.sid).map((r) => r.params.RecordingStatus)).toEqual(['completed']);
    // The recording's callback follows the call's completed callback.
    const order = app.received.filter((r) => r.params.CallSid === callSid).map((r) => r.params.RecordingStatus ?? r.params.CallStatus);
    expect(order).toEqual(['completed', 'completed']);
    expect(app.received.filter((r) => r.params.CallSid === callSid).map((r) => r.path.split('?')[0])).toEqual(['/call-status', '/rec-status']);
  });

  it('answers 21220 for a call not in progress, 20404 for no live recording, 16108 for two, and starts one REST recording at a time', async () => {
    const queued = await calls().create({ to: fresh(), from: FROM, twiml: '<Response><Pause length="60"/></Response>' });
    await expect(calls()(queued.sid).recordings.create()).rejects.toMatchObject({ status: 400, code: 21220, message: 'Requested resource is not eligible for recording' });
    await tm.advance(5_000);
    await expect(calls()(queued.sid).recordings('Twilio.CURRENT').update({ status: 'paused' })).rejects.toMatchObject({ status: 404, code: 20404 });
    const first = await calls()(queued.sid).recordings.create();
    expect((await calls()(queued.sid).recordings.create()).sid).toBe(first.sid);
    const bad = await tm.api('POST', `/2010-04-01/Accounts/${tm.accountSid}/Calls/${queued.sid}/Recordings/${first.sid}.json`, { Status: 'completed' });
    expect(bad.body).toMatchObject({ status: 400, code: 21400 });
    expect((await tm.api('POST', `/2010-04-01/Accounts/${tm.accountSid}/Calls/${queued.sid}/Recordings/${first.sid}.json`, {})).body).toMatchObject({ status: 400, code: 20001 });
    await expect(calls()(queued.sid).recordings.create({ recordingChannels: 'stereo' })).rejects.toMatchObject({ status: 400, code: 21400 });
    await calls()(queued.sid).update({ status: 'completed' });
    await expect(calls()(queued.sid).recordings.create()).rejects.toMatchObject({ status: 400, code: 21220 });
    // Stopped at once with the call: under a second is `absent` ("too short", 16101).
    expect((await calls()(queued.sid).recordings.list()).map((r) => [r.status, r.errorCode])).toEqual([['absent', 16101]]);

    // Record=true is live from the answer too: with a REST one beside it, Twilio.CURRENT is ambiguous.
    const recorded = await calls().create({ to: fresh(), from: FROM, twiml: '<Response><Pause length="60"/></Response>', record: true });
    await tm.advance(5_000);
    const [outbound] = await calls()(recorded.sid).recordings.list();
    expect(outbound).toMatchObject({ source: 'OutboundAPI', status: 'in-progress' });
    await calls()(recorded.sid).recordings.create();
    await expect(calls()(recorded.sid).recordings('Twilio.CURRENT').update({ status: 'paused' })).rejects.toMatchObject({ status: 400, code: 16108 });
    expect((await calls()(recorded.sid).recordings(outbound.sid).update({ status: 'stopped' })).status).toBe('stopped');
    expect((await calls()(recorded.sid).recordings('Twilio.CURRENT').update({ status: 'paused' })).source).toBe('StartCallRecordingAPI');
  });
});

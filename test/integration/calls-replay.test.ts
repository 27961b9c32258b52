/**
 * Replaying calls from cassettes built in code: a recorded create with its recorded status
 * callbacks fires them re-signed at their offsets to this run's URL, and moves the call through
 * the lifecycle so a later (unrecorded) fetch by the emulator agrees; a cassette without callbacks
 * gives the replayed call the emulator's whole life — its TwiML fetched from this run's app and run,
 * its own callbacks synthesised.
 */
import twilio from 'twilio';
import { startTestMirror, type TestMirror } from '../helpers/mirror';
import { startTwimlApp, type TwimlApp } from '../helpers/twiml-app';
import { cassetteOf, pairs } from '../helpers/replay-cassette';

const FROM = '+15555550123';
const TO = '+15551230000';
const CALLS = '/2010-04-01/Accounts/{AccountSid}/Calls.json';
const SEED = { name: 'replay-calls', clock: { frozen: true }, numbers: [{ phoneNumber: FROM }] };

function recordedCall(status: string): Record<string, unknown> {
  return {
    sid: '{CA#1}', date_created: null, date_updated: null, parent_call_sid: null, account_sid: '{AccountSid}', to: TO, to_formatted: '(555) 123-0000',
    from: FROM, from_formatted: '(555) 555-0123', phone_number_sid: null, status, start_time: null, end_time: null, duration: null, price: null,
    price_unit: 'USD', direction: 'outbound-api', answered_by: null, api_version: '2010-04-01', forwarded_from: null, group_sid: null,
    caller_name: null, queue_time: '0', trunk_sid: null, uri: '/2010-04-01/Accounts/{AccountSid}/Calls/{CA#1}.json', subresource_uris: {},
  };
}

function progress(status: string, seq: number): [string, string][] {
  return pairs({
    AccountSid: '{AccountSid}', ApiVersion: '2010-04-01', CallSid: '{CA#1}', CallStatus: status, CallbackSource: 'call-progress-events',
    Direction: 'outbound-api', From: FROM, To: TO, SequenceNumber: String(seq), Timestamp: '{date:rfc2822:+0}',
    ...(status === 'completed' ? { CallDuration: '7', Duration: '1' } : {}),
  });
}

function recordedRecording(status: string, duration: string | null): Record<string, unknown> {
  return {
    account_sid: '{AccountSid}', api_version: '2010-04-01', call_sid: '{CA#1}', conference_sid: null, channels: 1,
    date_created: '{date:rfc2822:+0}', date_updated: '{date:rfc2822:+0}', start_time: '{date:rfc2822:+0}', price: null, price_unit: null, duration,
    sid: '{RE#1}', source: 'StartCallRecordingAPI', status, error_code: null, encryption_details: null, track: 'both',
    uri: '/2010-04-01/Accounts/{AccountSid}/Calls/{CA#1}/Recordings/{RE#1}.json',
  };
}

describe('replaying calls', () => {
  let tm: TestMirror;
  let app: TwimlApp;
  beforeAll(async () => {
    app = await startTwimlApp();
    app.route('/status', { status: 204 });
    app.route('/voice', '<Response><Say>Replayed, and run by the emulator.</Say></Response>');
  });
  afterAll(() => app.close());
  afterEach(() => tm?.close());

  it('fires recorded call callbacks re-signed to this run’s URL, and the call’s state follows them', async () => {
    const cassette = cassetteOf('calls-recorded', [{
      method: 'POST', path: CALLS, status: 201, form: { To: TO, From: FROM, Url: 'https://app.example.com/voice', StatusCallback: 'https://app.example.com/status' },
      body: recordedCall('queued'),
      callbacks: ['initiated', 'ringing', 'in-progress', 'completed'].map((s, i) => ({ offsetMs: [100, 1000, 5000, 12000][i], urlParam: 'StatusCallback', params: progress(s, i) })),
    }], { match: { ignoreParams: ['Url', 'StatusCallback'] } });
    tm = await startTestMirror({ proxy: false, seed: SEED, cassette });
    const statusCallback = `${app.url}/status`;
    const call = await tm.client().calls.create({ to: TO, from: FROM, url: `${app.url}/voice`, statusCallback });
    expect(call.status).toBe('queued');
    await tm.advance(6_000);
    expect((await tm.client().calls(call.sid).fetch()).status).toBe('in-progress');
    await tm.advance(10_000);
    const got = app.at('/status').filter((r) => r.params.CallSid === call.sid);
    expect(got.map((r) => r.params.CallStatus)).toEqual(['initiated', 'ringing', 'in-progress', 'completed']);
    for (const r of got) expect(twilio.validateRequest(tm.authToken, String(r.headers['x-twilio-signature']), statusCallback, r.params)).toBe(true);
    // The recording is the call's timeline: the emulator fetched no TwiML and sent nothing of its own.
    expect(app.at('/voice')).toEqual([]);
    expect((await tm.client().calls(call.sid).fetch()).status).toBe('completed');
    const log = (await tm.control('GET', `/_mirra/callbacks?sid=${call.sid}`)).body.callbacks;
    expect(log.map((d: any) => d.kind)).toEqual(['call-status-callback', 'call-status-callback', 'call-status-callback', 'call-status-callback']);
  });

  it('keeps a replayed REST recording of a call: the hand-built lists agree with what was served', async () => {
    const cassette = cassetteOf('calls-recording', [
      { method: 'POST', path: CALLS, status: 201, form: { To: TO, From: FROM, Url: 'https://app.example.com/voice' }, body: recordedCall('in-progress') },
      { method: 'POST', path: '/2010-04-01/Accounts/{AccountSid}/Calls/{CA#1}/Recordings.json', status: 201, body: recordedRecording('in-progress', null) },
      { method: 'POST', path: '/2010-04-01/Accounts/{AccountSid}/Calls/{CA#1}/Recordings/{RE#1}.json', form: { Status: 'stopped' }, status: 200, body: recordedRecording('stopped', null) },
    ], { match: { ignoreParams: ['Url'] } });
    tm = await startTestMirror({ proxy: false, seed: SEED, cassette });
    const call = await tm.client().calls.create({ to: TO, from: FROM, url: `${app.url}/voice` });
    const rec = await tm.client().calls(call.sid).recordings.create();
    expect(rec).toMatchObject({ callSid: call.sid, status: 'in-progress', source: 'StartCallRecordingAPI' });
    // Not recorded: the hand-built routes answer, from what the replay served.
    expect((await tm.client().calls(call.sid).recordings.list()).map((r) => [r.sid, r.status])).toEqual([[rec.sid, 'in-progress']]);
    expect((await tm.client().calls(call.sid).recordings(rec.sid).update({ status: 'stopped' })).status).toBe('stopped');
    expect((await tm.client().recordings(rec.sid).fetch()).status).toBe('completed');
  });

  it('gives a call replayed without callbacks the emulator’s life: its TwiML fetched and run, its callbacks synthesised', async () => {
    const cassette = cassetteOf('calls-synthesised', [{
      method: 'POST', path: CALLS, status: 201, form: { To: TO, From: FROM, Url: 'https://app.example.com/voice', StatusCallback: 'https://app.example.com/status' },
      body: recordedCall('queued'),
    }], { match: { ignoreParams: ['Url', 'StatusCallback'] }, callbacks: 'synthesised' });
    tm = await startTestMirror({ proxy: false, seed: SEED, cassette });
    const statusCallback = `${app.url}/status?run=2`;
    const call = await tm.client().calls.create({ to: TO, from: FROM, url: `${app.url}/voice`, statusCallback });
    await tm.advance(20_000);
    const [fetched] = app.at('/voice').filter((r) => r.params.CallSid === call.sid);
    expect(twilio.validateRequest(tm.authToken, String(fetched.headers['x-twilio-signature']), `${app.url}/voice`, fetched.params)).toBe(true);
    const [view] = (await tm.control('GET', `/_mirra/calls?sid=${call.sid}`)).body.calls;
    expect(view).toMatchObject({ status: 'completed', said: ['Replayed, and run by the emulator.'] });
    expect(app.at('/status').filter((r) => r.params.CallSid === call.sid).map((r) => r.params.CallStatus)).toEqual(['completed']);
  });
});

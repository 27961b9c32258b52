/**
 * Calls running TwiML from an app on a frozen clock: an inbound IVR (ringing fetch, Gather with
 * digits and speech, the branch's Say), invalid TwiML and failing fetches (alerts, fallback with
 * ErrorCode/ErrorUrl, Twilio's apology, never a crash), <Reject>, <Record> with its Recording and
 * callbacks, Record=true, <Sms> in a call, and answering machine detection.
 */
import twilio from 'twilio';
import { expectAllFields, expectMatchesSchema } from '../helpers/schema';
import { startTestMirror, type TestMirror } from '../helpers/mirror';
import { startTwimlApp, type TwimlApp } from '../helpers/twiml-app';

const IVR = '+15555550123';
const OTHER = '+15555550124';
const CALLER = '+15557770000';
const APP_SID = `AP${'7'.repeat(32)}`;

describe('TwiML on calls', () => {
  let tm: TestMirror;
  let app: TwimlApp;
  const simulate = (event: string, body: Record<string, unknown>) => tm.control('POST', '/_mirra/simulate', { event, ...body });
  const view = async (sid: string) => (await tm.control('GET', `/_mirra/calls?sid=${sid}`)).body.calls[0];

  beforeAll(async () => {
    app = await startTwimlApp();
    tm = await startTestMirror({
      seed: {
        name: 'voice-twiml',
        clock: { frozen: true },
        numbers: [
          { phoneNumber: IVR, voiceUrl: `${app.url}/ivr`, statusCallback: `${app.url}/number-status` },
          { phoneNumber: OTHER, voiceUrl: `${app.url}/broken`, voiceFallbackUrl: `${app.url}/fallback` },
        ],
        calls: {
          outcomes: [{ to: '+15550001111', answeredBy: 'machine_start' }],
          applications: [{ sid: APP_SID, voiceUrl: `${app.url}/app-voice`, statusCallback: `${app.url}/app-status` }],
        },
      },
    });
    app.route('/ivr', '<Response><Gather numDigits="1" action="/menu" timeout="5"><Say>Press 1 for sales, 2 for support.</Say></Gather><Say>We did not get that.</Say></Response>');
    app.route('/menu', (p) => `<Response><Say>${p.Digits === '1' ? 'Connecting you to sales.' : 'Support is closed.'}</Say></Response>`);
    app.route('/number-status', { status: 204 });
    app.route('/status', { status: 204 });
    app.route('/broken', '<Response><Say>unclosed');
    app.route('/fallback', '<Response><Say>Sorry, try again later.</Say></Response>');
  });
  afterAll(async () => {
    await app.close();
    await tm.close();
  });

  it('runs an inbound IVR: ringing fetch, the menu, call.digits, the branch’s Say, hang-up', async () => {
    const res = await simulate('call.inbound', { from: CALLER, to: IVR });
    expect(res.status).toBe(200);
    const sid = res.body.call.sid;
    expect(res.body.call).toMatchObject({ direction: 'inbound', status: 'ringing', from: CALLER, to: IVR, phone_number_sid: expect.stringMatching(/^PN/) });
    const [fetched] = app.at('/ivr').filter((r) => r.params.CallSid === sid);
    expect(fetched.params).toMatchObject({ CallStatus: 'ringing', Direction: 'inbound', From: CALLER, To: IVR, AccountSid: tm.accountSid });
    expect(twilio.validateRequest(tm.authToken, String(fetched.headers['x-twilio-signature']), `${app.url}/ivr`, fetched.params)).toBe(true);
    await tm.advance(3_000); // the prompt is still playing: a key barges in
    expect((await simulate('call.digits', { callSid: sid, digits: '1' })).status).toBe(200);
    await tm.advance(10_000);
    const [action] = app.at('/menu').filter((r) => r.params.CallSid === sid);
    expect(action.params).toMatchObject({ Digits: '1', CallStatus: 'in-progress', FinishedOnKey: '', msg: 'Gather End' });
    const call = await view(sid);
    expect(call.said).toEqual(['Press 1 for sales, 2 for support.', 'Connecting you to sales.']);
    expect(call.transcript.map((t: any) => t.kind)).toEqual(['fetch', 'say', 'gather', 'fetch', 'say', 'hangup']);
    expect(call).toMatchObject({ status: 'completed', alerts: [] });
    // The number's status callback: completed only.
    expect(app.at('/number-status').filter((r) => r.params.CallSid === sid).map((r) => r.params.CallStatus)).toEqual(['completed']);
  });

  it('falls through a Gather that hears nothing, and takes speech when it listens for it', async () => {
    const silent = (await simulate('call.inbound', { from: CALLER, to: IVR })).body.call.sid;
    await tm.advance(20_000);
    expect((await view(silent)).said).toEqual(['Press 1 for sales, 2 for support.', 'We did not get that.']);

    app.route('/speech', '<Response><Gather input="speech" action="/heard"><Say>Say something.</Say></Gather></Response>');
    app.route('/heard', (p) => `<Response><Say>You said ${p.SpeechResult}.</Say></Response>`);
    const call = await tm.client().calls.create({ to: '+15551230001', from: IVR, url: `${app.url}/speech` });
    await tm.advance(6_000);
    await simulate('call.speech', { callSid: call.sid, speech: 'billing please', confidence: 0.8 });
    await tm.advance(10_000);
    expect((await view(call.sid)).said).toEqual(['Say something.', 'You said billing please.']);
    expect(app.at('/heard')[0].params).toMatchObject({ SpeechResult: 'billing please', Confidence: '0.8' });
  });

  it('logs invalid TwiML as 12100 and takes the number’s fallback with ErrorCode and ErrorUrl', async () => {
    const sid = (await simulate('call.inbound', { from: CALLER, to: OTHER })).body.call.sid;
    await tm.advance(10_000);
    const [fallback] = app.at('/fallback').filter((r) => r.params.CallSid === sid);
    expect(fallback.params).toMatchObject({ ErrorCode: '12100', ErrorUrl: `${app.url}/broken` });
    const call = await view(sid);
    expect(call.alerts.map((a: any) => a.code)).toEqual([12100]);
    expect(call).toMatchObject({ status: 'completed', said: ['Sorry, try again later.'] });
    // The problem is on the fetch's delivery-log entry too.
    const log = (await tm.control('GET', `/_mirra/callbacks?sid=${sid}&kind=call-twiml`)).body.callbacks;
    expect(log[0].errors.map((e: any) => e.code)).toEqual([12100]);
  });

  it('apologises and hangs up on a failing fetch without fallback (11200, 11205), never crashing', async () => {
    app.route('/five-hundred', { status: 500, body: 'boom', type: 'text/plain' });
    const a = await tm.client().calls.create({ to: '+15551230002', from: IVR, url: `${app.url}/five-hundred` });
    const b = await tm.client().calls.create({ to: '+15551230003', from: IVR, url: 'http://127.0.0.1:9/nothing-listens#rc=0' });
    const c = await tm.client().calls.create({ to: '+15551230004', from: IVR, twiml: '<Response><Say voice="robot">Hi</Say><Dance/></Response>' });
    await tm.advance(15_000);
    const [va, vb, vc] = [await view(a.sid), await view(b.sid), await view(c.sid)];
    expect(va.alerts.map((x: any) => x.code)).toEqual([11200]);
    expect(vb.alerts.map((x: any) => x.code)).toEqual([11205]);
    for (const v of [va, vb]) expect(v).toMatchObject({ status: 'completed', said: ["We're sorry, an application error has occurred. Goodbye."] });
    // Warnings skip what is wrong and go on (13511 bad voice → man; 12200 unknown verb).
    expect(vc.alerts.map((x: any) => x.code)).toEqual([13511, 12200]);
    expect(vc).toMatchObject({ status: 'completed', said: ['Hi'] });
  });

  it('<Reject reason="busy"> leaves an inbound call unanswered and busy', async () => {
    app.route('/reject', '<Response><Reject reason="busy"/></Response>');
    await tm.client().incomingPhoneNumbers(((await tm.client().incomingPhoneNumbers.list({ phoneNumber: OTHER }))[0]).sid).update({ voiceUrl: `${app.url}/reject` });
    const sid = (await simulate('call.inbound', { from: CALLER, to: OTHER })).body.call.sid;
    await tm.advance(1_000);
    const call = await tm.client().calls(sid).fetch();
    expect(call).toMatchObject({ status: 'busy', duration: '0', price: null });
  });

  it('<Record> makes a Recording (with its callback), its action gets RecordingUrl, the Recordings API lists it', async () => {
    app.route('/voicemail', '<Response><Say>Leave a message.</Say><Record maxLength="30" timeout="3" action="/saved" recordingStatusCallback="/rec-status" transcribe="true" transcribeCallback="/transcribed"/></Response>');
    app.route('/saved', '<Response><Say>Thanks, goodbye.</Say></Response>');
    app.route('/rec-status', { status: 204 });
    app.route('/transcribed', { status: 204 });
    const call = await tm.client().calls.create({ to: '+15551230005', from: IVR, url: `${app.url}/voicemail` });
    await tm.advance(7_000); // answered at 5 s, the prompt takes 1 s, recording from 6 s
    await simulate('call.speech', { callSid: call.sid, speech: 'call me back' });
    await tm.advance(4_000); // 3 s of silence end it
    await simulate('call.digits', { callSid: call.sid, digits: '#' }); // too late: it is over
    await tm.advance(5_000);
    const [saved] = app.at('/saved');
    // 4 s recorded, less the 3 s of silence that ended it (trim="trim-silence", the default).
    expect(saved.params).toMatchObject({ RecordingSid: expect.stringMatching(/^RE[0-9a-f]{32}$/), RecordingDuration: '1' });
    expect(saved.params.RecordingUrl).toBe(`https://api.twilio.com/2010-04-01/Accounts/${tm.accountSid}/Recordings/${saved.params.RecordingSid}`);
    const [status] = app.at('/rec-status');
    expect(status.params).toMatchObject({ RecordingSid: saved.params.RecordingSid, RecordingStatus: 'completed', RecordingSource: 'RecordVerb', CallSid: call.sid });
    expect(app.at('/transcribed')[0].params).toMatchObject({ TranscriptionText: 'call me back', TranscriptionStatus: 'completed', RecordingSid: saved.params.RecordingSid });
    const rec = await tm.api('GET', `/2010-04-01/Accounts/${tm.accountSid}/Recordings/${saved.params.RecordingSid}.json`);
    expectMatchesSchema('recording', rec.body);
    expectAllFields('recording', rec.body);
    expect(rec.body).toMatchObject({ call_sid: call.sid, duration: '1', status: 'completed', source: 'RecordVerb', channels: 1 });
    const ofCall = await tm.api('GET', `/2010-04-01/Accounts/${tm.accountSid}/Calls/${call.sid}/Recordings.json`);
    expect(ofCall.body.recordings.map((r: any) => r.sid)).toEqual([saved.params.RecordingSid]);
    expectMatchesSchema('callRecording', ofCall.body.recordings[0]);
    expect((await tm.client().recordings.list({ callSid: call.sid })).map((r) => r.sid)).toEqual([saved.params.RecordingSid]);
    await tm.client().recordings(saved.params.RecordingSid as string).remove();
    expect((await tm.api('GET', rec.body.uri)).status).toBe(404);
  });

  it('Record=true records the call; the completed callback carries the recording', async () => {
    const call = await tm.client().calls.create({ to: '+15551230006', from: IVR, twiml: '<Response><Pause length="10"/></Response>', record: true, statusCallback: `${app.url}/status` });
    await tm.advance(20_000);
    const [done] = app.at('/status').filter((r) => r.params.CallSid === call.sid);
    expect(done.params).toMatchObject({ CallStatus: 'completed', RecordingDuration: '10', RecordingSid: expect.stringMatching(/^RE/) });
    const [rec] = await tm.client().calls(call.sid).recordings.list();
    expect(rec).toMatchObject({ sid: done.params.RecordingSid, source: 'OutboundAPI', duration: '10' });
  });

  it('<Sms> in a call sends a message through Messages; its action gets SmsSid and SmsStatus', async () => {
    app.route('/sms', '<Response><Sms action="/sms-sent">Your code is 1234</Sms></Response>');
    app.route('/sms-sent', '<Response><Say>Sent.</Say></Response>');
    const call = await tm.client().calls.create({ to: '+15551230007', from: IVR, url: `${app.url}/sms` });
    await tm.advance(10_000);
    const [sent] = app.at('/sms-sent');
    expect(sent.params).toMatchObject({ SmsStatus: 'sending', SmsSid: expect.stringMatching(/^SM/) });
    const message = await tm.client().messages(sent.params.SmsSid as string).fetch();
    expect(message).toMatchObject({ to: '+15551230007', from: IVR, body: 'Your code is 1234', status: 'delivered' });
    expect((await view(call.sid)).said).toEqual(['Sent.']);
  });

  it('runs a TwiML app’s voice URL and status callback for ApplicationSid, ignoring the request’s own', async () => {
    app.route('/app-voice', '<Response><Say>From the app.</Say></Response>');
    app.route('/app-status', { status: 204 });
    const call = await tm.client().calls.create({ to: '+15551230008', from: IVR, applicationSid: APP_SID, statusCallback: `${app.url}/status` });
    await tm.advance(10_000);
    expect((await view(call.sid)).said).toEqual(['From the app.']);
    expect(app.at('/app-status').filter((r) => r.params.CallSid === call.sid).map((r) => r.params.CallStatus)).toEqual(['completed']);
    expect(app.at('/status').filter((r) => r.params.CallSid === call.sid)).toEqual([]);
  });

  it('detects a machine: synchronous AMD delays the fetch and it carries AnsweredBy; async AMD posts the result', async () => {
    // The call stays up past the detection (2.5 s): a result about a call that has ended goes nowhere.
    app.route('/amd', '<Response><Say>Hello.</Say><Pause length="5"/></Response>');
    app.route('/amd-result', { status: 204 });
    const sync = await tm.client().calls.create({ to: '+15550001111', from: IVR, url: `${app.url}/amd`, machineDetection: 'Enable' });
    const asyncCall = await tm.client().calls.create({ to: '+15550001111', from: IVR, url: `${app.url}/amd`, machineDetection: 'Enable', asyncAmd: 'true', asyncAmdStatusCallback: `${app.url}/amd-result` });
    await tm.advance(15_000);
    const fetches = app.at('/amd');
    expect(fetches.find((r) => r.params.CallSid === sync.sid)!.params.AnsweredBy).toBe('machine_start');
    expect(fetches.find((r) => r.params.CallSid === asyncCall.sid)!.params.AnsweredBy).toBeUndefined();
    expect(app.at('/amd-result')[0].params).toMatchObject({ CallSid: asyncCall.sid, AnsweredBy: 'machine_start', MachineDetectionDuration: '2500' });
    expect((await tm.client().calls(sync.sid).fetch()).answeredBy).toBe('machine_start');
  });
});

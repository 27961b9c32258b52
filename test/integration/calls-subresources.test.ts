/**
 * What else the Voice module serves under a call and a recording, through the real twilio SDK on a
 * frozen clock: the transcription of `<Record transcribe>` (the SID its callback names is fetched
 * and listed under the recording and the account), a call's alerts as its Notifications (and the
 * account's), and the real-time operations the generic engine answers (Streams, …) refused with
 * 21220 on a call that is not in progress.
 */
import { startTestMirror, type TestMirror } from '../helpers/mirror';
import { startTwimlApp, type TwimlApp } from '../helpers/twiml-app';

const FROM = '+15555550123';

describe('Voice sub-resources', () => {
  let tm: TestMirror;
  let app: TwimlApp;
  let n = 0;
  const fresh = () => `+1555300${String(n++).padStart(4, '0')}`;
  const simulate = (event: string, body: Record<string, unknown>) => tm.control('POST', '/_mirra/simulate', { event, ...body });

  beforeAll(async () => {
    tm = await startTestMirror({ seed: { name: 'voice-sub', clock: { frozen: true }, numbers: [{ phoneNumber: FROM }] } });
    app = await startTwimlApp();
    app.route('/transcribed', { status: 204 });
  });
  afterAll(async () => {
    await app.close();
    await tm.close();
  });

  it('keeps the transcription of <Record transcribe>: the callback’s TranscriptionSid is fetched and listed', async () => {
    const call = await tm.client().calls.create({ to: fresh(), from: FROM, twiml: `<Response><Record timeout="3" maxLength="60" transcribe="true" transcribeCallback="${app.url}/transcribed"/></Response>` });
    await tm.advance(6_000);
    await simulate('call.speech', { callSid: call.sid, speech: 'please call me back' });
    await tm.advance(10_000);
    const [sent] = app.at('/transcribed').filter((r) => r.params.CallSid === call.sid);
    const [recording] = await tm.client().calls(call.sid).recordings.list();
    expect(sent.params).toMatchObject({ RecordingSid: recording.sid, TranscriptionStatus: 'completed', TranscriptionText: 'please call me back' });
    const sid = sent.params.TranscriptionSid as string;
    expect(sent.params.TranscriptionUrl).toBe(`https://api.twilio.com/2010-04-01/Accounts/${tm.accountSid}/Recordings/${recording.sid}/Transcriptions/${sid}`);
    const fetched = await tm.client().transcriptions(sid).fetch();
    expect(fetched).toMatchObject({ sid, recordingSid: recording.sid, status: 'completed', transcriptionText: 'please call me back', type: 'fast', duration: recording.duration });
    expect((await tm.client().recordings(recording.sid).transcriptions.list()).map((t) => t.sid)).toEqual([sid]);
    expect((await tm.client().transcriptions.list()).map((t) => t.sid)).toContain(sid);
    await tm.client().recordings(recording.sid).transcriptions(sid).remove();
    expect(await tm.client().recordings(recording.sid).transcriptions.list()).toEqual([]);
    expect((await tm.api('GET', `/2010-04-01/Accounts/${tm.accountSid}/Transcriptions/${sid}.json`)).status).toBe(404);
  });

  it('serves a call’s alerts as its Notifications: code, level, the request it was about', async () => {
    app.route('/broken', { status: 500, body: 'oops', type: 'text/plain' });
    const call = await tm.client().calls.create({ to: fresh(), from: FROM, url: `${app.url}/broken` });
    await tm.advance(10_000);
    const [note] = await tm.client().calls(call.sid).notifications.list();
    expect(note).toMatchObject({ callSid: call.sid, errorCode: '11200', log: '0', requestMethod: 'POST', requestUrl: `${app.url}/broken`, moreInfo: 'https://www.twilio.com/docs/errors/11200' });
    expect(note.sid).toMatch(/^NO[0-9a-f]{32}$/);
    expect(new URLSearchParams(note.messageText).get('ErrorCode')).toBe('11200');
    const full = await tm.client().calls(call.sid).notifications(note.sid).fetch();
    expect(new URLSearchParams(full.requestVariables).get('CallSid')).toBe(call.sid);
    expect((await tm.client().notifications.list()).map((x) => x.sid)).toContain(note.sid);
    expect((await tm.client().notifications(note.sid).fetch()).callSid).toBe(call.sid);
    expect(await tm.client().calls(call.sid).notifications.list({ log: 1 })).toEqual([]);
  });

  it('refuses a Media Stream on a call that is not in progress (21220), and keeps one on a live call', async () => {
    const call = await tm.client().calls.create({ to: fresh(), from: FROM, twiml: '<Response><Pause length="30"/></Response>' });
    await expect(tm.client().calls(call.sid).streams.create({ url: 'wss://example.com/stream' })).rejects.toMatchObject({ status: 400, code: 21220 });
    await tm.advance(5_000);
    const stream = await tm.client().calls(call.sid).streams.create({ url: 'wss://example.com/stream' });
    expect(stream).toMatchObject({ callSid: call.sid });
    await tm.advance(60_000);
    await expect(tm.client().calls(call.sid).siprec.create({ connectorName: 'c' })).rejects.toMatchObject({ status: 400, code: 21220 });
  });
});

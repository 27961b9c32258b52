/**
 * The inspector shows a call: `GET /_mirra/inspect/calls/<sid>` answers its representation with
 * its transcript and alerts, its status callbacks and TwiML requests; the session timeline has its
 * statuses (initiated included), each callback right after the status it reports, and a row per
 * transcript line.
 */
import { startTestMirror, type TestMirror } from '../helpers/mirror';
import { startTwimlApp, type TwimlApp } from '../helpers/twiml-app';

const FROM = '+15555550123';

describe('the inspector and calls', () => {
  let tm: TestMirror;
  let app: TwimlApp;
  let sid = '';
  beforeAll(async () => {
    app = await startTwimlApp();
    app.route('/voice', '<Response><Say>Inspect me.</Say><Bogus/></Response>');
    app.route('/status', { status: 204 });
    tm = await startTestMirror({ seed: { name: 'inspect-calls', clock: { frozen: true }, numbers: [{ phoneNumber: FROM }] } });
    sid = (await tm.client().calls.create({ to: '+15551230000', from: FROM, url: `${app.url}/voice`, statusCallback: `${app.url}/status`, statusCallbackEvent: ['initiated', 'answered', 'completed'] })).sid;
    await tm.advance(10_000);
  });
  afterAll(async () => {
    await app.close();
    await tm.close();
  });

  it('details a call: its fields, transcript, alerts, callbacks and TwiML requests', async () => {
    const res = await tm.control('GET', `/_mirra/inspect/calls/${sid}`);
    expect(res.status).toBe(200);
    expect(res.body.call).toMatchObject({ sid, status: 'completed', said: ['Inspect me.'] });
    expect(res.body.call.transcript.map((t: any) => t.summary)).toEqual([`requested POST ${app.url}/voice (url)`, 'said "Inspect me."', 'hung up (end-of-twiml)']);
    expect(res.body.call.alerts.map((a: any) => a.code)).toEqual([12200]);
    expect(res.body.transitions.map((t: any) => t.status)).toEqual(['queued', 'initiated', 'ringing', 'in-progress', 'completed']);
    const titles = res.body.callbacks.map((c: any) => c.title.split(' →')[0]).sort();
    expect(titles).toEqual(['TwiML request', 'call status callback (completed)', 'call status callback (in-progress)', 'call status callback (initiated)']);
  });

  it('puts each callback right after the status it reports, and the transcript on the timeline', async () => {
    const { events } = (await tm.control('GET', `/_mirra/events?q=${sid}`)).body;
    const rows = events.map((e: any) => (e.type === 'status' ? `status ${e.detail.status}` : e.type === 'callback' ? `callback ${e.detail.params.CallStatus}` : `${e.type}: ${e.title.replace(`${sid} `, '')}`));
    const at = (row: string) => rows.indexOf(row);
    expect(at('callback initiated')).toBe(at('status initiated') + 1);
    expect(at('callback in-progress')).toBeGreaterThan(at('status in-progress'));
    expect(at('callback completed')).toBeGreaterThan(at('status completed'));
    expect(at('call-transcript: said "Inspect me."')).toBeGreaterThan(at('status in-progress'));
    expect(rows).toContain('call-alert: alert 12200: Schema validation warning: unknown verb <Bogus>');
    expect(rows).toContain(`call-transcript: requested POST ${app.url}/voice (url)`);
  });
});

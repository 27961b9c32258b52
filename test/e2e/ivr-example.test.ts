/**
 * Issue #18: examples/ivr-express end to end, as a user runs it. The app runs as its own process
 * with only the mirror's environment (proxy mode), and every webhook reaches it through
 * `twilio.webhook()`: an inbound call walks the menu (`call.digits` → the branch's `<Say>` in the
 * transcript), a reminder call reaches `completed` with every requested status callback signed
 * and in order, a voicemail `<Record>` makes a Recording; forged webhooks are refused (403). Then
 * the example's own `npm test` runs under `mirra replay`.
 */
import { startExampleApp, type ExampleApp } from '../helpers/example-app';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import twilio from 'twilio';
import { REPO_ROOT, runCommand } from '../helpers/child';
import { startTestMirror, tempDir, type TestMirror } from '../helpers/mirror';

const EXAMPLE = join(REPO_ROOT, 'examples', 'ivr-express');
const OFFICE = '+15555550123'; // owned by the twilio:verified-numbers seed
const PATIENT = '+15551230100';

describe('examples/ivr-express', () => {
  let tm: TestMirror;
  let app: ExampleApp | undefined;
  let appUrl = '';
  const simulate = async (event: string, body: Record<string, unknown>) => {
    const res = await tm.control('POST', '/_mirra/simulate', { event, ...body });
    expect(res.status).toBe(200);
    return res.body;
  };
  const view = async (sid: string) => (await tm.control('GET', `/_mirra/calls?sid=${sid}`)).body.calls[0];

  beforeAll(async () => {
    tm = await startTestMirror({ seed: 'twilio:verified-numbers' });
    await tm.control('POST', '/_mirra/clock', { freeze: true });
    app = await startExampleApp(EXAMPLE, { ...tm.env, IVR_NUMBER: OFFICE });
    appUrl = app.url;
  });

  afterAll(async () => {
    await app?.stop();
    await tm?.close();
  });

  it('walks an inbound caller through the menu: press 1, hear the appointment, on the stepped clock', async () => {
    const wall = performance.now();
    const virtual = await tm.now();
    const { call } = await simulate('call.inbound', { from: PATIENT, to: OFFICE });
    await tm.advance(2_000);
    await simulate('call.digits', { callSid: call.sid, digits: '1' });
    await tm.advance(30_000);
    const seen = await view(call.sid);
    expect(seen).toMatchObject({ status: 'completed', direction: 'inbound', alerts: [] });
    expect(seen.said).toEqual(['Welcome to Mirra Dental. Press 1 for your next appointment. Press 2 to leave a message.', 'Your next appointment is on Monday at 9 AM.']);
    expect(seen.transcript.map((t: any) => t.kind)).toEqual(['fetch', 'say', 'gather', 'fetch', 'say', 'hangup']);
    const elapsed = { virtualMs: (await tm.now()) - virtual, wallMs: Math.round(performance.now() - wall) };
    process.stderr.write(`ivr-example: the menu call took ${elapsed.virtualMs} ms of virtual time in ${elapsed.wallMs} ms of wall time\n`);
    expect(elapsed.virtualMs).toBe(32_000); // the clock moved only when stepped (the wall time is reported, not asserted)
    // Each TwiML request passed the app's twilio.webhook() check.
    const log = (await tm.control('GET', `/_mirra/callbacks?sid=${call.sid}&kind=call-twiml`)).body.callbacks;
    expect(log.map((d: any) => [new URL(d.url).pathname, d.response.statusCode])).toEqual([['/voice', 200], ['/voice/menu', 200]]);
  });

  it('places a reminder call that reaches completed, every requested callback signed and in order', async () => {
    const res = await fetch(`${appUrl}/reminders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to: PATIENT, from: OFFICE }) });
    expect(res.status).toBe(201);
    const { callSid, status } = (await res.json()) as { callSid: string; status: string };
    expect(status).toBe('queued');
    await tm.advance(8_000);
    await simulate('call.digits', { callSid, digits: '1' });
    await tm.advance(30_000);
    const seen = (await (await fetch(`${appUrl}/calls/${callSid}`)).json()) as { statuses: { status: string; sequence: number }[]; answer: string };
    expect(seen.statuses).toEqual([
      { status: 'initiated', sequence: 0 },
      { status: 'ringing', sequence: 1 },
      { status: 'in-progress', sequence: 2 },
      { status: 'completed', sequence: 3 },
    ]);
    expect(seen.answer).toBe('confirmed');
    const log = (await tm.control('GET', `/_mirra/callbacks?sid=${callSid}&kind=call-status-callback`)).body.callbacks;
    for (const d of log) {
      expect(d).toMatchObject({ url: `${appUrl}/voice/status`, state: 'delivered', response: { statusCode: 204 } });
      expect(twilio.validateRequest(tm.authToken, d.signature, d.url, d.params)).toBe(true);
    }
    expect((await tm.client().calls(callSid).fetch()).status).toBe('completed');
  });

  it('takes a voicemail: <Record> makes a Recording the app hears about', async () => {
    const { call } = await simulate('call.inbound', { from: PATIENT, to: OFFICE });
    await tm.advance(2_000);
    await simulate('call.digits', { callSid: call.sid, digits: '2' });
    await tm.advance(4_000);
    await simulate('call.speech', { callSid: call.sid, speech: 'Please call me back.' });
    await tm.advance(30_000);
    const [recording] = await tm.client().recordings.list({ callSid: call.sid });
    expect(recording).toMatchObject({ callSid: call.sid, source: 'RecordVerb', status: 'completed' });
    const { voicemails } = (await (await fetch(`${appUrl}/voicemails`)).json()) as { voicemails: any[] };
    expect(voicemails.filter((v) => v.callSid === call.sid)).toEqual([
      { recordingSid: recording.sid, callSid: call.sid, url: `https://api.twilio.com/2010-04-01/Accounts/${tm.accountSid}/Recordings/${recording.sid}`, duration: Number(recording.duration), status: 'completed' },
    ]);
    expect((await view(call.sid)).said.at(-1)).toBe('Thank you. Goodbye.');
  });

  it('refuses webhooks not signed with the account’s token (403) or unsigned (400)', async () => {
    const params = { CallSid: `CA${'0'.repeat(32)}`, CallStatus: 'completed', SequenceNumber: '9' };
    const send = (headers: Record<string, string>) =>
      fetch(`${appUrl}/voice/status`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(params).toString() });
    expect((await send({ 'x-twilio-signature': twilio.getExpectedTwilioSignature('0'.repeat(32), `${appUrl}/voice/status`, params) })).status).toBe(403);
    expect((await send({})).status).toBe(400);
    expect(((await (await fetch(`${appUrl}/calls/${params.CallSid}`)).json()) as { statuses: unknown[] }).statuses).toEqual([]);
  });

  it("passes its own `npm test` under `mirra replay` against a fresh mirror", async () => {
    const dataDir = tempDir('mirra-ivr-example-');
    try {
      const res = await runCommand(
        process.execPath,
        [join(REPO_ROOT, 'bin', 'mirra.js'), 'replay', '--data-dir', dataDir, '--seed', 'twilio:verified-numbers', '--', 'npm', 'test'],
        { npm_config_update_notifier: 'false', npm_config_fund: 'false', MIRRA_URL: undefined },
        60_000,
        EXAMPLE,
      );
      if (res.code !== 0) throw new Error(`npm test exited ${res.code}:\n${res.stdout}${res.stderr}`);
      expect(res.stdout).toMatch(/^# pass 3$/m);
      expect(res.stdout).toMatch(/^# fail 0$/m);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

/**
 * Recording and replaying a call (issue #18): against a local mirra standing in for Twilio, the
 * recorder captures a call's status callbacks and its recording's callback (`StatusCallback`,
 * `RecordingStatusCallback` rewritten to capture addresses), forwards them re-signed to the app,
 * and writes them under the create; replaying the cassette fires them again, re-signed with the
 * replaying session's token, at their offsets on the virtual clock.
 */
import { join } from 'node:path';
import twilio from 'twilio';
import { loadCassette } from '../../src/cassette/codec';
import { startRecorder } from '../../src/mirror/start-recorder';
import { startTestMirror, tempDir } from '../helpers/mirror';
import { startTwimlApp, type TwimlApp } from '../helpers/twiml-app';

const FROM = '+15555550123';
const TO = '+15551230000';
const SEED = { name: 'rec-calls', numbers: [{ phoneNumber: FROM }], clock: { frozen: true } };

describe('recording and replaying a call', () => {
  let app: TwimlApp;
  beforeAll(async () => {
    app = await startTwimlApp();
    app.route('/voice', '<Response><Pause length="3"/></Response>');
    app.route('/status', { status: 204 });
    app.route('/rec', { status: 204 });
  });
  afterAll(() => app.close());

  const create = (client: twilio.Twilio) =>
    client.calls.create({
      to: TO, from: FROM, url: `${app.url}/voice`, record: true, recordingStatusCallback: `${app.url}/rec`,
      statusCallback: `${app.url}/status`, statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
    });
  const callbacksOf = (sid: string) => app.received.filter((r) => r.params.CallSid === sid && r.path !== '/voice');

  it('captures the call’s callbacks, then replays them re-signed on the virtual clock', async () => {
    const dir = tempDir('mirra-rec-calls-');
    const standIn = await startTestMirror({ seed: SEED });
    const made = (await standIn.control('POST', '/_mirra/sessions', { seed: SEED })).body as { sessionId: string; accountSid: string; authToken: string };
    const rec = await startRecorder({ cassette: 'calls/reminder', upstream: standIn.url, publicUrl: 'self', port: 0, proxy: false, dataDir: join(dir, 'data'), cassettesDir: join(dir, 'cassettes') });
    let recordedSid = '';
    try {
      const client = twilio(made.accountSid, made.authToken);
      client.api.baseUrl = rec.url;
      recordedSid = (await create(client)).sid;
      await standIn.control('POST', `/_mirra/clock?session=${made.sessionId}`, { advanceMs: 20_000 });
      await rec.stop();
    } finally {
      await rec.stop();
      await standIn.close();
    }
    // The app got them through the recorder, signed for its own URL with the real token.
    const live = callbacksOf(recordedSid);
    expect(live.map((r) => r.params.CallStatus ?? r.params.RecordingStatus)).toEqual(['initiated', 'ringing', 'in-progress', 'completed', 'completed']);
    expect(live.map((r) => r.path)).toEqual(['/status', '/status', '/status', '/rec', '/status']);
    for (const r of live) expect(twilio.validateRequest(made.authToken, String(r.headers['x-twilio-signature']), app.url + r.path, r.params)).toBe(true);

    const cassette = loadCassette(join(dir, 'cassettes'), 'calls/reminder');
    expect(cassette.callbacks).toBe('recorded');
    expect(cassette.interactions[0].callbacks.map((c) => c.urlParam)).toEqual(['StatusCallback', 'StatusCallback', 'StatusCallback', 'RecordingStatusCallback', 'StatusCallback']);

    const tm = await startTestMirror({ proxy: false, seed: SEED, cassette });
    try {
      const replayed = await create(tm.client());
      expect(replayed.sid).not.toBe(recordedSid);
      await tm.advance(20_000);
      const again = callbacksOf(replayed.sid);
      expect(again.map((r) => r.params.CallStatus ?? r.params.RecordingStatus)).toEqual(['initiated', 'ringing', 'in-progress', 'completed', 'completed']);
      for (const r of again) expect(twilio.validateRequest(tm.authToken, String(r.headers['x-twilio-signature']), app.url + r.path, r.params)).toBe(true);
      // The replayed callbacks moved the call: the emulator's fetch agrees with them.
      expect((await tm.client().calls(replayed.sid).fetch()).status).toBe('completed');
    } finally {
      await tm.close();
    }
  }, 30_000);
});

/**
 * What real clients send (issue #16 item 1): twilio-node 3.0–3.40 posts `multipart/form-data`
 * bodies (request@2's `formData`). Twilio reads them as it reads urlencoded ones, and so does mirra —
 * for the emulator and for a recording alike. The client here is the real twilio@3.30.0 (installed
 * as `twilio3`), pointed at the mirror in base-URL mode.
 */
import http from 'node:http';
import { join } from 'node:path';
import { loadCassette } from '../../src/cassette/codec';
import { startRecorder } from '../../src/mirror/start-recorder';
import { listenLocal } from '../helpers/listen';
import { startTestMirror, tempDir, type TestMirror } from '../helpers/mirror';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const twilio3 = require('twilio3');
const FROM = '+15555550123';

/** A twilio@3.30.0 client whose domains point at `url`. */
function oldClient(sid: string, token: string, url: string) {
  const client = twilio3(sid, token);
  client.api.baseUrl = url;
  client.verify.baseUrl = url;
  client.messaging.baseUrl = url;
  return client;
}

describe('twilio-node 3.x (multipart bodies)', () => {
  let tm: TestMirror;
  beforeAll(async () => {
    tm = await startTestMirror({ seed: { name: 'old', numbers: [{ phoneNumber: FROM }], clock: { frozen: true } } });
  });
  afterAll(() => tm.close());

  it('really sends multipart/form-data (the premise)', async () => {
    const seen: { type: string; body: string }[] = [];
    const capture = await listenLocal(
      http.createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          seen.push({ type: String(req.headers['content-type']), body });
          res.writeHead(201, { 'content-type': 'application/json' }).end('{}');
        });
      }),
    );
    await oldClient(tm.accountSid, tm.authToken, capture.url).messages.create({ to: '+15551230000', from: FROM, body: 'hi' });
    await capture.close();
    expect(seen[0].type).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen[0].body).toContain('Content-Disposition: form-data; name="To"');
  });

  it('creates a message, starts a Verify verification and creates a messaging service', async () => {
    const client = oldClient(tm.accountSid, tm.authToken, tm.url);
    const message = await client.messages.create({ to: '+15551230000', from: FROM, body: 'héllo from 3.30', mediaUrl: ['https://example.com/a.png', 'https://example.com/b.png'] });
    expect(message).toMatchObject({ to: '+15551230000', from: FROM, body: 'héllo from 3.30', status: 'queued', numMedia: '2' });
    const service = await client.verify.services.create({ friendlyName: 'Old SDK' });
    const verification = await client.verify.services(service.sid).verifications.create({ to: '+15551230000', channel: 'sms' });
    expect(verification).toMatchObject({ status: 'pending', to: '+15551230000', channel: 'sms' });
    const messaging = await client.messaging.services.create({ friendlyName: 'Old SDK service', statusCallback: 'https://example.com/status' });
    expect(messaging).toMatchObject({ friendlyName: 'Old SDK service', statusCallback: 'https://example.com/status' });
  });

  it('records multipart requests with their params, and the upstream gets them too', async () => {
    const dir = tempDir('mirra-multipart-rec-');
    const rec = await startRecorder({ cassette: 'old-sdk', upstream: tm.url, port: 0, proxy: false, dataDir: join(dir, 'data'), cassettesDir: join(dir, 'cassettes') });
    try {
      const sent = await oldClient(tm.accountSid, tm.authToken, rec.url).messages.create({ to: '+15551230001', from: FROM, body: 'recorded' });
      expect(sent).toMatchObject({ body: 'recorded', to: '+15551230001' });
    } finally {
      await rec.stop();
    }
    const [create] = loadCassette(join(dir, 'cassettes'), 'old-sdk').interactions;
    expect(create.request.form).toEqual([
      ['Body', 'recorded'],
      ['From', FROM],
      ['To', '+15551230001'],
    ]);
    expect(create.response?.status).toBe(201);
  });
});

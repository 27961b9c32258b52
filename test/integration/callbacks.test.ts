/**
 * Status callbacks: Twilio's fields, order, signature (validated by the SDK's own validator),
 * headers, retries per connection overrides, and the delivery log — on a stepped clock.
 */
import twilio from 'twilio';
import { rudeServer } from '../helpers/rude-server';
import { startReceiver, type Receiver } from '../helpers/receiver';
import { startTestMirror, type TestMirror } from '../helpers/mirror';

const FROM = '+15555550123';

describe('status callbacks', () => {
  let tm: TestMirror;
  let rx: Receiver;
  beforeAll(async () => {
    tm = await startTestMirror({ seed: { name: 't', numbers: [{ phoneNumber: FROM }], clock: { frozen: true }, callbacks: { retryDelayMs: 1000 } } });
    rx = await startReceiver();
  });
  afterAll(async () => {
    await rx.close();
    await tm.close();
  });
  beforeEach(() => rx.received.splice(0));

  it('delivers each transition in order, signed so twilio.validateRequest accepts it, within one step of the virtual clock', async () => {
    const url = `${rx.url}/status?tenant=a%20b`;
    const m = await tm.client().messages.create({ to: '+15551230000', from: FROM, body: 'hi', statusCallback: url });
    const before = await tm.now();
    await tm.advance(10_000); // the whole timeline in one step of the frozen clock: no real waiting
    expect((await tm.now()) - before).toBe(10_000);
    const got = rx.received.slice(); // the step answered only after its deliveries were attempted
    expect(got).toHaveLength(3);
    expect(got.map((r) => r.params.MessageStatus)).toEqual(['sending', 'sent', 'delivered']);
    for (const r of got) {
      expect(r.method).toBe('POST');
      expect(r.path).toBe('/status?tenant=a%20b');
      expect(r.headers['user-agent']).toBe('TwilioProxy/1.1');
      expect(r.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(r.headers['i-twilio-idempotency-token']).toBeTruthy();
      expect(r.params).toMatchObject({ MessageSid: m.sid, SmsSid: m.sid, AccountSid: tm.accountSid, From: FROM, To: '+15551230000', ApiVersion: '2010-04-01' });
      expect(r.params.SmsStatus).toBe(r.params.MessageStatus);
      expect(r.params.ErrorCode).toBeUndefined();
      const sig = String(r.headers['x-twilio-signature']);
      expect(twilio.validateRequest(tm.authToken, sig, url, r.params)).toBe(true);
      expect(twilio.validateRequest('0'.repeat(32), sig, url, r.params)).toBe(false);
    }
    expect(got[2].params.RawDlrDoneDate).toMatch(/^\d{10}$/);
    const log = await tm.control('GET', `/_mirra/callbacks?sid=${m.sid}`);
    expect(log.body.callbacks.map((d: { state: string }) => d.state)).toEqual(['delivered', 'delivered', 'delivered']);
  });

  it('carries ErrorCode on undelivered (simulate), and forced paths fire every intermediate status', async () => {
    const m = await tm.client().messages.create({ to: '+15551230001', from: FROM, body: 'x', statusCallback: `${rx.url}/s` });
    const res = await tm.control('POST', '/_mirra/simulate', { event: 'message.undelivered', messageId: m.sid, errorCode: 30005 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'undelivered', error_code: 30005 });
    const got = await rx.waitFor(3);
    expect(got.map((r) => [r.params.MessageStatus, r.params.ErrorCode])).toEqual([['sending', undefined], ['sent', undefined], ['undelivered', '30005']]);
    // Nothing more is scheduled for it: the forced outcome replaced the timeline.
    await tm.advance(10_000);
    expect(rx.received).toHaveLength(3);
    const again = await tm.control('POST', '/_mirra/simulate', { event: 'message.delivered', messageId: m.sid });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('MIRRA_ERR_INVALID_TRANSITION');
  });

  it('retries a receiver that is down, per #rc, and delivers once it is back', async () => {
    const down = await startReceiver();
    const port = down.port;
    await down.close(); // nothing listens there now
    const url = `http://127.0.0.1:${port}/cb#rc=3&rp=ct`;
    const m = await tm.client().messages.create({ to: '+15551230002', from: FROM, body: 'x', statusCallback: url });
    await tm.advance(500); // → sending; first attempt fails
    let log = (await tm.control('GET', `/_mirra/callbacks?sid=${m.sid}`)).body.callbacks;
    expect(log[0].state).toBe('pending');
    expect(log[0].attempts[0].error).toBe('ECONNREFUSED');
    const up = await startReceiver(port);
    await tm.advance(1000); // the retry (and the next transition) now succeed, in order
    await tm.advance(1000);
    await tm.advance(1000);
    const got = await up.waitFor(3);
    expect(got.map((r) => r.params.MessageStatus)).toEqual(['sending', 'sent', 'delivered']);
    expect(got[0].path).toBe('/cb'); // the fragment is never sent
    expect(twilio.validateRequest(tm.authToken, String(got[0].headers['x-twilio-signature']), `http://127.0.0.1:${port}/cb`, got[0].params)).toBe(true);
    log = (await tm.control('GET', `/_mirra/callbacks?sid=${m.sid}`)).body.callbacks;
    expect(log[0].attempts.length).toBe(2);
    expect(log[0].state).toBe('delivered');
    // The idempotency token stays the same across retries of one delivery.
    await up.close();
  });

  it('gives up after the retry count and logs every attempt; 5xx is not retried under the default policy', async () => {
    rx.respond(500, 'nope');
    const m = await tm.client().messages.create({ to: '+15551230003', from: FROM, body: 'x', statusCallback: `${rx.url}/fail` });
    await tm.advance(500);
    await rx.waitFor(1);
    const log = (await tm.control('GET', `/_mirra/callbacks?sid=${m.sid}`)).body.callbacks;
    expect(log[0]).toMatchObject({ state: 'failed', attempts: [expect.objectContaining({ statusCode: 500 })] });
    rx.respond(200);
  });

  it('never blocks the API while a receiver hangs', async () => {
    const hang = await rudeServer('hang'); // accepts the connection and never answers
    const m = await tm.client().messages.create({ to: '+15551230004', from: FROM, body: 'x', statusCallback: `${hang.url}/slow#rt=15000` });
    await tm.control('POST', '/_mirra/clock', { advanceMs: 2000, settle: false });
    await hang.whenAccepted(1);
    // The API answers while the first callback is still waiting for the receiver.
    const fetched = await tm.client().messages(m.sid).fetch();
    expect(fetched.status).toBe('delivered');
    const log = (await tm.control('GET', `/_mirra/callbacks?sid=${m.sid}`)).body.callbacks;
    expect(log[0]).toMatchObject({ state: 'pending', attempts: [] });
    await hang.close();
  });
});

/**
 * Issue #7 part 1: in-process mode. The unchanged `twilio` SDK (no baseUrl, no proxy, no env
 * tricks) in this process reaches the mirror because nock intercepts Twilio's hosts and hands each
 * request to `app.inject`; callbacks still go out over loopback to the app's receiver, signed.
 * Closing removes only the mirror's own interceptors.
 */
import nock from 'nock';
import twilio from 'twilio';
import { startMirror, type InProcessMirror } from '../../src/index';
import { startReceiver, type Receiver } from '../helpers/receiver';

const FROM = '+15555550123'; // owned by the verified-numbers seed
const VERIFY_SERVICE = 'VA00000000000000000000000000000001'; // the verify-flow seed's service

describe('in-process mirror (nock → app.inject)', () => {
  let m: InProcessMirror;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver();
    m = await startMirror({ inProcess: true, seed: 'twilio:verified-numbers' });
  });
  afterAll(async () => {
    await m?.close();
    await receiver.close();
  });
  beforeEach(async () => {
    await m.reset();
    receiver.received.length = 0;
  });

  it('serves the unchanged SDK and delivers signed callbacks to a local receiver', async () => {
    const client = twilio(m.accountSid, m.authToken);
    const url = `${receiver.url}/status`;
    const sent = await client.messages.create({ to: '+15551234567', from: FROM, body: 'in-process hello', statusCallback: url });
    expect(sent.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(sent.status).toBe('queued');
    expect(sent.accountSid).toBe(m.accountSid);
    // The mirror's state, not a canned answer: the SDK reads the message back, then the clock moves it on.
    expect((await client.messages(sent.sid).fetch()).body).toBe('in-process hello');
    await m.advance(5000);
    const got = await receiver.waitFor(3);
    expect(got.map((r) => r.params.MessageStatus)).toEqual(['sending', 'sent', 'delivered']);
    for (const r of got) {
      expect(twilio.validateRequest(m.authToken, String(r.headers['x-twilio-signature']), url, r.params)).toBe(true);
    }
    expect((await client.messages(sent.sid).fetch()).status).toBe('delivered');
    expect(await m.messages('+15551234567')).toEqual([expect.objectContaining({ sid: sent.sid, body: 'in-process hello' })]);
  });

  it('answers Twilio errors as the SDK’s RestException, wrong credentials included', async () => {
    const client = twilio(m.accountSid, m.authToken);
    await expect(client.messages.create({ to: '+15551234567', from: '+15550000000', body: 'x' })).rejects.toMatchObject({ status: 400, code: 21606 });
    const wrong = twilio(m.accountSid, 'not-the-token');
    await expect(wrong.messages.list()).rejects.toMatchObject({ status: 401, code: 20003 });
  });

  it('intercepts every Twilio host (regional and unknown products never reach the network)', async () => {
    const regional = twilio(m.accountSid, m.authToken, { region: 'ie1', edge: 'dublin' });
    const listed = await regional.messages.list({ limit: 5 });
    expect(listed).toEqual([]);
    const auth = 'Basic ' + Buffer.from(`${m.accountSid}:${m.authToken}`).toString('base64');
    // Every API answers: Lookup from the number itself, Conversations from the generic engine.
    const lookups = await fetch('https://lookups.twilio.com/v2/PhoneNumbers/+15551234567', { headers: { authorization: auth } });
    expect(lookups.status).toBe(200);
    expect(await lookups.json()).toMatchObject({ phone_number: '+15551234567', url: 'https://lookups.twilio.com/v2/PhoneNumbers/+15551234567' });
    const conversation = await twilio(m.accountSid, m.authToken).conversations.v1.conversations.create({ friendlyName: 'in-process' });
    expect(conversation.url).toBe(`https://conversations.twilio.com/v1/Conversations/${conversation.sid}`);
    const unknown = await fetch('https://nothing-here.twilio.com/v1/Things', { headers: { authorization: auth } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 20404 });
    // mirra's control plane is never served under a Twilio host name.
    expect((await fetch('https://api.twilio.com/_mirra/health')).status).toBe(404);
  });

  it('gives each session its own account, and sessions never see each other', async () => {
    const other = await m.createSession({ id: 'inproc-other', seed: 'twilio:verified-numbers' });
    try {
      const a = twilio(m.accountSid, m.authToken);
      const b = twilio(other.accountSid, other.authToken);
      const mine = await a.messages.create({ to: '+15551234500', from: FROM, body: 'a' });
      expect((await b.messages.list()).map((x) => x.sid)).toEqual([]);
      await expect(b.messages(mine.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
      expect((await a.messages.list()).map((x) => x.sid)).toEqual([mine.sid]);
    } finally {
      await m.control('DELETE', '/_mirra/sessions/inproc-other');
    }
  });

  it('re-arms after a test calls nock.cleanAll(), and refuses a second interceptor with the fix', async () => {
    nock.cleanAll();
    expect(m.ensureIntercepting()).toBe(true);
    expect(m.ensureIntercepting()).toBe(false);
    const client = twilio(m.accountSid, m.authToken);
    expect(await client.messages.list()).toEqual([]);
    await expect(startMirror({ inProcess: true })).rejects.toThrow(/already intercepting Twilio in this process\. Fix: close\(\) it first/);
  });
});

describe('in-process mirror: Verify through verify.twilio.com', () => {
  it('runs an OTP flow and answers https URLs as Twilio does', async () => {
    const m = await startMirror({ inProcess: true, seed: 'twilio:verify-flow' });
    try {
      const service = twilio(m.accountSid, m.authToken).verify.v2.services(VERIFY_SERVICE);
      const started = await service.verifications.create({ to: '+15551230100', channel: 'sms' });
      expect(started.url).toBe(`https://verify.twilio.com/v2/Services/${VERIFY_SERVICE}/Verifications/${started.sid}`);
      const [inbox] = await m.messages('+15551230100');
      const code = /(\d{4,10})/.exec(inbox.body)![1];
      expect((await service.verificationChecks.create({ to: '+15551230100', code })).status).toBe('approved');
    } finally {
      await m.close();
    }
  });
});

describe('in-process mirror: a token in the environment', () => {
  it('needs no token for its own control calls, and the inspector URL carries it', async () => {
    const m = await startMirror({ inProcess: true, token: 'in-process-token-1' });
    try {
      expect((await m.advance(1000)).nowMs).toBeGreaterThan(0);
      expect(await m.inspect()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/_mirra\/\?token=in-process-token-1$/);
      const page = await fetch(await m.inspect());
      expect(page.status).toBe(200);
    } finally {
      await m.close();
    }
  });
});

describe('in-process mirror: close()', () => {
  afterEach(() => nock.enableNetConnect());

  it('removes only its own interceptors', async () => {
    const mine = nock('https://example.test').persist().get('/ping');
    mine.reply(200, 'pong', { 'content-length': '4' });
    const m = await startMirror({ inProcess: true });
    const ours = nock.activeMocks().filter((k) => k.includes('twilio'));
    expect(ours.length).toBeGreaterThan(0);
    await m.close();
    expect(nock.activeMocks().filter((k) => k.includes('twilio'))).toEqual([]);
    expect(await (await fetch('https://example.test/ping')).text()).toBe('pong');
    // Twilio is no longer answered in-process: with the network closed, nock says so.
    nock.disableNetConnect();
    await expect(fetch('https://api.twilio.com/2010-04-01/Accounts.json')).rejects.toThrow();
    nock.removeInterceptor(mine);
    // A new mirror may start once the old one is closed.
    const again = await startMirror({ inProcess: true });
    await again.close();
  });
});

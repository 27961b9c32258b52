/**
 * Issue #7 part 2, the data behind the session inspector: `GET /_mirra/events` merges API requests,
 * status transitions, callbacks (signature, the app's answer, retries), inbound webhooks, Verify
 * codes and control actions into one timeline per session, filterable by number or SID, never
 * showing a credential; `GET /_mirra/inspect/messages/:sid` is a message's detail view; `GET
 * /_mirra/` serves the page itself.
 */
import { startTestMirror, type TestMirror } from '../helpers/mirror';
import { startReceiver, type Receiver } from '../helpers/receiver';

const FROM = '+15555550123';
const NUMBER_SID = 'PN00000000000000000000000000000123'; // +15555550123 in the verified-numbers seed

describe('inspector feed and timeline', () => {
  let tm: TestMirror;
  let receiver: Receiver;
  const messagesPath = () => `/2010-04-01/Accounts/${tm.accountSid}/Messages.json`;
  const events = async (q = '') => (await tm.control('GET', `/_mirra/events${q ? `?q=${encodeURIComponent(q)}` : ''}`)).body;

  beforeAll(async () => {
    tm = await startTestMirror({ seed: 'twilio:verified-numbers' });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await tm.close();
  });
  beforeEach(async () => {
    await tm.control('POST', '/_mirra/reset');
    await tm.control('POST', '/_mirra/clock', { freeze: true });
    receiver.received.length = 0;
    receiver.respond(200, '');
  });

  it('shows a message’s request, transitions, callbacks and delivery in causal order', async () => {
    const sent = await tm.api('POST', messagesPath(), { To: '+15551234501', From: FROM, Body: 'timeline me', StatusCallback: `${receiver.url}/cb` });
    expect(sent.status).toBe(201);
    await tm.advance(5000);
    await receiver.waitFor(3);
    const body = await events();
    expect(body.session).toMatchObject({ id: 'default', accountSid: tm.accountSid, seed: 'verified-numbers' });
    const mine = body.events.filter((e: any) => e.sids.includes(sent.body.sid));
    expect(mine.map((e: any) => e.type)).toEqual(['request', 'status', 'callback', 'status', 'callback', 'status', 'inbox', 'callback']);
    expect(mine[0].title).toBe(`POST /2010-04-01/Accounts/${tm.accountSid.slice(0, 6)}…/Messages.json → 201 ${sent.body.sid} queued to +15551234501`);
    expect(mine[0].detail.path).toBe(messagesPath());
    expect(mine[0].detail.params).toMatchObject({ To: '+15551234501', From: FROM, Body: 'timeline me' });
    expect(mine.filter((e: any) => e.type === 'status').map((e: any) => e.detail.status)).toEqual(['sending', 'sent', 'delivered']);
    const callbacks = mine.filter((e: any) => e.type === 'callback');
    expect(callbacks.map((e: any) => e.detail.params.MessageStatus)).toEqual(['sending', 'sent', 'delivered']);
    // The signature shown is the one the app received, with the app's answer.
    expect(callbacks.map((e: any) => e.detail.signature)).toEqual(receiver.received.map((r) => r.headers['x-twilio-signature']));
    expect(callbacks[0].detail).toMatchObject({ state: 'delivered', retries: 0, response: { statusCode: 200 } });
    // Control actions appear too: the clock step that caused all of this.
    expect(body.events.some((e: any) => e.type === 'control' && e.title === 'clock advanceMs=5000')).toBe(true);
  });

  it('never shows a credential', async () => {
    await tm.api('POST', messagesPath(), { To: '+15551234502', From: FROM, Body: `my token is ${tm.authToken}`, AuthToken: 'x-secret-value' });
    await tm.api('GET', messagesPath(), undefined, [tm.accountSid, 'wrong-token-123456']);
    const text = JSON.stringify(await events());
    expect(text).not.toContain(tm.authToken);
    expect(text).not.toContain('x-secret-value');
    expect(text).not.toContain(Buffer.from(`${tm.accountSid}:${tm.authToken}`).toString('base64'));
    expect(text).not.toContain('wrong-token-123456');
    expect(text).toContain('[REDACTED]');
    // A refused request still shows, in the session its AccountSid names.
    const refused = (await events()).events.find((e: any) => e.type === 'request' && e.detail.statusCode === 401);
    expect(refused.detail).toMatchObject({ authenticated: false, error: { code: 20003 } });
  });

  it('filters by SID and by number in any format', async () => {
    const a = await tm.api('POST', messagesPath(), { To: '+15551234503', From: FROM, Body: 'a' });
    const b = await tm.api('POST', messagesPath(), { To: '+15557654321', From: FROM, Body: 'b' });
    await tm.advance(5000);
    const bySid = await events(a.body.sid);
    expect(bySid.matching).toBeGreaterThan(0);
    expect(bySid.matching).toBeLessThan(bySid.total);
    expect(bySid.events.every((e: any) => e.sids.includes(a.body.sid))).toBe(true);
    const byNumber = await events('(555) 765-4321');
    expect(byNumber.events.length).toBeGreaterThan(0);
    expect(byNumber.events.every((e: any) => e.numbers.includes('+15557654321'))).toBe(true);
    expect(byNumber.events.some((e: any) => e.sids.includes(b.body.sid))).toBe(true);
    expect((await events('SM' + '0'.repeat(32))).events).toEqual([]);
  });

  it('details a message: transitions, and callbacks with signature, the app’s answer and retries', async () => {
    receiver.respond(500, 'boom');
    const sent = await tm.api('POST', messagesPath(), { To: '+15551234504', From: FROM, Body: 'retry me', StatusCallback: `${receiver.url}/cb#rc=1&rp=5xx` });
    // One message's callbacks go one after another, each retried 1 s (session clock) after it fails.
    for (let i = 0; i < 6; i++) await tm.advance(1000);
    const detail = (await tm.control('GET', `/_mirra/inspect/messages/${sent.body.sid}`)).body;
    expect(detail.message).toMatchObject({ sid: sent.body.sid, status: 'delivered', body: 'retry me' });
    expect(detail.transitions.map((t: any) => t.status)).toEqual(['queued', 'sending', 'sent', 'delivered']);
    expect(detail.callbacks).toHaveLength(3);
    for (const cb of detail.callbacks) {
      expect(cb.detail).toMatchObject({ state: 'failed', retries: 1, response: { statusCode: 500, body: 'boom' } });
      expect(cb.detail.signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
      expect(cb.detail.attempts).toHaveLength(2);
      expect(cb.tone).toBe('error');
      expect(cb.title).toMatch(/failed: 11200 500 after 2 attempts$/);
    }
    expect((await tm.control('GET', `/_mirra/inspect/messages/SM${'f'.repeat(32)}`)).status).toBe(404);
  });

  it('shows inbound webhooks and Verify-style inbox items; a reset starts the timeline over', async () => {
    await tm.api('POST', `/2010-04-01/Accounts/${tm.accountSid}/IncomingPhoneNumbers/${NUMBER_SID}.json`, { SmsUrl: `${receiver.url}/sms` });
    receiver.respond(200, '<Response/>', 'text/xml');
    await tm.control('POST', '/_mirra/simulate', { event: 'message.inbound', from: '+15551110000', to: FROM, body: 'hello mirror' });
    const inbound = (await events()).events.filter((e: any) => e.type === 'inbound-webhook');
    expect(inbound).toHaveLength(1);
    expect(inbound[0].numbers).toEqual(expect.arrayContaining([FROM, '+15551110000']));
    expect(inbound[0].detail).toMatchObject({ state: 'delivered', response: { statusCode: 200, body: '<Response/>' } });
    expect(inbound[0].detail.signature).toBe(receiver.received[0].headers['x-twilio-signature']);

    await tm.control('POST', '/_mirra/reset');
    const after = await events();
    expect(after.events.map((e: any) => e.title)).toEqual(['reset']);
  });

  it('serves the page and its files, on the mirror’s own host only', async () => {
    const page = await fetch(`${tm.url}/_mirra/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('<ol id="timeline">');
    const js = await fetch(`${tm.url}/_mirra/inspector/inspector.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toContain('/_mirra/events');
    expect((await fetch(`${tm.url}/_mirra/inspector/secret.txt`)).status).toBe(404);
    expect((await fetch(`${tm.url}/_mirra`, { redirect: 'manual' })).headers.get('location')).toBe('/_mirra/');
    expect((await tm.control('GET', '/_mirra/events?limit=0')).body).toMatchObject({ code: 'MIRRA_ERR_BAD_REQUEST' });
    expect((await tm.control('GET', '/_mirra/events?session=nope')).status).toBe(404);
  });
});

describe('inspector: a mirror with a control-plane token', () => {
  it('serves the page to whoever opens it with ?token=, and its files carry the token on', async () => {
    const tm = await startTestMirror({ token: 'inspector-token-123' });
    try {
      expect((await fetch(`${tm.url}/_mirra/`)).status).toBe(401);
      const page = await fetch(`${tm.url}/_mirra/?token=inspector-token-123`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('src="/_mirra/inspector/inspector.js?token=inspector-token-123"');
      expect(html).toContain('href="/_mirra/inspector/inspector.css?token=inspector-token-123"');
      expect((await fetch(`${tm.url}/_mirra/inspector/inspector.js?token=inspector-token-123`)).status).toBe(200);
      const events = await fetch(`${tm.url}/_mirra/events`, { headers: { 'x-mirra-token': 'inspector-token-123' } });
      expect(events.status).toBe(200);
      expect((await fetch(`${tm.url}/_mirra?token=inspector-token-123`, { redirect: 'manual' })).headers.get('location')).toBe('/_mirra/?token=inspector-token-123');
    } finally {
      await tm.close();
    }
  });
});

describe('inspector: Verify codes', () => {
  it('shows the code a handset received as a verify-code row', async () => {
    const tm = await startTestMirror({ seed: 'twilio:verify-flow' });
    try {
      const started = await tm.api('POST', '/v2/Services/VA00000000000000000000000000000001/Verifications', { To: '+15551230100', Channel: 'sms' });
      expect(started.status).toBe(201);
      const rows = (await tm.control('GET', '/_mirra/events?q=%2B15551230100')).body.events;
      const code = rows.find((e: any) => e.type === 'verify-code');
      expect(code.sids).toEqual([started.body.sid]);
      expect(code.title).toMatch(/^Verify code to \+15551230100 by sms: .*\d{4,}/);
    } finally {
      await tm.close();
    }
  });
});

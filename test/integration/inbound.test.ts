/**
 * Inbound messages (issue #4 §4): `message.inbound` stores a received message and POSTs Twilio's
 * signed webhook to the number's SmsUrl (or the service's inbound_request_url), tries the fallback
 * URL, and executes the TwiML answer — replies become outbound messages with their own timeline;
 * malformed answers are logged with Twilio's codes (12100, 12300, 14110, 11200), never a crash.
 * Default opt-out keywords block later sends (21610) until START; HELP gets the default reply.
 */
import twilio from 'twilio';
import { expectMatchesSchema } from '../helpers/schema';
import { startTestMirror, type TestMirror } from '../helpers/mirror';
import { startReceiver, type Receiver, type Received } from '../helpers/receiver';

const NUMBER = '+15555550123'; // owned by the verified-numbers seed
const NUMBER_SID = 'PN00000000000000000000000000000123';
const OTHER = '+15555550124';
const PHONE = '+14155550987'; // the handset texting us (San Francisco)
const TWIML = (inner: string) => `<?xml version="1.0" encoding="UTF-8"?><Response>${inner}</Response>`;

describe('inbound messages', () => {
  let tm: TestMirror;
  let rx: Receiver;
  let numberPath: string;
  let messages: string;
  beforeAll(async () => {
    tm = await startTestMirror({ seed: 'twilio:verified-numbers' });
    rx = await startReceiver();
    numberPath = `/2010-04-01/Accounts/${tm.accountSid}/IncomingPhoneNumbers/${NUMBER_SID}.json`;
    messages = `/2010-04-01/Accounts/${tm.accountSid}/Messages.json`;
    await tm.control('POST', '/_mirra/clock', { freeze: true });
    expect((await tm.api('POST', numberPath, { SmsUrl: `${rx.url}/sms` })).status).toBe(200);
  });
  afterAll(async () => {
    await rx.close();
    await tm.close();
  });
  beforeEach(() => {
    rx.received.length = 0;
    rx.respond(200, '', 'text/plain');
  });

  const configure = (form: Record<string, string>) => tm.api('POST', numberPath, form);
  const inbound = async (body: Record<string, unknown>) => {
    const r = await tm.control('POST', '/_mirra/simulate', { event: 'message.inbound', from: PHONE, to: NUMBER, body: 'hello', ...body });
    expect(r.status).toBe(200);
    return r.body;
  };
  const isSigned = (r: Received, url = rx.url + r.path) => twilio.validateRequest(tm.authToken, String(r.headers['x-twilio-signature']), url, r.params);
  const deliveries = async (sid: string) => (await tm.control('GET', `/_mirra/callbacks?sid=${sid}`)).body.callbacks;

  it('stores the message and POSTs the signed webhook with Twilio’s fields', async () => {
    const out = await inbound({ body: 'Hi there' });
    expect(out.webhook).toEqual({ url: `${rx.url}/sms`, method: 'POST', source: 'number' });
    expect(out.replies).toEqual([]);
    const m = out.message;
    expectMatchesSchema('message', m);
    expect(m).toMatchObject({ direction: 'inbound', status: 'received', from: PHONE, to: NUMBER, body: 'Hi there', num_segments: '1', num_media: '0', messaging_service_sid: null });
    expect(m.sid).toMatch(/^SM[0-9a-f]{32}$/);
    // It is a Message like any other: fetched and listed by the API.
    const fetched = await tm.api('GET', m.uri);
    expect(fetched.body).toEqual(m);
    expect((await tm.api('GET', `${messages}?From=${encodeURIComponent(PHONE)}`)).body.messages.map((x: any) => x.sid)).toContain(m.sid);

    const [hook] = await rx.waitFor(1);
    expect(hook.method).toBe('POST');
    expect(hook.path).toBe('/sms');
    expect(hook.headers['user-agent']).toBe('TwilioProxy/1.1');
    expect(hook.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(hook.headers['i-twilio-idempotency-token']).toBeTruthy();
    expect(isSigned(hook)).toBe(true);
    expect(hook.params).toEqual({
      ToCountry: 'US', ToState: '', SmsMessageSid: m.sid, NumMedia: '0', ToCity: '', FromZip: '94102', SmsSid: m.sid, FromState: 'CA',
      SmsStatus: 'received', FromCity: 'SAN FRANCISCO', Body: 'Hi there', FromCountry: 'US', To: NUMBER, ToZip: '', NumSegments: '1',
      MessageSid: m.sid, AccountSid: tm.accountSid, From: PHONE, ApiVersion: '2010-04-01',
    });
  });

  it('executes a TwiML <Message> answer: the reply is an outbound message with its own timeline', async () => {
    rx.respond(200, TWIML('<Message>Thanks &amp; welcome!</Message><Message to="+14155550111" from="+15555550124"><Body>fyi</Body><Media>https://example.com/a.png</Media></Message>'), 'text/xml');
    const out = await inbound({ body: 'order status?' });
    expect(out.replies).toHaveLength(2);
    const [reply, forward] = out.replies;
    for (const r of out.replies) expectMatchesSchema('message', r);
    expect(reply).toMatchObject({ direction: 'outbound-reply', status: 'queued', from: NUMBER, to: PHONE, body: 'Thanks & welcome!', num_media: '0' });
    expect(forward).toMatchObject({ direction: 'outbound-reply', from: OTHER, to: '+14155550111', body: 'fyi', num_media: '1' });
    expect(forward.sid).toMatch(/^MM/);
    await tm.advance(2000);
    expect((await tm.api('GET', reply.uri)).body).toMatchObject({ status: 'delivered', price: '-0.00790' });
    const inbox = await tm.control('GET', `/_mirra/messages?to=${encodeURIComponent(PHONE)}`);
    expect(inbox.body.messages.map((x: any) => x.body)).toContain('Thanks & welcome!');
    expect((await deliveries(out.message.sid))[0].errors).toBeUndefined();
  });

  it('sends a text/plain answer as the reply, and ignores an empty one', async () => {
    rx.respond(200, 'plain reply', 'text/plain; charset=utf-8');
    expect((await inbound({})).replies.map((r: any) => r.body)).toEqual(['plain reply']);
    rx.respond(204, '', 'text/plain');
    expect((await inbound({})).replies).toEqual([]);
  });

  it('logs malformed TwiML as 12100 (a wrong root as 12102) in the delivery log, sends nothing, and tries the fallback URL', async () => {
    rx.respond(200, '<Response><Message>unclosed</Response>', 'text/xml');
    const out = await inbound({});
    expect(out.replies).toEqual([]);
    const [logged] = await deliveries(out.message.sid);
    expect(logged).toMatchObject({ kind: 'inbound-message', state: 'delivered', response: { statusCode: 200 } });
    expect(logged.errors).toEqual([{ code: 12100, message: expect.stringMatching(/^Document parse failure: <\/Response> does not match <Message>/), moreInfo: 'https://www.twilio.com/docs/errors/12100' }]);

    // A root other than <Response> is its own code, 12102 (§9); the rest are not well-formed XML.
    const codes: [string, number][] = [
      ['<Reply/>', 12102], [' <?xml version="1.0"?><Response/>', 12100], ['<Response><Message>AT&T</Message></Response>', 12100], ['<!DOCTYPE x><Response/>', 12100],
    ];
    for (const [bad, code] of codes) {
      rx.respond(200, bad, 'text/xml');
      const r = await inbound({});
      expect([bad, (await deliveries(r.message.sid))[0].errors?.[0]?.code]).toEqual([bad, code]);
    }

    // With a fallback URL, Twilio fetches it when the primary document is unusable.
    await configure({ SmsFallbackUrl: `${rx.url}/fallback` });
    rx.received.length = 0;
    rx.respond(200, '<Response><Message>', 'text/xml');
    const withFallback = await inbound({});
    expect(rx.received.map((r) => r.path)).toEqual(['/sms', '/fallback']);
    expect(isSigned(rx.received[1])).toBe(true);
    expect(rx.received[1].params.MessageSid).toBe(withFallback.message.sid);
    await configure({ SmsFallbackUrl: '' });
  });

  it('flags a non-XML content type (12300) and unknown verbs (14110) without stopping the others', async () => {
    rx.respond(200, '{"reply":"hi"}', 'application/json');
    const json = await inbound({});
    expect(json.replies).toEqual([]);
    expect((await deliveries(json.message.sid))[0].errors.map((e: any) => e.code)).toEqual([12300]);

    rx.respond(200, TWIML('<Say>hello</Say><Message>still sent</Message><Message/>'), 'application/xml');
    const mixed = await inbound({});
    expect(mixed.replies.map((r: any) => r.body)).toEqual(['still sent']);
    expect((await deliveries(mixed.message.sid))[0].errors.map((e: any) => e.code)).toEqual([14110, 14103]);
  });

  it('uses the fallback URL when the primary fails, and logs 11200 when both do', async () => {
    await configure({ SmsUrl: `${rx.url}/sms#rc=0`, SmsFallbackUrl: `${rx.url}/fallback` });
    rx.respond(500, 'boom', 'text/plain');
    const out = await inbound({});
    expect(rx.received.map((r) => r.path)).toEqual(['/sms', '/fallback']);
    const [logged] = await deliveries(out.message.sid);
    expect(logged).toMatchObject({ state: 'failed', usingFallback: true });
    expect(logged.attempts.map((a: any) => a.statusCode)).toEqual([500, 500]);
    expect(logged.errors.map((e: any) => e.code)).toEqual([11200]);
    await configure({ SmsUrl: `${rx.url}/sms`, SmsFallbackUrl: '' });
  });

  it('follows <Redirect> with the same parameters and runs the next document', async () => {
    const next = await startReceiver();
    try {
      next.respond(200, TWIML('<Message>second</Message>'), 'text/xml');
      rx.respond(200, TWIML(`<Message>first</Message><Redirect method="POST">${next.url}/next</Redirect><Message>never</Message>`), 'text/xml');
      const out = await inbound({});
      const [redirected] = await next.waitFor(1);
      expect(redirected.path).toBe('/next');
      expect(redirected.params).toEqual(rx.received[0].params);
      expect(isSigned(redirected, next.url + '/next')).toBe(true);
      expect(out.replies.map((r: any) => r.body)).toEqual(['first', 'second']);
    } finally {
      await next.close();
    }
  });

  it('resolves a relative <Redirect> against the document URL and stops a loop after 10 hops (11215)', async () => {
    rx.respond(200, TWIML('<Message>hop</Message><Redirect>again?x=1</Redirect>'), 'text/xml');
    const out = await inbound({});
    expect(rx.received.map((r) => r.path)).toEqual(['/sms', ...Array(10).fill('/again?x=1')]);
    expect(out.replies).toHaveLength(11);
    const log = await deliveries(out.message.sid);
    expect(log).toHaveLength(11);
    expect(log[10].refs).toMatchObject({ messageSid: out.message.sid, redirects: '10' });
    expect(log[10].errors.map((e: any) => e.code)).toEqual([11215]);
  });

  it('sends GET webhooks with the parameters in the signed query string', async () => {
    await configure({ SmsMethod: 'GET' });
    const out = await inbound({ body: 'via get' });
    const [hook] = await rx.waitFor(1);
    expect(hook.method).toBe('GET');
    const query = Object.fromEntries(new URL(hook.path, rx.url).searchParams);
    expect(query).toMatchObject({ MessageSid: out.message.sid, Body: 'via get', SmsStatus: 'received' });
    expect(twilio.validateRequest(tm.authToken, String(hook.headers['x-twilio-signature']), rx.url + hook.path, {})).toBe(true);
    await configure({ SmsMethod: 'POST' });
  });

  it('receives MMS: media in the message and MediaUrl{N}/MediaContentType{N} in the webhook', async () => {
    const out = await inbound({ body: '', mediaUrls: ['https://example.com/cat.jpg', 'https://example.com/clip.mp4'] });
    expect(out.message).toMatchObject({ num_media: '2', body: '' });
    expect(out.message.sid).toMatch(/^MM/);
    const media = await tm.api('GET', out.message.subresource_uris.media);
    expect(media.body.media_list.map((x: any) => x.content_type)).toEqual(['image/jpeg', 'video/mp4']);
    const [hook] = await rx.waitFor(1);
    expect(hook.params).toMatchObject({
      NumMedia: '2', MediaUrl0: 'https://example.com/cat.jpg', MediaContentType0: 'image/jpeg', MediaUrl1: 'https://example.com/clip.mp4', MediaContentType1: 'video/mp4',
    });
    expect(isSigned(hook)).toBe(true);
  });

  it('handles STOP, HELP and START: 21610 while opted out, default replies, and TwiML replies refused', async () => {
    const send = () => tm.api('POST', messages, { From: NUMBER, To: PHONE, Body: 'promo' });
    expect((await send()).status).toBe(201);
    rx.respond(200, TWIML('<Message>we will miss you</Message>'), 'text/xml');
    const stop = await inbound({ body: ' stop ' });
    // Twilio still forwards the STOP to the webhook; its TwiML reply is refused with 21610.
    expect(rx.received).toHaveLength(1);
    expect(stop.replies.map((r: any) => r.body)).toEqual([
      'You have successfully been unsubscribed. You will not receive any more messages from this number. Reply START to resubscribe.',
    ]);
    expect((await deliveries(stop.message.sid))[0].errors).toEqual([expect.objectContaining({ code: 21610, message: 'Attempt to send to unsubscribed recipient' })]);
    const blocked = await send();
    expect(blocked.status).toBe(400);
    expect(blocked.body).toEqual({ code: 21610, message: 'Attempt to send to unsubscribed recipient', more_info: 'https://www.twilio.com/docs/errors/21610', status: 400 });
    // Another number of the account may still text them (no service links the two).
    expect((await tm.api('POST', messages, { From: OTHER, To: PHONE, Body: 'x' })).status).toBe(201);

    rx.respond(200, '', 'text/plain');
    expect((await inbound({ body: 'HELP' })).replies).toEqual([]); // opted out: no help reply
    const start = await inbound({ body: 'Start' });
    expect(start.replies.map((r: any) => r.body)).toEqual([
      'You have successfully been re-subscribed to messages from this number. Reply HELP for help. Reply STOP to unsubscribe. Msg&Data Rates May Apply.',
    ]);
    expect((await send()).status).toBe(201);
    expect((await inbound({ body: 'info' })).replies.map((r: any) => r.body)).toEqual(['Reply STOP to unsubscribe. Msg&Data Rates May Apply.']);
    // Only a single-word message is a keyword.
    await inbound({ body: 'STOP please' });
    expect((await send()).status).toBe(201);
  });

  it('answers the control plane with mirra errors for bad events', async () => {
    const notOwned = await tm.control('POST', '/_mirra/simulate', { event: 'message.inbound', from: PHONE, to: '+14155550000', body: 'x' });
    expect(notOwned.status).toBe(404);
    expect(notOwned.body.code).toBe('MIRRA_ERR_NOT_FOUND');
    const bad = await tm.control('POST', '/_mirra/simulate', { event: 'message.inbound', from: 'nobody', to: NUMBER, body: 'x' });
    expect([bad.status, bad.body.code]).toEqual([400, 'MIRRA_ERR_BAD_REQUEST']);
    const badMedia = await tm.control('POST', '/_mirra/simulate', { event: 'message.inbound', from: PHONE, to: NUMBER, mediaUrls: ['file:///etc/passwd'] });
    expect(badMedia.status).toBe(400);
    const empty = await tm.control('POST', '/_mirra/simulate', { event: 'message.inbound', from: PHONE, to: NUMBER, body: '' });
    expect(empty.status).toBe(400);
  });
});

describe('inbound messages on a messaging service number', () => {
  let tm: TestMirror;
  let rx: Receiver;
  const SERVICE = 'MG00000000000000000000000000000001';
  beforeAll(async () => {
    tm = await startTestMirror({ seed: 'twilio:messaging-service' });
    rx = await startReceiver();
    await tm.control('POST', '/_mirra/clock', { freeze: true });
  });
  afterAll(async () => {
    await rx.close();
    await tm.close();
  });

  it('goes to the service inbound_request_url unless the service defers to its numbers', async () => {
    await tm.api('POST', `/v1/Services/${SERVICE}`, { InboundRequestUrl: `${rx.url}/service`, InboundMethod: 'POST' });
    await tm.api('POST', `/2010-04-01/Accounts/${tm.accountSid}/IncomingPhoneNumbers/PN00000000000000000000000000000101.json`, { SmsUrl: `${rx.url}/number` });
    rx.respond(200, TWIML('<Message>from the pool</Message>'), 'text/xml');
    const first = (await tm.control('POST', '/_mirra/simulate', { event: 'message.inbound', from: '+12125550999', to: '+14155550101', body: 'hi' })).body;
    expect(first.webhook).toMatchObject({ url: `${rx.url}/service`, source: 'service' });
    expect(first.message.messaging_service_sid).toBe(SERVICE);
    const [hook] = await rx.waitFor(1);
    expect(hook.params).toMatchObject({ MessagingServiceSid: SERVICE, To: '+14155550101', ToCity: 'SAN FRANCISCO', ToState: 'CA', FromCity: 'NEW YORK' });
    expect(twilio.validateRequest(tm.authToken, String(hook.headers['x-twilio-signature']), `${rx.url}/service`, hook.params)).toBe(true);
    // The reply comes from the receiving number, inside the service.
    expect(first.replies[0]).toMatchObject({ from: '+14155550101', to: '+12125550999', messaging_service_sid: SERVICE, status: 'accepted' });

    await tm.api('POST', `/v1/Services/${SERVICE}`, { UseInboundWebhookOnNumber: 'true' });
    const second = (await tm.control('POST', '/_mirra/simulate', { event: 'message.inbound', from: '+12125550999', to: '+14155550101', body: 'hi' })).body;
    expect(second.webhook).toMatchObject({ url: `${rx.url}/number`, source: 'number' });
  });

  it('opts a STOP sender out of the whole service: every pool number and the service refuse (21610)', async () => {
    const messages = `/2010-04-01/Accounts/${tm.accountSid}/Messages.json`;
    await tm.control('POST', '/_mirra/simulate', { event: 'message.inbound', from: '+16175550100', to: '+12125550103', body: 'STOP' });
    expect((await tm.api('POST', messages, { To: '+16175550100', MessagingServiceSid: SERVICE, Body: 'x' })).body.code).toBe(21610);
    expect((await tm.api('POST', messages, { To: '+16175550100', From: '+14155550102', Body: 'x' })).body.code).toBe(21610);
    expect((await tm.api('POST', messages, { To: '+16175550101', MessagingServiceSid: SERVICE, Body: 'x' })).status).toBe(201);
    await tm.control('POST', '/_mirra/simulate', { event: 'message.inbound', from: '+16175550100', to: '+13125550105', body: 'UNSTOP' });
    expect((await tm.api('POST', messages, { To: '+16175550100', MessagingServiceSid: SERVICE, Body: 'x' })).status).toBe(201);
  });
});

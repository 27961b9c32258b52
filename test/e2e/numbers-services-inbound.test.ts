/**
 * Issue #4 end to end through the zero-code route: unchanged scripts using the real `twilio` SDK,
 * configured only by the mirror's environment (HTTP_PROXY + NODE_EXTRA_CA_CERTS: CONNECT → TLS →
 * api.twilio.com / messaging.twilio.com), provision a number, answer an inbound text with TwiML,
 * fan out over a 5-number sender pool, and hit Twilio's errors. Every raw response the SDK received
 * (its `lastResponse`) is checked against the official schemas. The clock is frozen and stepped.
 */
import twilio from 'twilio';
import { runSdk } from '../helpers/child';
import { startTestMirror, type TestMirror } from '../helpers/mirror';
import { startReceiver, type Receiver } from '../helpers/receiver';
import { expectAllFields, expectListEnvelopeV1, expectMatchesSchema } from '../helpers/schema';
import type { ResourceName } from '../../src/twilio/generated/schemas';

/** Child prelude: `keep(label)` records the raw JSON of the SDK's last response. */
const PRELUDE = `
  const raw = [];
  const keep = (label) => { const r = client.httpClient.lastResponse; raw.push({ label, status: r.statusCode, body: r.body }); };
  const failure = (e) => ({ rest: e instanceof twilio.RestException, status: e.status, code: e.code, message: e.message });
`;

interface Raw {
  label: string;
  status: number;
  body: any;
}

/** Checks each raw body against its resource schema (list items too). */
function expectSchemas(raw: Raw[], schemaOf: Record<string, ResourceName>): void {
  for (const r of raw) {
    const name = schemaOf[r.label];
    if (!name) throw new Error(`no schema named for ${r.label}`);
    const list = ['available_phone_numbers', 'incoming_phone_numbers', 'messages', 'services', 'phone_numbers'].find((k) => Array.isArray(r.body?.[k]));
    const items = list ? r.body[list] : [r.body];
    expect([r.label, items.length > 0]).toEqual([r.label, true]);
    for (const item of items) {
      expectMatchesSchema(name, item);
      expectAllFields(name, item);
    }
  }
}

describe('numbers, services and inbound messages through the zero-code proxy route', () => {
  let tm: TestMirror;
  let rx: Receiver;
  beforeAll(async () => {
    tm = await startTestMirror({ seed: 'twilio:messaging-service' });
    rx = await startReceiver();
    await tm.control('POST', '/_mirra/clock', { freeze: true });
  });
  afterAll(async () => {
    await rx.close();
    await tm.close();
  });

  it('search → buy → list → update smsUrl → inbound → signed webhook → TwiML reply → release', async () => {
    const smsUrl = `${rx.url}/sms`;
    const setup = await runSdk({ ...tm.env }, `${PRELUDE}
      const found = await client.availablePhoneNumbers('US').local.list({ areaCode: 415, smsEnabled: true, limit: 5 }); keep('search');
      const bought = await client.incomingPhoneNumbers.create({ phoneNumber: found[0].phoneNumber, friendlyName: 'support' }); keep('buy');
      const listed = await client.incomingPhoneNumbers.list({ phoneNumber: found[0].phoneNumber }); keep('list');
      const updated = await client.incomingPhoneNumbers(bought.sid).update({ smsUrl: '${smsUrl}', smsMethod: 'POST' }); keep('update');
      return { found: found.map((n) => n.toJSON()), bought: bought.toJSON(), listed: listed.map((n) => n.sid), updated: updated.toJSON(), raw };
    `);
    expect(setup.error).toBeUndefined();
    expect(setup.found).toHaveLength(5);
    for (const n of setup.found) {
      expect(n).toMatchObject({ region: 'CA', lata: '722', isoCountry: 'US', capabilities: { SMS: true } });
      expect(n.phoneNumber).toMatch(/^\+1415/);
    }
    const number = setup.found[0].phoneNumber;
    expect(setup.bought).toMatchObject({ phoneNumber: number, friendlyName: 'support', smsUrl: '', accountSid: tm.accountSid });
    expect(setup.listed).toEqual([setup.bought.sid]);
    expect(setup.updated).toMatchObject({ sid: setup.bought.sid, smsUrl, smsMethod: 'POST' });
    expect(setup.raw.map((r: Raw) => [r.label, r.status])).toEqual([['search', 200], ['buy', 201], ['list', 200], ['update', 200]]);
    expect(Object.keys(setup.raw[0].body)).toEqual(['available_phone_numbers', 'uri']);
    expectSchemas(setup.raw, { search: 'availablePhoneNumberLocal', buy: 'incomingPhoneNumber', list: 'incomingPhoneNumber', update: 'incomingPhoneNumber' });

    // A customer texts the new number; the app answers with TwiML.
    rx.respond(200, '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Thanks, we got it!</Message></Response>', 'text/xml');
    const customer = '+12125550142';
    const inbound = await tm.control('POST', '/_mirra/simulate', { event: 'message.inbound', from: customer, to: number, body: 'Where is my order?' });
    expect(inbound.status).toBe(200);
    const [hook] = await rx.waitFor(1);
    expect(twilio.validateRequest(tm.authToken, String(hook.headers['x-twilio-signature']), smsUrl, hook.params)).toBe(true);
    expect(hook.params).toMatchObject({
      MessageSid: inbound.body.message.sid, AccountSid: tm.accountSid, From: customer, To: number, Body: 'Where is my order?',
      NumMedia: '0', SmsStatus: 'received', FromCity: 'NEW YORK', FromState: 'NY', ToCity: 'SAN FRANCISCO', ApiVersion: '2010-04-01',
    });
    expect(hook.params).not.toHaveProperty('MessagingServiceSid');
    await tm.advance(2000);

    const after = await runSdk({ ...tm.env }, `${PRELUDE}
      const received = await client.messages('${inbound.body.message.sid}').fetch(); keep('inbound');
      const replies = await client.messages.list({ from: '${number}', to: '${customer}' }); keep('replies');
      await client.incomingPhoneNumbers('${setup.bought.sid}').remove();
      const gone = {};
      try { await client.incomingPhoneNumbers('${setup.bought.sid}').fetch(); } catch (e) { gone.fetch = failure(e); }
      try { await client.incomingPhoneNumbers('${setup.bought.sid}').remove(); } catch (e) { gone.release = failure(e); }
      try { await client.messages.create({ from: '${number}', to: '${customer}', body: 'late' }); } catch (e) { gone.send = failure(e); }
      const search = await client.availablePhoneNumbers('US').local.list({ contains: '${number.slice(2)}' });
      return { received: received.toJSON(), replies: replies.map((m) => m.toJSON()), gone, forSaleAgain: search.map((n) => n.phoneNumber), raw };
    `);
    expect(after.error).toBeUndefined();
    expect(after.received).toMatchObject({ direction: 'inbound', status: 'received', from: customer, to: number, body: 'Where is my order?' });
    expect(after.replies).toHaveLength(1);
    expect(after.replies[0]).toMatchObject({ direction: 'outbound-reply', status: 'delivered', from: number, to: customer, body: 'Thanks, we got it!', numSegments: '1' });
    expectSchemas(after.raw, { inbound: 'message', replies: 'message' });
    expect(after.gone.fetch).toMatchObject({ rest: true, status: 404, code: 20404 });
    expect(after.gone.release).toMatchObject({ rest: true, status: 404, code: 20404 });
    expect(after.gone.send).toMatchObject({ rest: true, status: 400, code: 21606 });
    expect(after.forSaleAgain).toEqual([number]);
  });

  it('spreads sends over the 5-number pool and keeps a sticky sender per recipient', async () => {
    const SERVICE = 'MG00000000000000000000000000000001';
    const out = await runSdk({ ...tm.env }, `${PRELUDE}
      const service = await client.messaging.v1.services('${SERVICE}').fetch(); keep('service');
      const pool = await client.messaging.v1.services('${SERVICE}').phoneNumbers.list(); keep('pool');
      const recipients = Array.from({ length: 10 }, (_, i) => '+1720555' + (2000 + i));
      const created = [];
      for (const to of recipients) { created.push((await client.messages.create({ to, messagingServiceSid: '${SERVICE}', body: 'first' })).toJSON()); keep('send'); }
      await fetch(process.env.MIRRA_URL + '/_mirra/clock', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: 0 }) });
      const first = {};
      for (const m of created) first[m.to] = (await client.messages(m.sid).fetch()).from;
      const second = {};
      for (const to of recipients) second[to] = (await client.messages.create({ to, messagingServiceSid: '${SERVICE}', body: 'second' })).sid;
      await fetch(process.env.MIRRA_URL + '/_mirra/clock', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: 0 }) });
      const again = {};
      for (const to of recipients) { const m = await client.messages(second[to]).fetch(); keep('fetch'); again[to] = m.from; }
      return { service: service.toJSON(), pool: pool.map((p) => p.toJSON()), created, first, again, raw };
    `);
    expect(out.error).toBeUndefined();
    expect(out.service).toMatchObject({ sid: SERVICE, stickySender: true, url: `https://messaging.twilio.com/v1/Services/${SERVICE}` });
    expect(out.pool).toHaveLength(5);
    const poolNumbers = out.pool.map((p: any) => p.phoneNumber);
    for (const m of out.created) expect(m).toMatchObject({ status: 'accepted', from: null, messagingServiceSid: SERVICE });
    const senders = Object.values(out.first) as string[];
    expect(new Set(senders)).toEqual(new Set(poolNumbers));
    for (const n of poolNumbers) expect(senders.filter((s) => s === n)).toHaveLength(2);
    expect(out.again).toEqual(out.first);
    const poolPage = out.raw.find((r: Raw) => r.label === 'pool');
    expectListEnvelopeV1(poolPage.body, 'phone_numbers');
    expect(poolPage.body.meta.url).toBe(`https://messaging.twilio.com/v1/Services/${SERVICE}/PhoneNumbers?PageSize=20&Page=0`);
    expectSchemas(out.raw, { service: 'messagingService', pool: 'messagingServicePhoneNumber', send: 'message', fetch: 'message' });
  });

  it('answers buying twice, releasing twice and sending from a released number with Twilio’s errors', async () => {
    const out = await runSdk({ ...tm.env }, `${PRELUDE}
      const [candidate] = await client.availablePhoneNumbers('CA').local.list({ areaCode: 416, limit: 1 });
      const bought = await client.incomingPhoneNumbers.create({ phoneNumber: candidate.phoneNumber }); keep('buy');
      const errors = {};
      try { await client.incomingPhoneNumbers.create({ phoneNumber: candidate.phoneNumber }); } catch (e) { errors.buyTwice = failure(e); }
      try { await client.incomingPhoneNumbers.create({ areaCode: 533 }); } catch (e) { errors.noArea = failure(e); }
      const service = await client.messaging.v1.services.create({ friendlyName: 'e2e' }); keep('service');
      await client.messaging.v1.services(service.sid).phoneNumbers.create({ phoneNumberSid: bought.sid }); keep('member');
      try { await client.messaging.v1.services(service.sid).phoneNumbers.create({ phoneNumberSid: bought.sid }); } catch (e) { errors.poolTwice = failure(e); }
      try { await client.messaging.v1.services('MG00000000000000000000000000000001').phoneNumbers.create({ phoneNumberSid: bought.sid }); } catch (e) { errors.otherPool = failure(e); }
      const sent = await client.messages.create({ from: bought.phoneNumber, to: '+14165550199', body: 'hello' }); keep('send');
      await client.incomingPhoneNumbers(bought.sid).remove();
      try { await client.incomingPhoneNumbers(bought.sid).remove(); } catch (e) { errors.releaseTwice = failure(e); }
      try { await client.messages.create({ from: bought.phoneNumber, to: '+14165550199', body: 'again' }); } catch (e) { errors.sendReleased = failure(e); }
      try { await client.messages.create({ messagingServiceSid: service.sid, to: '+14165550199', body: 'pool' }); } catch (e) { errors.emptyPool = failure(e); }
      return { bought: bought.toJSON(), sent: sent.toJSON(), errors, raw };
    `);
    expect(out.error).toBeUndefined();
    expect(out.bought.phoneNumber).toMatch(/^\+1416/);
    expect(out.sent).toMatchObject({ status: 'queued', from: out.bought.phoneNumber });
    expect(out.errors).toEqual({
      buyTwice: { rest: true, status: 400, code: 21422, message: `${out.bought.phoneNumber} is not available` },
      noArea: { rest: true, status: 400, code: 21452, message: 'No phone numbers found in area code 533' },
      poolTwice: { rest: true, status: 409, code: 21710, message: 'Phone Number Already Exists in Messaging Service' },
      otherPool: { rest: true, status: 409, code: 21712, message: 'Phone Number or Short Code is associated with another Messaging Service.' },
      releaseTwice: { rest: true, status: 404, code: 20404, message: `The requested resource /2010-04-01/Accounts/${tm.accountSid}/IncomingPhoneNumbers/${out.bought.sid}.json was not found` },
      sendReleased: { rest: true, status: 400, code: 21606, message: `The From phone number ${out.bought.phoneNumber} is not a valid, SMS-capable inbound phone number or short code for your account.` },
      // Releasing the number emptied the service's pool.
      emptyPool: { rest: true, status: 400, code: 21704, message: 'The Messaging Service contains no phone numbers' },
    });
    expectSchemas(out.raw, { buy: 'incomingPhoneNumber', service: 'messagingService', member: 'messagingServicePhoneNumber', send: 'message' });
  });
});

/**
 * Messaging Services v1 over HTTP (issue #4 §3): CRUD with the schema's settings, the sender pool
 * and its conflicts, and sending through a service — `accepted` with `from: null`, the sender
 * revealed on `queued`, round robin across the pool, sticky sender, area-code geomatch and the
 * service's status callback. Every body is checked against the official schemas.
 */
import { expectAllFields, expectListEnvelopeV1, expectMatchesSchema } from '../helpers/schema';
import { startTestMirror, type TestMirror } from '../helpers/mirror';
import { startReceiver, type Receiver } from '../helpers/receiver';

const POOL_SERVICE = 'MG00000000000000000000000000000001'; // the messaging-service seed's service
const POOL = ['+14155550101', '+14155550102', '+12125550103', '+12125550104', '+13125550105'];

describe('Messaging Services', () => {
  let tm: TestMirror;
  let receiver: Receiver;
  let messages: string;
  let numbers: string;
  beforeAll(async () => {
    tm = await startTestMirror({ seed: 'twilio:messaging-service' });
    receiver = await startReceiver();
    messages = `/2010-04-01/Accounts/${tm.accountSid}/Messages.json`;
    numbers = `/2010-04-01/Accounts/${tm.accountSid}/IncomingPhoneNumbers.json`;
    await tm.control('POST', '/_mirra/clock', { freeze: true });
  });
  afterAll(async () => {
    await receiver.close();
    await tm.close();
  });

  const buy = async (areaCode: string) => (await tm.api('POST', numbers, { AreaCode: areaCode })).body;

  it('serves the seeded service and its 5-number pool with every schema field', async () => {
    const s = await tm.api('GET', `/v1/Services/${POOL_SERVICE}`);
    expect(s.status).toBe(200);
    expectMatchesSchema('messagingService', s.body);
    expectAllFields('messagingService', s.body);
    expect(s.body).toMatchObject({
      sid: POOL_SERVICE, account_sid: tm.accountSid, friendly_name: 'mirra pool', sticky_sender: true, area_code_geomatch: true,
      validity_period: 36000, usecase: 'notifications', us_app_to_person_registered: true, scan_message_content: 'inherit',
      url: `${tm.url}/v1/Services/${POOL_SERVICE}`,
    });
    expect(s.body.date_created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(s.body.links.phone_numbers).toBe(`${tm.url}/v1/Services/${POOL_SERVICE}/PhoneNumbers`);
    expect(Object.keys(s.body.links)).toEqual([
      'phone_numbers', 'short_codes', 'alpha_senders', 'messages', 'us_app_to_person', 'us_app_to_person_usecases', 'channel_senders', 'destination_alpha_senders',
    ]);
    const pool = await tm.api('GET', `/v1/Services/${POOL_SERVICE}/PhoneNumbers`);
    const items = expectListEnvelopeV1(pool.body, 'phone_numbers') as any[];
    expect(pool.body.meta.page_size).toBe(20);
    expect(items.map((m) => m.phone_number)).toEqual(POOL);
    for (const m of items) {
      expectMatchesSchema('messagingServicePhoneNumber', m);
      expectAllFields('messagingServicePhoneNumber', m);
      expect(m).toMatchObject({ service_sid: POOL_SERVICE, country_code: 'US', capabilities: ['MMS', 'SMS', 'Voice'] });
    }
  });

  it('creates, lists, updates and deletes services; invalid settings are 400/20001', async () => {
    const created = await tm.api('POST', '/v1/Services', {
      FriendlyName: 'alerts', StatusCallback: 'https://example.com/status', InboundRequestUrl: 'https://example.com/in', InboundMethod: 'GET',
      FallbackUrl: 'https://example.com/fallback', StickySender: 'false', AreaCodeGeomatch: 'false', SmartEncoding: 'false', MmsConverter: 'false',
      ValidityPeriod: '600', ScanMessageContent: 'disable', Usecase: 'marketing', UseInboundWebhookOnNumber: 'true', SynchronousValidation: 'false', FallbackToLongCode: 'true',
    });
    expect(created.status).toBe(201);
    expectMatchesSchema('messagingService', created.body);
    expectAllFields('messagingService', created.body);
    expect(created.body).toMatchObject({
      friendly_name: 'alerts', status_callback: 'https://example.com/status', inbound_request_url: 'https://example.com/in', inbound_method: 'GET',
      fallback_url: 'https://example.com/fallback', sticky_sender: false, area_code_geomatch: false, smart_encoding: false, mms_converter: false,
      validity_period: 600, scan_message_content: 'disable', usecase: 'marketing', use_inbound_webhook_on_number: true, synchronous_validation: false,
      fallback_to_long_code: true, us_app_to_person_registered: false,
    });
    expect(created.body.sid).toMatch(/^MG[0-9a-f]{32}$/);
    const sid = created.body.sid;

    const list = await tm.api('GET', '/v1/Services');
    const items = expectListEnvelopeV1(list.body, 'services') as any[];
    expect(items.map((s) => s.sid)).toEqual([POOL_SERVICE, sid]);
    items.forEach((s) => expectMatchesSchema('messagingService', s));
    const page = await tm.api('GET', '/v1/Services?PageSize=1');
    expect(page.body.meta.next_page_url).toBe(`${tm.url}/v1/Services?PageSize=1&Page=1&PageToken=PA${POOL_SERVICE}`);
    expect((await tm.api('GET', page.body.meta.next_page_url.slice(tm.url.length))).body.services.map((s: any) => s.sid)).toEqual([sid]);

    const updated = await tm.api('POST', `/v1/Services/${sid}`, { StickySender: 'true', InboundRequestUrl: '', FriendlyName: 'alerts 2' });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ sticky_sender: true, inbound_request_url: null, friendly_name: 'alerts 2', validity_period: 600 });
    expect((await tm.api('GET', `/v1/Services/${sid}`)).body).toEqual(updated.body);

    const invalid: [Record<string, string>, string][] = [
      [{}, 'Missing required parameter FriendlyName in the post body'],
      [{ FriendlyName: 'x'.repeat(65) }, 'Invalid parameter FriendlyName'],
      [{ FriendlyName: 'a', ValidityPeriod: '0' }, 'Invalid parameter ValidityPeriod: 0'],
      [{ FriendlyName: 'a', ValidityPeriod: '36001' }, 'Invalid parameter ValidityPeriod: 36001'],
      [{ FriendlyName: 'a', Usecase: 'spam' }, 'Invalid parameter Usecase: spam'],
      [{ FriendlyName: 'a', StickySender: 'maybe' }, 'Invalid parameter StickySender: maybe'],
      [{ FriendlyName: 'a', StatusCallback: 'not a url' }, 'Invalid parameter StatusCallback: not a url'],
      [{ FriendlyName: 'a', FallbackMethod: 'PUT' }, 'Invalid parameter FallbackMethod: PUT'],
    ];
    for (const [form, message] of invalid) {
      const r = await tm.api('POST', '/v1/Services', form);
      expect([r.status, r.body.code]).toEqual([400, 20001]);
      expect(r.body.message).toContain(message);
    }

    expect((await tm.api('DELETE', `/v1/Services/${sid}`)).status).toBe(204);
    expect((await tm.api('GET', `/v1/Services/${sid}`)).body).toMatchObject({ status: 404, code: 20404, message: `The requested resource /v1/Services/${sid} was not found` });
    expect((await tm.api('DELETE', `/v1/Services/${sid}`)).status).toBe(404);
    const send = await tm.api('POST', messages, { To: '+15558675310', MessagingServiceSid: sid, Body: 'x' });
    expect(send.body).toMatchObject({ status: 400, code: 21701 });
  });

  it('manages the sender pool: a number belongs to at most one service (409 21710/21712)', async () => {
    const a = (await tm.api('POST', '/v1/Services', { FriendlyName: 'a' })).body.sid;
    const b = (await tm.api('POST', '/v1/Services', { FriendlyName: 'b' })).body.sid;
    const number = await buy('617');
    const added = await tm.api('POST', `/v1/Services/${a}/PhoneNumbers`, { PhoneNumberSid: number.sid });
    expect(added.status).toBe(201);
    expectMatchesSchema('messagingServicePhoneNumber', added.body);
    expectAllFields('messagingServicePhoneNumber', added.body);
    expect(added.body).toMatchObject({ sid: number.sid, service_sid: a, phone_number: number.phone_number, url: `${tm.url}/v1/Services/${a}/PhoneNumbers/${number.sid}` });
    expect(added.body.capabilities).toEqual(number.capabilities.fax ? ['Fax', 'MMS', 'SMS', 'Voice'] : ['MMS', 'SMS', 'Voice']);
    expect((await tm.api('GET', `/v1/Services/${a}/PhoneNumbers/${number.sid}`)).body).toEqual(added.body);

    const again = await tm.api('POST', `/v1/Services/${a}/PhoneNumbers`, { PhoneNumberSid: number.sid });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ code: 21710, message: 'Phone Number Already Exists in Messaging Service', more_info: 'https://www.twilio.com/docs/errors/21710', status: 409 });
    const other = await tm.api('POST', `/v1/Services/${b}/PhoneNumbers`, { PhoneNumberSid: number.sid });
    expect([other.status, other.body.code]).toEqual([409, 21712]);
    expect((await tm.api('POST', `/v1/Services/${b}/PhoneNumbers`, { PhoneNumberSid: 'PN123' })).body).toMatchObject({ status: 400, code: 21421 });
    expect((await tm.api('POST', `/v1/Services/${b}/PhoneNumbers`, { PhoneNumberSid: 'PN0000000000000000000000000000dead' })).body.code).toBe(21421);
    expect((await tm.api('POST', `/v1/Services/${b}/PhoneNumbers`, {})).body.code).toBe(20001);
    expect((await tm.api('GET', `/v1/Services/${b}/PhoneNumbers/${number.sid}`)).status).toBe(404);

    // A UK landline cannot text, so it cannot join a sender pool.
    const landline = (await tm.api('GET', `/2010-04-01/Accounts/${tm.accountSid}/AvailablePhoneNumbers/GB/Local.json?PageSize=1`)).body.available_phone_numbers[0];
    const gb = (await tm.api('POST', numbers, { PhoneNumber: landline.phone_number })).body;
    expect((await tm.api('POST', `/v1/Services/${b}/PhoneNumbers`, { PhoneNumberSid: gb.sid })).body).toMatchObject({ status: 400, code: 21715 });

    expect((await tm.api('DELETE', `/v1/Services/${a}/PhoneNumbers/${number.sid}`)).status).toBe(204);
    expect((await tm.api('DELETE', `/v1/Services/${a}/PhoneNumbers/${number.sid}`)).status).toBe(404);
    // Removed from a pool, the number stays owned and may join another service.
    expect((await tm.api('GET', `${numbers.replace('.json', '')}/${number.sid}.json`)).status).toBe(200);
    expect((await tm.api('POST', `/v1/Services/${b}/PhoneNumbers`, { PhoneNumberSid: number.sid })).status).toBe(201);
    // Deleting the service frees it too; releasing the number takes it out of the pool.
    expect((await tm.api('DELETE', `/v1/Services/${b}`)).status).toBe(204);
    expect((await tm.api('POST', `/v1/Services/${a}/PhoneNumbers`, { PhoneNumberSid: number.sid })).status).toBe(201);
    expect((await tm.api('DELETE', `${numbers.replace('.json', '')}/${number.sid}.json`)).status).toBe(204);
    expect((await tm.api('GET', `/v1/Services/${a}/PhoneNumbers`)).body.phone_numbers).toEqual([]);
  });

  it('spreads sends across the 5-number pool and keeps a sticky sender per recipient', async () => {
    // Recipients in area codes no pool number shares, so neither geomatch nor stickiness decides first.
    const recipients = Array.from({ length: 10 }, (_, i) => `+1503555${String(1000 + i)}`);
    const first: Record<string, any> = {};
    for (const to of recipients) {
      const r = await tm.api('POST', messages, { To: to, MessagingServiceSid: POOL_SERVICE, Body: 'hello' });
      expect(r.status).toBe(201);
      expectMatchesSchema('message', r.body);
      expect(r.body).toMatchObject({ status: 'accepted', from: null, messaging_service_sid: POOL_SERVICE, num_segments: '0', price_unit: null });
      first[to] = r.body;
    }
    await tm.advance(0);
    const senders: Record<string, string> = {};
    for (const to of recipients) {
      const m = (await tm.api('GET', first[to].uri)).body;
      expect(m.status).toBe('queued');
      senders[to] = m.from;
    }
    const used = Object.values(senders);
    expect(new Set(used)).toEqual(new Set(POOL));
    for (const n of POOL) expect(used.filter((u) => u === n)).toHaveLength(2);

    for (const to of recipients) await tm.api('POST', messages, { To: to, MessagingServiceSid: POOL_SERVICE, Body: 'again' });
    await tm.advance(0);
    const again = await tm.api('GET', `${messages}?PageSize=10`);
    for (const m of again.body.messages) {
      expect(m.body).toBe('again');
      expect(m.from).toBe(senders[m.to]);
    }
  });

  it('geomatches the area code and uses the service status callback when the message has none', async () => {
    const r = await tm.api('POST', messages, { To: '+13125559999', MessagingServiceSid: POOL_SERVICE, Body: 'chicago' });
    await tm.advance(0);
    expect((await tm.api('GET', r.body.uri)).body.from).toBe('+13125550105');

    await tm.api('POST', `/v1/Services/${POOL_SERVICE}`, { StatusCallback: `${receiver.url}/status` });
    const viaService = await tm.api('POST', messages, { To: '+12125559999', MessagingServiceSid: POOL_SERVICE, Body: 'ny' });
    await tm.advance(2000);
    const callbacks = receiver.received.filter((c) => c.params.MessageSid === viaService.body.sid);
    // No callback for the initial status; then queued, sending, sent, delivered.
    expect(callbacks.map((c) => c.params.MessageStatus)).toEqual(['queued', 'sending', 'sent', 'delivered']);
    expect(callbacks[0].params).toMatchObject({ MessagingServiceSid: POOL_SERVICE, From: expect.stringMatching(/^\+1212555010[34]$/), To: '+12125559999' });
    const own = await tm.api('POST', messages, { To: '+12125559998', MessagingServiceSid: POOL_SERVICE, Body: 'own', StatusCallback: `${receiver.url}/own` });
    await tm.advance(2000);
    expect(receiver.received.filter((c) => c.params.MessageSid === own.body.sid).every((c) => c.path === '/own')).toBe(true);
    await tm.api('POST', `/v1/Services/${POOL_SERVICE}`, { StatusCallback: '' });
  });

  it('sends through the real SDK (base-URL mode)', async () => {
    const client = tm.client();
    const service = await client.messaging.v1.services.create({ friendlyName: 'sdk', stickySender: false, validityPeriod: 120 });
    expect(service.validityPeriod).toBe(120);
    const number = await buy('702');
    const member = await client.messaging.v1.services(service.sid).phoneNumbers.create({ phoneNumberSid: number.sid });
    expect(member.capabilities).toEqual(expect.arrayContaining(['SMS', 'MMS', 'Voice']));
    const msg = await client.messages.create({ to: '+17025550123', messagingServiceSid: service.sid, body: 'vegas' });
    expect(msg.status).toBe('accepted');
    expect((await client.messaging.v1.services(service.sid).phoneNumbers.list()).map((m) => m.sid)).toEqual([number.sid]);
    expect(await client.messaging.v1.services(service.sid).remove()).toBe(true);
  });
});

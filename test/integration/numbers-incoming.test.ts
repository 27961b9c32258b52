/**
 * IncomingPhoneNumbers over HTTP (issue #4 §2): buying by number and by area code (with the
 * buying magic numbers), the typed lists, list filters and paging, update, release, session
 * isolation and Twilio's errors, every body checked against the official schema.
 */
import { expectAllFields, expectListEnvelope2010, expectMatchesSchema } from '../helpers/schema';
import { startTestMirror, type TestMirror } from '../helpers/mirror';

describe('IncomingPhoneNumbers', () => {
  let tm: TestMirror;
  let base: string;
  let avail: string;
  const numbersOf = async (q = '') => (await tm.api('GET', `${avail}/US/Local.json${q}`)).body.available_phone_numbers.map((n: any) => n.phone_number);
  beforeAll(async () => {
    tm = await startTestMirror({ seed: 'twilio:verified-numbers' });
    base = `/2010-04-01/Accounts/${tm.accountSid}/IncomingPhoneNumbers`;
    avail = `/2010-04-01/Accounts/${tm.accountSid}/AvailablePhoneNumbers`;
  });
  afterAll(() => tm.close());

  it('serves the seeded numbers with every schema field and real-traffic defaults', async () => {
    const r = await tm.api('GET', `${base}.json`);
    const items = expectListEnvelope2010(r.body, 'incoming_phone_numbers') as any[];
    expect(items.map((n) => [n.sid, n.phone_number])).toEqual([
      ['PN00000000000000000000000000000123', '+15555550123'],
      ['PN00000000000000000000000000000124', '+15555550124'],
    ]);
    for (const n of items) {
      expectMatchesSchema('incomingPhoneNumber', n);
      expectAllFields('incomingPhoneNumber', n);
      expect(n).toMatchObject({
        capabilities: { voice: true, sms: true, mms: true, fax: false }, sms_url: '', voice_url: '', sms_application_sid: '',
        trunk_sid: null, identity_sid: null, bundle_sid: null, emergency_address_sid: null,
        emergency_status: 'Inactive', emergency_address_status: 'unregistered', sms_method: 'POST', status: 'in-use', origin: 'twilio',
      });
    }
  });

  it('buys a searched number with its settings, removes it from the search, and refuses to buy it twice', async () => {
    const [number] = await numbersOf('?AreaCode=206&PageSize=1');
    const r = await tm.api('POST', `${base}.json`, { PhoneNumber: number, FriendlyName: 'support line', SmsUrl: 'https://example.com/sms', SmsMethod: 'get' });
    expect(r.status).toBe(201);
    expectMatchesSchema('incomingPhoneNumber', r.body);
    expectAllFields('incomingPhoneNumber', r.body);
    expect(r.body).toMatchObject({ phone_number: number, friendly_name: 'support line', sms_url: 'https://example.com/sms', sms_method: 'GET', type: 'local', account_sid: tm.accountSid });
    expect(r.body.sid).toMatch(/^PN[0-9a-f]{32}$/);
    expect(r.body.uri).toBe(`${base}/${r.body.sid}.json`);
    expect(await numbersOf('?AreaCode=206&PageSize=100')).not.toContain(number);

    const twice = await tm.api('POST', `${base}.json`, { PhoneNumber: number });
    expect(twice.status).toBe(400);
    expect(twice.body).toEqual({ code: 21422, message: `${number} is not available`, more_info: 'https://www.twilio.com/docs/errors/21422', status: 400 });
  });

  it('buys by AreaCode and honours the buying magic numbers', async () => {
    const byArea = await tm.api('POST', `${base}.json`, { AreaCode: '212' });
    expect(byArea.status).toBe(201);
    expect(byArea.body.phone_number).toMatch(/^\+1212/);
    const magic = await tm.api('POST', `${base}.json`, { PhoneNumber: '+15005550006' });
    expect(magic.status).toBe(201);
    const cases: [Record<string, string>, number, number][] = [
      [{ PhoneNumber: '+15005550000' }, 400, 21422],
      [{ PhoneNumber: '+15005550001' }, 400, 21421],
      [{ PhoneNumber: 'not-a-number' }, 400, 21421],
      [{ PhoneNumber: '+14155550100' }, 400, 21422], // never for sale (555 exchange)
      [{ AreaCode: '533' }, 400, 21452],
      [{ AreaCode: '999' }, 400, 21452],
      [{ AreaCode: '12' }, 400, 21451],
      [{}, 400, 20001],
      [{ PhoneNumber: (await numbersOf('?PageSize=1'))[0], SmsUrl: 'ftp://x' }, 400, 21402],
      [{ PhoneNumber: (await numbersOf('?PageSize=1'))[0], SmsMethod: 'PUT' }, 400, 21403],
    ];
    for (const [form, status, code] of cases) {
      const r = await tm.api('POST', `${base}.json`, form);
      expect([JSON.stringify(form), r.status, r.body.code]).toEqual([JSON.stringify(form), status, code]);
    }
    // The wording of Twilio's recorded docs outputs (api-snippets rest/test-credentials).
    expect((await tm.api('POST', `${base}.json`, { PhoneNumber: '+15005550000' })).body).toEqual({
      code: 21422, message: '+15005550000 is not available', more_info: 'https://www.twilio.com/docs/errors/21422', status: 400,
    });
    expect((await tm.api('POST', `${base}.json`, { PhoneNumber: '33' })).body).toEqual({
      code: 21421, message: '33 is not a valid number', more_info: 'https://www.twilio.com/docs/errors/21421', status: 400,
    });
  });

  it('buys on the typed lists (no `type` in their schema) and checks the type', async () => {
    const [tollFree] = (await tm.api('GET', `${avail}/US/TollFree.json?PageSize=1`)).body.available_phone_numbers.map((n: any) => n.phone_number);
    const r = await tm.api('POST', `${base}/TollFree.json`, { PhoneNumber: tollFree });
    expect(r.status).toBe(201);
    expect(r.body).not.toHaveProperty('type');
    expectMatchesSchema('incomingPhoneNumber', r.body);
    const [local] = await numbersOf('?PageSize=1');
    expect((await tm.api('POST', `${base}/TollFree.json`, { PhoneNumber: local })).body.code).toBe(21422);
    expect((await tm.api('POST', `${base}/Local.json`, { AreaCode: '415' })).body.code).toBe(21457);
    const typed = await tm.api('GET', `${base}/TollFree.json`);
    const items = expectListEnvelope2010(typed.body, 'incoming_phone_numbers') as any[];
    expect(items.map((n) => n.phone_number)).toEqual([tollFree]);
    expect(items[0]).not.toHaveProperty('type');
    // Fetching the number itself shows its type.
    expect((await tm.api('GET', `${base}/${r.body.sid}.json`)).body.type).toBe('tollfree');
  });

  it('filters the list by PhoneNumber (prefix or partial with *), FriendlyName and Beta, and pages with PAID tokens', async () => {
    const all = (await tm.api('GET', `${base}.json?PageSize=100`)).body.incoming_phone_numbers;
    expect(all.length).toBeGreaterThanOrEqual(5);
    const prefix = await tm.api('GET', `${base}.json?PhoneNumber=%2B1555`);
    expect(prefix.body.incoming_phone_numbers.map((n: any) => n.phone_number)).toEqual(['+15555550123', '+15555550124']);
    expect(prefix.body.uri).toBe(`${base}.json?PhoneNumber=%2B1555&PageSize=50&Page=0`);
    const partial = await tm.api('GET', `${base}.json?PhoneNumber=555012*`);
    expect(partial.body.incoming_phone_numbers).toHaveLength(2);
    const byName = await tm.api('GET', `${base}.json?FriendlyName=support%20line`);
    expect(byName.body.incoming_phone_numbers.map((n: any) => n.friendly_name)).toEqual(['support line']);
    expect((await tm.api('GET', `${base}.json?Beta=false&PageSize=100`)).body.incoming_phone_numbers).toHaveLength(all.length);

    const first = await tm.api('GET', `${base}.json?PageSize=2`);
    expectListEnvelope2010(first.body, 'incoming_phone_numbers');
    expect(first.body.next_page_uri).toMatch(/PageToken=PAID[0-9a-f]{32}$/);
    const second = await tm.api('GET', first.body.next_page_uri);
    expectListEnvelope2010(second.body, 'incoming_phone_numbers');
    expect(second.body.incoming_phone_numbers.map((n: any) => n.sid)).toEqual(all.slice(2, 4).map((n: any) => n.sid));
    expect(second.body.previous_page_uri).toMatch(/PageToken=PBID[0-9a-f]{32}$/);
  });

  it('updates settings, validating URLs and methods', async () => {
    const sid = 'PN00000000000000000000000000000124';
    const r = await tm.api('POST', `${base}/${sid}.json`, {
      SmsUrl: 'https://example.com/in', SmsFallbackUrl: 'https://example.com/fallback', VoiceUrl: 'https://example.com/voice',
      StatusCallback: 'https://example.com/status', FriendlyName: 'front desk', VoiceCallerIdLookup: 'true',
      EmergencyAddressSid: 'AD00000000000000000000000000000001', BundleSid: 'BU00000000000000000000000000000001',
    });
    expect(r.status).toBe(200);
    expectMatchesSchema('incomingPhoneNumber', r.body);
    expect(r.body).toMatchObject({
      sms_url: 'https://example.com/in', sms_fallback_url: 'https://example.com/fallback', voice_url: 'https://example.com/voice',
      status_callback: 'https://example.com/status', friendly_name: 'front desk', voice_caller_id_lookup: true,
      emergency_address_sid: 'AD00000000000000000000000000000001', emergency_address_status: 'registered', bundle_sid: 'BU00000000000000000000000000000001',
    });
    const fetched = await tm.api('GET', `${base}/${sid}.json`);
    expect(fetched.body).toEqual(r.body);
    expect((await tm.api('POST', `${base}/${sid}.json`, { VoiceUrl: 'nope' })).body).toMatchObject({ status: 400, code: 21402 });
    expect((await tm.api('POST', `${base}/${sid}.json`, { StatusCallbackMethod: 'DELETE' })).body).toMatchObject({ status: 400, code: 21403 });
    expect((await tm.api('POST', `${base}/${sid}.json`, { VoiceReceiveMode: 'carrier-pigeon' })).body).toMatchObject({ status: 400, code: 21400 });
    expect((await tm.api('POST', `${base}/${sid}.json`, { AccountSid: 'AC00000000000000000000000000000009' })).body.code).toBe(21400);
    const cleared = await tm.api('POST', `${base}/${sid}.json`, { SmsFallbackUrl: '', BundleSid: '' });
    expect(cleared.body).toMatchObject({ sms_fallback_url: '', bundle_sid: null });
  });

  it('releases a number: 204, then 404 on fetch and on a second release; it is no longer a valid From and is for sale again', async () => {
    const [number] = await numbersOf('?AreaCode=305&PageSize=1');
    const bought = await tm.api('POST', `${base}.json`, { PhoneNumber: number });
    const send = () => tm.api('POST', `/2010-04-01/Accounts/${tm.accountSid}/Messages.json`, { From: number, To: '+15558675310', Body: 'hi' });
    expect((await send()).status).toBe(201);
    const del = await tm.api('DELETE', `${base}/${bought.body.sid}.json`);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    const notFound = { code: 20404, message: `The requested resource ${base}/${bought.body.sid}.json was not found`, more_info: 'https://www.twilio.com/docs/errors/20404', status: 404 };
    expect((await tm.api('GET', `${base}/${bought.body.sid}.json`)).body).toEqual(notFound);
    expect((await tm.api('DELETE', `${base}/${bought.body.sid}.json`)).body).toEqual(notFound);
    const after = await send();
    expect(after.status).toBe(400);
    expect(after.body.code).toBe(21606);
    expect(await numbersOf('?AreaCode=305&PageSize=100')).toContain(number);
  });

  it('keeps numbers per session: another account sees none of them', async () => {
    const other = await tm.control('POST', '/_mirra/sessions', { seed: 'twilio:blank' });
    const auth: [string, string] = [other.body.accountSid, other.body.authToken];
    const own = await tm.api('GET', `/2010-04-01/Accounts/${other.body.accountSid}/IncomingPhoneNumbers.json`, undefined, auth);
    expect(own.body.incoming_phone_numbers).toEqual([]);
    const foreign = await tm.api('GET', `/2010-04-01/Accounts/${other.body.accountSid}/IncomingPhoneNumbers/PN00000000000000000000000000000123.json`, undefined, auth);
    expect(foreign.status).toBe(404);
    expect((await tm.api('GET', `${base}.json`, undefined, auth)).status).toBe(404);
    // Its inventory still offers numbers this session bought: accounts do not share state.
    const bought = (await tm.api('GET', `${base}.json?PageSize=100`)).body.incoming_phone_numbers.map((n: any) => n.phone_number);
    const theirs = await tm.api('POST', `/2010-04-01/Accounts/${other.body.accountSid}/IncomingPhoneNumbers.json`, { PhoneNumber: bought[2] }, auth);
    expect(theirs.status).toBe(201);
  });

  it('works through the real SDK (base-URL mode)', async () => {
    const client = tm.client();
    const found = await client.availablePhoneNumbers('US').local.list({ areaCode: 512, smsEnabled: true, limit: 3 });
    expect(found).toHaveLength(3);
    expect(found[0].locality).toBe('Austin');
    expect(found[0].capabilities).toMatchObject({ SMS: true, MMS: true, voice: true });
    const bought = await client.incomingPhoneNumbers.create({ phoneNumber: found[0].phoneNumber, smsUrl: 'https://example.com/a' });
    expect(bought.smsUrl).toBe('https://example.com/a');
    const updated = await client.incomingPhoneNumbers(bought.sid).update({ friendlyName: 'austin' });
    expect(updated.friendlyName).toBe('austin');
    const listed = await client.incomingPhoneNumbers.list({ phoneNumber: found[0].phoneNumber });
    expect(listed.map((n) => n.sid)).toEqual([bought.sid]);
    expect(await client.incomingPhoneNumbers(bought.sid).remove()).toBe(true);
    await expect(client.incomingPhoneNumbers(bought.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
  });
});

/**
 * AvailablePhoneNumbers over HTTP (issue #4 §1): the deterministic inventory per country and type,
 * its filters (AreaCode, Contains, capabilities, address requirements, region, postal code,
 * locality, NearNumber/NearLatLong, PageSize) and the real envelope, checked against the schemas.
 */
import { expectAllFields, expectMatchesSchema } from '../helpers/schema';
import { startTestMirror, type TestMirror } from '../helpers/mirror';
import { areaOf, milesBetween, placeOf } from '../../src/twilio/numbers/geo';

describe('AvailablePhoneNumbers', () => {
  let tm: TestMirror;
  let base: string;
  beforeAll(async () => {
    tm = await startTestMirror({ seed: 'twilio:blank' });
    base = `/2010-04-01/Accounts/${tm.accountSid}/AvailablePhoneNumbers`;
  });
  afterAll(() => tm.close());

  it('lists US, CA and GB with the number types each sells', async () => {
    const r = await tm.api('GET', `${base}.json`);
    expect(r.status).toBe(200);
    expect(Object.keys(r.body)).toEqual(['countries', 'uri']);
    expect(r.body.uri).toBe(`${base}.json`);
    for (const c of r.body.countries) {
      expectMatchesSchema('availablePhoneNumberCountry', c);
      expectAllFields('availablePhoneNumberCountry', c);
    }
    const byCode = Object.fromEntries(r.body.countries.map((c: any) => [c.country_code, c]));
    expect(Object.keys(byCode)).toEqual(['US', 'CA', 'GB']);
    expect(byCode.US).toEqual({
      country_code: 'US', country: 'United States', uri: `${base}/US.json`, beta: false,
      subresource_uris: { local: `${base}/US/Local.json`, toll_free: `${base}/US/TollFree.json` },
    });
    expect(Object.keys(byCode.GB.subresource_uris)).toEqual(['local', 'mobile', 'toll_free']);
  });

  it('fetches one country, and answers 404 for a country or type it does not sell', async () => {
    const gb = await tm.api('GET', `${base}/gb.json`);
    expect(gb.status).toBe(200);
    expect(gb.body.country).toBe('United Kingdom');
    expect((await tm.api('GET', `${base}/FR.json`)).body).toMatchObject({ status: 404, code: 20404 });
    expect((await tm.api('GET', `${base}/FR/Local.json`)).status).toBe(404);
    expect((await tm.api('GET', `${base}/US/Mobile.json`)).body).toMatchObject({ status: 404, code: 20404 });
    expect((await tm.api('GET', `${base}/US/Voip.json`)).status).toBe(404);
  });

  it('returns 30 plausible, schema-valid local numbers, the same ones on every call', async () => {
    const r = await tm.api('GET', `${base}/US/Local.json`);
    expect(r.status).toBe(200);
    // Real envelope: only the list and its uri (twilio-real-traffic.md §5).
    expect(Object.keys(r.body)).toEqual(['available_phone_numbers', 'uri']);
    expect(r.body.uri).toBe(`${base}/US/Local.json`);
    const items = r.body.available_phone_numbers;
    expect(items).toHaveLength(30);
    for (const n of items) {
      expectMatchesSchema('availablePhoneNumberLocal', n);
      expectAllFields('availablePhoneNumberLocal', n);
      expect(n.phone_number).toMatch(/^\+1[2-9]\d{2}[2-9]\d{6}$/);
      expect(n.phone_number.slice(5, 10)).not.toBe('55501'); // the fictional 555-01xx lines are never sold
      expect(n.friendly_name).toBe(`(${n.phone_number.slice(2, 5)}) ${n.phone_number.slice(5, 8)}-${n.phone_number.slice(8)}`);
      expect(n.latitude).toMatch(/^-?\d+\.\d{6}$/);
      expect(n.longitude).toMatch(/^-?\d+\.\d{6}$/);
      expect(Object.keys(n.capabilities)).toEqual(['voice', 'SMS', 'MMS', 'fax']);
      expect(n).toMatchObject({ iso_country: 'US', address_requirements: 'none', beta: false });
      expect(typeof n.locality).toBe('string');
      expect(n.region).toMatch(/^[A-Z]{2}$/);
    }
    expect(new Set(items.map((n: any) => n.phone_number)).size).toBe(30);
    // Unfiltered results mix localities.
    expect(new Set(items.map((n: any) => n.locality)).size).toBeGreaterThan(5);
    const again = await tm.api('GET', `${base}/US/Local.json`);
    expect(again.body).toEqual(r.body);
  });

  it('filters by AreaCode, Contains (wildcards), region, postal code, locality and PageSize; uri echoes the sorted query', async () => {
    const sf = await tm.api('GET', `${base}/US/Local.json?PageSize=5&AreaCode=415`);
    expect(sf.body.available_phone_numbers).toHaveLength(5);
    expect(sf.body.uri).toBe(`${base}/US/Local.json?AreaCode=415&PageSize=5`);
    const places415 = areaOf('+14155550100')!.places.map((p) => p.locality);
    for (const n of sf.body.available_phone_numbers) {
      expect(n).toMatchObject({ region: 'CA', lata: '722' });
      expect(places415).toContain(n.locality);
    }

    const target: string = sf.body.available_phone_numbers[0].phone_number;
    const pattern = `${target.slice(2, 8)}**${target.slice(10)}`; // e.g. 415700**17
    const contains = await tm.api('GET', `${base}/US/Local.json?Contains=${pattern}`);
    const found = contains.body.available_phone_numbers.map((n: any) => n.phone_number);
    expect(found).toContain(target);
    for (const p of found) expect(p).toMatch(new RegExp(pattern.replace(/\*/g, '\\d')));
    const anchored = await tm.api('GET', `${base}/US/Local.json?Contains=${encodeURIComponent('+1' + target.slice(2, 9))}`);
    for (const n of anchored.body.available_phone_numbers) expect(n.phone_number.startsWith(target.slice(0, 9))).toBe(true);
    expect((await tm.api('GET', `${base}/US/Local.json?Contains=4`)).body).toMatchObject({ status: 400, code: 21400 });

    const ny = await tm.api('GET', `${base}/US/Local.json?InRegion=NY`);
    expect(ny.body.available_phone_numbers.length).toBeGreaterThan(0);
    for (const n of ny.body.available_phone_numbers) expect(n.region).toBe('NY');
    const zip = await tm.api('GET', `${base}/US/Local.json?InPostalCode=02108`);
    for (const n of zip.body.available_phone_numbers) expect(n).toMatchObject({ postal_code: '02108', locality: 'Boston' });
    const hilo = await tm.api('GET', `${base}/US/Local.json?InLocality=hilo`);
    expect(hilo.body.available_phone_numbers[0]).toMatchObject({ locality: 'Hilo', region: 'HI', latitude: '19.720000' });

    expect((await tm.api('GET', `${base}/US/Local.json?AreaCode=41`)).body).toMatchObject({ status: 400, code: 21451 });
    expect((await tm.api('GET', `${base}/US/Local.json?AreaCode=999`)).body.available_phone_numbers).toEqual([]);
    expect((await tm.api('GET', `${base}/US/Local.json?PageSize=1001`)).body).toMatchObject({ status: 400, code: 20007 });
  });

  it('finds numbers near a number or a point within Distance miles', async () => {
    const center = placeOf('+14155550100')!;
    const near = await tm.api('GET', `${base}/US/Local.json?NearNumber=%2B14155550100&Distance=50&PageSize=200`);
    expect(near.body.available_phone_numbers).toHaveLength(200);
    for (const n of near.body.available_phone_numbers) expect(milesBetween(center.lat!, center.lng!, Number(n.latitude), Number(n.longitude))).toBeLessThanOrEqual(50);
    expect(new Set(near.body.available_phone_numbers.map((n: any) => n.locality)).size).toBeGreaterThan(5);
    const tight = await tm.api('GET', `${base}/US/Local.json?NearLatLong=40.7128%2C-74.006&Distance=5&PageSize=200`);
    const localities = new Set(tight.body.available_phone_numbers.map((n: any) => n.locality));
    expect(localities.has('New York')).toBe(true);
    for (const n of tight.body.available_phone_numbers) expect(milesBetween(40.7128, -74.006, Number(n.latitude), Number(n.longitude))).toBeLessThanOrEqual(5);
    const unknown = await tm.api('GET', `${base}/US/Local.json?NearNumber=%2B15555550100`);
    expect(unknown.body.available_phone_numbers).toEqual([]);
  });

  it("answers the docs' searches through the twilio SDK, and every number found is buyable", async () => {
    // TwilioDevEd/api-snippets rest/available-phone-numbers/*: each example searches, then buys data[0].
    const client = tm.client();
    const us = client.availablePhoneNumbers('US');
    const searches: [string, () => Promise<{ phoneNumber: string; region: string | null }[]>, RegExp][] = [
      ['Contains=510555****', () => us.local.list({ contains: '510555****' }), /^\+1510555\d{4}$/],
      ['Contains=STORM (Local)', () => us.local.list({ contains: 'STORM' }), /78676/],
      ['Contains=STORM (TollFree)', () => us.tollFree.list({ contains: 'STORM' }), /^\+18\d\d.*78676/],
      ['InRegion=AR', () => us.local.list({ inRegion: 'AR' }), /^\+1(479|501|870|327)/],
      ['AreaCode=800&Contains=KYLO', () => us.tollFree.list({ areaCode: 800, contains: 'KYLO' }), /^\+1800\d*5956/],
      ['NearLatLong+Distance+Contains+InRegion', () => us.local.list({ nearLatLong: '37.840699,-122.461853', distance: 50, contains: '555', inRegion: 'CA' }), /555/],
      ['AreaCode=510', () => us.local.list({ areaCode: 510 }), /^\+1510/],
    ];
    for (const [name, run, pattern] of searches) {
      const found = await run();
      expect([name, found.length]).toEqual([name, 30]);
      for (const n of found) expect([name, n.phoneNumber]).toEqual([name, expect.stringMatching(pattern)]);
      const bought = await client.incomingPhoneNumbers.create({ phoneNumber: found[0].phoneNumber });
      expect(bought.phoneNumber).toBe(found[0].phoneNumber);
    }
    // The number the docs' AreaCode=510 example shows is for sale too.
    const docs = await client.incomingPhoneNumbers.create({ phoneNumber: '+15105647903' });
    expect(docs).toMatchObject({ phoneNumber: '+15105647903', friendlyName: '(510) 564-7903' });
  });

  it('filters by capabilities and address requirements across types and countries', async () => {
    const gbLocal = await tm.api('GET', `${base}/GB/Local.json`);
    for (const n of gbLocal.body.available_phone_numbers) {
      expectMatchesSchema('availablePhoneNumberLocal', n);
      expect(n).toMatchObject({ iso_country: 'GB', address_requirements: 'any', latitude: null, capabilities: { voice: true, SMS: false } });
      expect(n.friendly_name).toBe(n.phone_number);
    }
    expect((await tm.api('GET', `${base}/GB/Local.json?SmsEnabled=true`)).body.available_phone_numbers).toEqual([]);
    expect((await tm.api('GET', `${base}/GB/Local.json?ExcludeAllAddressRequired=true`)).body.available_phone_numbers).toEqual([]);
    // AreaCode is for US/CA only and is ignored elsewhere.
    expect((await tm.api('GET', `${base}/GB/Local.json?AreaCode=12`)).body.available_phone_numbers).toHaveLength(30);

    const mobile = await tm.api('GET', `${base}/GB/Mobile.json?SmsEnabled=true&PageSize=3`);
    expect(mobile.body.available_phone_numbers).toHaveLength(3);
    for (const n of mobile.body.available_phone_numbers) {
      expectMatchesSchema('availablePhoneNumberMobile', n);
      expectAllFields('availablePhoneNumberMobile', n);
      expect(n.phone_number).toMatch(/^\+447\d{9}$/);
    }
    expect((await tm.api('GET', `${base}/GB/Mobile.json?MmsEnabled=true`)).body.available_phone_numbers).toEqual([]);

    const tollFree = await tm.api('GET', `${base}/US/TollFree.json?PageSize=3`);
    for (const n of tollFree.body.available_phone_numbers) {
      expectMatchesSchema('availablePhoneNumberTollFree', n);
      expectAllFields('availablePhoneNumberTollFree', n);
      expect(n).toMatchObject({ locality: null, latitude: null, longitude: null, region: null, lata: null });
      expect(n.phone_number).toMatch(/^\+1(800|833|844|855|866|877|888)/);
    }
    const gbFree = await tm.api('GET', `${base}/GB/TollFree.json?ExcludeAllAddressRequired=true&VoiceEnabled=true`);
    expect(gbFree.body.available_phone_numbers.length).toBe(30);
    const caFree = await tm.api('GET', `${base}/CA/TollFree.json?MmsEnabled=false&PageSize=2`);
    for (const n of caFree.body.available_phone_numbers) expect(n.phone_number).toMatch(/^\+1(800|833|844|855|866|877|888)/);
    const caLocal = await tm.api('GET', `${base}/CA/Local.json?AreaCode=604&PageSize=1`);
    expect(caLocal.body.available_phone_numbers[0]).toMatchObject({ iso_country: 'CA', region: 'BC' });
  });
});

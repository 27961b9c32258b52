/**
 * The number inventory and its search (pure): every US state and area code, Canadian provinces,
 * every toll-free prefix; deterministic answers; the semantics of Contains (with `*` and letters),
 * Near*, the place filters and the capability filters; and every listed number is for sale.
 */
import { AREAS, areaOf, countryOf, milesBetween, placeOf, webhookGeo } from '../../src/twilio/numbers/geo';
import { COUNTRIES, findForSale, friendlyNameOf } from '../../src/twilio/numbers/inventory';
import { searchInventory } from '../../src/twilio/numbers/inventory-search';
import { containsPattern, matchesSearch, readSearch } from '../../src/twilio/numbers/search';
import { parseNumber } from '../../src/twilio/phone';

const search = (country: string, type: 'local' | 'tollfree' | 'mobile', query: Record<string, string>, limit = 30, owned = new Set<string>()) =>
  searchInventory(country, type, readSearch(query, country), owned, limit);

/** The 50 states and DC. */
const STATES = 'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY'.split(' ');

describe('coverage', () => {
  it('has area codes in every US state and DC, and in the Canadian provinces', () => {
    const us = new Set(AREAS.filter((a) => a.country === 'US').map((a) => a.region));
    expect([...STATES].filter((s) => !us.has(s))).toEqual([]);
    const ca = new Set(AREAS.filter((a) => a.country === 'CA').map((a) => a.region));
    for (const p of ['ON', 'QC', 'BC', 'AB', 'MB', 'SK', 'NS', 'NB', 'NL', 'PE']) expect(ca.has(p)).toBe(true);
    expect(AREAS.filter((a) => a.country === 'US').length).toBeGreaterThan(300);
  });

  it('answers a search in every state (InRegion) with valid numbers of that state', () => {
    for (const state of STATES) {
      const found = search('US', 'local', { InRegion: state }, 3);
      expect([state, found.length]).toEqual([state, 3]);
      for (const n of found) {
        expect(n.region).toBe(state);
        expect(parseNumber(n.phoneNumber)?.country).toBe('US');
      }
    }
  });

  it('sells every NANP toll-free prefix, each number in exactly one country', () => {
    for (const code of ['800', '833', '844', '855', '866', '877', '888']) {
      const us = search('US', 'tollfree', { AreaCode: code }, 5);
      const ca = search('CA', 'tollfree', { AreaCode: code }, 5);
      expect([code, us.length, ca.length]).toEqual([code, 5, 5]);
      for (const n of [...us, ...ca]) {
        expect(n.phoneNumber.slice(2, 5)).toBe(code);
        expect(findForSale(n.phoneNumber)?.isoCountry).toBe(n.isoCountry);
        expect(parseNumber(n.phoneNumber)?.type).toBe('toll_free');
      }
    }
  });
});

describe('search', () => {
  it('is the same on every call, without duplicates, and mixes places when unfiltered', () => {
    for (const c of COUNTRIES) {
      for (const type of c.types) {
        const a = search(c.code, type, {});
        expect(a).toHaveLength(30);
        expect(search(c.code, type, {})).toEqual(a);
        expect(new Set(a.map((n) => n.phoneNumber)).size).toBe(30);
        for (const n of a) expect(n).toMatchObject({ isoCountry: c.code, type });
      }
    }
    expect(new Set(search('US', 'local', {}).map((n) => n.region)).size).toBeGreaterThan(10);
    expect(search('US', 'mobile', {})).toEqual([]);
  });

  it('lists only valid numbers: NANP exchanges never N11 or the fictional 555-01xx, UK lengths right', () => {
    for (const n of [...search('US', 'local', {}, 200), ...search('CA', 'local', {}, 100), ...search('US', 'tollfree', {}, 100)]) {
      expect(n.phoneNumber).toMatch(/^\+1[2-9]\d{2}[2-9]\d{6}$/);
      expect(n.phoneNumber.slice(6, 8)).not.toBe('11');
      expect(n.phoneNumber.slice(5, 10)).not.toBe('55501');
      expect(parseNumber(n.phoneNumber)).not.toBeNull();
    }
    for (const n of search('GB', 'local', {})) expect(n.phoneNumber.slice(3)).toHaveLength(10);
    for (const n of search('GB', 'mobile', {})) expect(n.phoneNumber).toMatch(/^\+447[45789]\d{8}$/);
  });

  it('finds what the docs examples search for', () => {
    const exact = search('US', 'local', { Contains: '510555****' });
    expect(exact.length).toBe(30);
    for (const n of exact) expect(n.phoneNumber).toMatch(/^\+1510555\d{4}$/);
    for (const type of ['local', 'tollfree'] as const) {
      const storm = search('US', type, { Contains: 'STORM' });
      expect(storm.length).toBe(30);
      for (const n of storm) expect(n.phoneNumber).toContain('78676');
    }
    const kylo = search('US', 'tollfree', { AreaCode: '800', Contains: 'KYLO' });
    expect(kylo.length).toBe(30);
    for (const n of kylo) expect(n.phoneNumber).toMatch(/^\+1800\d*5956/);
    const ar = search('US', 'local', { InRegion: 'AR' });
    expect(ar.length).toBe(30);
    expect(new Set(ar.map((n) => n.areaCode))).toEqual(new Set(['479', '501', '870', '327']));
    const near = search('US', 'local', { NearLatLong: '37.840699,-122.461853', Distance: '50', Contains: '555', InRegion: 'CA' });
    expect(near.length).toBe(30);
    for (const n of near) expect(milesBetween(37.840699, -122.461853, n.latitude!, n.longitude!)).toBeLessThanOrEqual(50);
  });

  it('leaves out owned numbers, and stops on a pattern nothing matches', () => {
    const first = search('US', 'local', { AreaCode: '206' }, 3);
    const without = search('US', 'local', { AreaCode: '206' }, 3, new Set([first[0].phoneNumber]));
    expect(without.map((n) => n.phoneNumber)).not.toContain(first[0].phoneNumber);
    expect(search('US', 'local', { Contains: '0000000000' })).toEqual([]);
    expect(search('US', 'local', { Contains: '+1999' })).toEqual([]);
  });
});

describe('for sale', () => {
  it('sells every listed number, the docs number, and nothing fictional or foreign', () => {
    for (const n of [...search('US', 'local', {}), ...search('GB', 'mobile', {}), ...search('CA', 'tollfree', {})]) expect(findForSale(n.phoneNumber)).toEqual(n);
    expect(findForSale('+15105647903')).toMatchObject({ isoCountry: 'US', region: 'CA', areaCode: '510', type: 'local' });
    expect(findForSale('+14155550100')).toBeUndefined(); // 555-01xx is fiction
    expect(findForSale('+447700900123')).toBeUndefined();
    expect(findForSale('+33612345678')).toBeUndefined();
    expect(findForSale('+15551234567')).toBeUndefined();
    expect(friendlyNameOf('+14155550100')).toBe('(415) 555-0100');
    expect(friendlyNameOf('+447700900123')).toBe('+447700900123');
  });
});

describe('geography', () => {
  it('knows countries, areas and webhook geography of numbers', () => {
    expect(countryOf('+14165550100')).toBe('CA');
    expect(countryOf('+12125550100')).toBe('US');
    expect(countryOf('+442071234567')).toBe('GB');
    expect(countryOf('+33612345678')).toBe('FR');
    expect(areaOf('+441611234567')?.places[0].locality).toBe('Manchester');
    expect(areaOf('+442071234567')?.places[0].locality).toBe('London');
    expect(areaOf('+15015551234')?.region).toBe('AR');
    // A number's place is stable: what a search shows is what its webhooks say.
    const n = search('US', 'local', { AreaCode: '617' }, 1)[0];
    expect(webhookGeo(n.phoneNumber)).toEqual({ city: n.locality!.toUpperCase(), state: 'MA', zip: n.postalCode ?? '', country: 'US' });
    expect(placeOf(n.phoneNumber)?.locality).toBe(n.locality);
    expect(webhookGeo('+15555550100')).toEqual({ city: '', state: '', zip: '', country: 'US' });
    // San Francisco to Los Angeles is about 347 miles.
    expect(milesBetween(37.7749, -122.4194, 34.0522, -118.2437)).toBeCloseTo(347, -1);
  });
});

describe('search filters', () => {
  const sample = search('US', 'local', {}, 1)[0];

  it('Contains: digits, * for one digit, keypad letters, and + to anchor', () => {
    expect(containsPattern('415***1234')).toMatchObject({ anchored: false, tokens: ['4', '1', '5', '*', '*', '*', '1', '2', '3', '4'] });
    expect(containsPattern('STORM').regex.source).toBe('78676');
    expect(containsPattern('+1415')).toMatchObject({ anchored: true, tokens: ['1', '4', '1', '5'] });
    expect(() => containsPattern('1')).toThrow(expect.objectContaining({ code: 21400 }));
    expect(() => containsPattern('41-5')).toThrow(expect.objectContaining({ code: 21400 }));
    const middle = sample.phoneNumber.slice(4, 9);
    expect(matchesSearch(sample, readSearch({ Contains: middle }, 'US'))).toBe(true);
    expect(matchesSearch(sample, readSearch({ Contains: `+${sample.phoneNumber.slice(2, 6)}` }, 'US'))).toBe(false);
    expect(matchesSearch(sample, readSearch({ Contains: sample.phoneNumber.slice(0, 6) }, 'US'))).toBe(true);
  });

  it('capabilities: true requires, false excludes, other values do not filter', () => {
    const all = search('US', 'local', {}, 100);
    const fax = all.find((n) => n.capabilities.fax)!;
    const noFax = all.find((n) => !n.capabilities.fax)!;
    expect(matchesSearch(fax, readSearch({ FaxEnabled: 'true' }, 'US'))).toBe(true);
    expect(matchesSearch(noFax, readSearch({ FaxEnabled: 'TRUE' }, 'US'))).toBe(false);
    expect(matchesSearch(fax, readSearch({ FaxEnabled: 'false' }, 'US'))).toBe(false);
    expect(matchesSearch(fax, readSearch({ FaxEnabled: 'maybe' }, 'US'))).toBe(true);
    for (const n of search('US', 'local', { FaxEnabled: 'true' })) expect(n.capabilities.fax).toBe(true);
  });

  it('rejects malformed AreaCode, NearLatLong and Distance', () => {
    expect(() => readSearch({ AreaCode: '041' }, 'US')).toThrow(expect.objectContaining({ code: 21451 }));
    expect(() => readSearch({ NearLatLong: 'north' }, 'US')).toThrow(expect.objectContaining({ code: 21400 }));
    expect(() => readSearch({ NearLatLong: '95,10' }, 'US')).toThrow(expect.objectContaining({ code: 21400 }));
    expect(() => readSearch({ NearNumber: '+14155550100', Distance: 'far' }, 'US')).toThrow(expect.objectContaining({ code: 21400 }));
    expect(() => readSearch({ NearNumber: 'nope' }, 'US')).toThrow(expect.objectContaining({ code: 21400 }));
    expect(readSearch({ NearNumber: '+14155550100', Distance: '9000' }, 'US').near?.miles).toBe(500);
  });
});

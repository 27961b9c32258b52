/**
 * The number inventory and its search (pure): deterministic, plausible catalogues per country and
 * type, and the semantics of Contains, Near* and the capability filters.
 */
import { areaOf, countryOf, milesBetween, webhookGeo } from '../../src/twilio/numbers/geo';
import { catalogue, COUNTRIES, findForSale, friendlyNameOf } from '../../src/twilio/numbers/inventory';
import { containsPattern, matchesSearch, readSearch } from '../../src/twilio/numbers/search';

describe('catalogue', () => {
  it('is the same on every call, without duplicates, in every country and type', () => {
    const all: string[] = [];
    for (const c of COUNTRIES) {
      for (const type of c.types) {
        const a = catalogue(c.code, type);
        expect(a.length).toBeGreaterThanOrEqual(40);
        expect(catalogue(c.code, type)).toEqual(a);
        for (const n of a) expect(n).toMatchObject({ isoCountry: c.code, type });
        all.push(...a.map((n) => n.phoneNumber));
      }
    }
    expect(new Set(all).size).toBe(all.length);
  });

  it('only holds valid-looking numbers: NANP exchanges never 555 or N11, UK lengths right', () => {
    for (const n of [...catalogue('US', 'local'), ...catalogue('CA', 'local'), ...catalogue('US', 'tollfree')]) {
      expect(n.phoneNumber).toMatch(/^\+1[2-9]\d{2}[2-9]\d{6}$/);
      const exchange = n.phoneNumber.slice(5, 8);
      expect(exchange === '555' || exchange.endsWith('11')).toBe(false);
    }
    for (const n of catalogue('GB', 'local')) expect(n.phoneNumber.slice(3)).toHaveLength(10);
    for (const n of catalogue('GB', 'mobile')) expect(n.phoneNumber).toMatch(/^\+447[45789]\d{8}$/);
    expect(catalogue('US', 'mobile')).toEqual([]);
  });

  it('finds the catalogue entry of a number, and nothing for numbers it never sells', () => {
    const n = catalogue('CA', 'local')[7];
    expect(findForSale(n.phoneNumber)).toEqual(n);
    expect(findForSale('+14155550100')).toBeUndefined();
    expect(findForSale('+33612345678')).toBeUndefined();
    expect(friendlyNameOf('+14155550100')).toBe('(415) 555-0100');
    expect(friendlyNameOf('+447700900123')).toBe('+447700900123');
  });
});

describe('geography', () => {
  it('knows countries, areas and webhook geography of numbers', () => {
    expect(countryOf('+14165550100')).toBe('CA');
    expect(countryOf('+12125550100')).toBe('US');
    expect(countryOf('+442071234567')).toBe('GB');
    expect(countryOf('+33612345678')).toBe('');
    expect(areaOf('+441611234567')?.locality).toBe('Manchester');
    expect(areaOf('+442071234567')?.locality).toBe('London');
    expect(webhookGeo('+16175550100')).toEqual({ city: 'BOSTON', state: 'MA', zip: '02108', country: 'US' });
    expect(webhookGeo('+15555550100')).toEqual({ city: '', state: '', zip: '', country: 'US' });
    // San Francisco to Los Angeles is about 347 miles.
    expect(milesBetween(37.7749, -122.4194, 34.0522, -118.2437)).toBeCloseTo(347, -1);
  });
});

describe('search filters', () => {
  const sample = catalogue('US', 'local')[0];

  it('Contains: digits, * for one digit, keypad letters, and + to anchor', () => {
    expect(containsPattern('415***1234').source).toBe('415\\d\\d\\d1234');
    expect(containsPattern('STORM').source).toBe('78676');
    expect(containsPattern('+1415').source).toBe('^\\+1415');
    expect(() => containsPattern('1')).toThrow(expect.objectContaining({ code: 21400 }));
    expect(() => containsPattern('41-5')).toThrow(expect.objectContaining({ code: 21400 }));
    const middle = sample.phoneNumber.slice(4, 9);
    expect(matchesSearch(sample, readSearch({ Contains: middle }, 'US'))).toBe(true);
    expect(matchesSearch(sample, readSearch({ Contains: `+${sample.phoneNumber.slice(2, 6)}` }, 'US'))).toBe(false);
    expect(matchesSearch(sample, readSearch({ Contains: sample.phoneNumber.slice(0, 6) }, 'US'))).toBe(true);
  });

  it('capabilities: true requires, false excludes', () => {
    const fax = catalogue('US', 'local').find((n) => n.capabilities.fax)!;
    const noFax = catalogue('US', 'local').find((n) => !n.capabilities.fax)!;
    expect(matchesSearch(fax, readSearch({ FaxEnabled: 'true' }, 'US'))).toBe(true);
    expect(matchesSearch(noFax, readSearch({ FaxEnabled: 'true' }, 'US'))).toBe(false);
    expect(matchesSearch(fax, readSearch({ FaxEnabled: 'false' }, 'US'))).toBe(false);
    expect(matchesSearch(fax, readSearch({ FaxEnabled: 'maybe' }, 'US'))).toBe(true);
  });

  it('rejects malformed AreaCode, NearLatLong and Distance', () => {
    expect(() => readSearch({ AreaCode: '041' }, 'US')).toThrow(expect.objectContaining({ code: 21451 }));
    expect(() => readSearch({ NearLatLong: 'north' }, 'US')).toThrow(expect.objectContaining({ code: 21400 }));
    expect(() => readSearch({ NearNumber: '+14155550100', Distance: 'far' }, 'US')).toThrow(expect.objectContaining({ code: 21400 }));
    expect(readSearch({ NearNumber: '+14155550100', Distance: '9000' }, 'US').near?.miles).toBe(500);
  });
});

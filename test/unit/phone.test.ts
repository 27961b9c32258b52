/**
 * Phone numbers for every country (libphonenumber-js): one validity test for Messages' 21211,
 * Verify's `To`, buying numbers and Lookup; Lookup v2's basic answer, line type, carrier and caller
 * name, deterministic per number. Numbers from the US, CA, GB, DE, FR, IN, BR, JP and AU.
 */
import { callerName, describeNumber, lineTypeIntelligence, lineTypeOf, renderDescription } from '../../src/twilio/lookup/describe';
import { areaCodeOf, countryOfNumber, isValidNumber, maskNumber, parseNumber, toE164, validationErrors } from '../../src/twilio/phone';

/** Valid numbers of nine countries, in E.164, with their country and national format. */
const WORLD: [e164: string, country: string, national: string][] = [
  ['+14155552671', 'US', '(415) 555-2671'],
  ['+16135550123', 'CA', '(613) 555-0123'],
  ['+442071838750', 'GB', '020 7183 8750'],
  ['+4930123456', 'DE', '030 123456'],
  ['+33612345678', 'FR', '06 12 34 56 78'],
  ['+919876543210', 'IN', '098765 43210'],
  ['+5511987654321', 'BR', '(11) 98765-4321'],
  ['+81312345678', 'JP', '03-1234-5678'],
  ['+61412345678', 'AU', '0412 345 678'],
];

describe('parseNumber / toE164', () => {
  it.each(WORLD)('knows %s as a valid %s number', (e164, country, national) => {
    expect(parseNumber(e164)).toMatchObject({ e164, country, nationalFormat: national });
    expect(toE164(e164)).toBe(e164);
    expect(isValidNumber(e164)).toBe(true);
    expect(countryOfNumber(e164)).toBe(country);
  });

  it('accepts national and +-less forms, reading a national number in the given country', () => {
    expect(toE164('(415) 555-2671')).toBe('+14155552671');
    expect(toE164('14155552671')).toBe('+14155552671');
    expect(toE164('15005550006')).toBe('+15005550006');
    expect(toE164('020 7183 8750', 'GB')).toBe('+442071838750');
    expect(toE164('06 12 34 56 78', 'FR')).toBe('+33612345678');
    expect(toE164('447911123456')).toBe('+447911123456');
    expect(toE164('whatsapp:+33612345678')).toBe('whatsapp:+33612345678');
  });

  it('rejects what no numbering plan has: wrong lengths, unknown country codes, letters, unassigned ranges', () => {
    for (const bad of ['+1asd', '12', '33', '+4420712', '+33612345678901', '+999123456789', '+1415555', '+12125550', '+10005550100', '+4915', 'whatsapp:+12']) {
      expect(toE164(bad)).toBeNull();
    }
  });

  it("keeps the test-credential magic numbers' behaviour: all +1 500 555 xxxx numbers are valid", () => {
    for (const magic of ['+15005550000', '+15005550001', '+15005550006', '+15005550009']) expect(toE164(magic)).toBe(magic);
  });

  it('accepts the numbers reserved for fiction as test numbers (NANP 555 area code, UK drama range)', () => {
    expect(parseNumber('+15555550123')).toMatchObject({ country: 'US', nationalFormat: '(555) 555-0123' });
    expect(parseNumber('+447700900123')).toMatchObject({ country: 'GB', type: 'mobile' });
  });

  it('masks and splits NANP numbers as before', () => {
    expect(maskNumber('+917000012345')).toBe('+91700001XXXX');
    expect(areaCodeOf('+14155552671')).toBe('415');
    expect(areaCodeOf('+442071838750')).toBeNull();
  });
});

describe('Lookup v2 basic answer', () => {
  it('describes valid numbers of every country with E.164, national format and codes', () => {
    for (const [e164, country, national] of WORLD) {
      expect(describeNumber(e164)).toEqual({
        valid: true, e164, phoneNumber: e164, nationalFormat: national, countryCode: country,
        callingCountryCode: parseNumber(e164)!.callingCode, validationErrors: [],
      });
    }
    expect(describeNumber('020 7183 8750', 'GB')).toMatchObject({ valid: true, phoneNumber: '+442071838750' });
  });

  it("answers invalid numbers with valid:false and Lookup's validation_errors, echoing the input", () => {
    expect(describeNumber('+1415555')).toMatchObject({ valid: false, phoneNumber: '+1415555', callingCountryCode: '1', nationalFormat: null, validationErrors: ['TOO_SHORT'] });
    expect(describeNumber('+14155552671999999')).toMatchObject({ valid: false, validationErrors: ['TOO_LONG'] });
    expect(describeNumber('+999123456789')).toMatchObject({ valid: false, countryCode: null, callingCountryCode: null, validationErrors: ['INVALID_COUNTRY_CODE'] });
    expect(describeNumber('hello')).toMatchObject({ valid: false, phoneNumber: 'hello', validationErrors: ['NOT_A_NUMBER'] });
    // Right length, unassigned range: possible but invalid.
    expect(describeNumber('+10005550100')).toMatchObject({ valid: false, validationErrors: ['INVALID_BUT_POSSIBLE'] });
    expect(validationErrors('+14155552671')).toEqual([]);
    expect(Object.keys(renderDescription(describeNumber('+14155552671')))).toEqual(['calling_country_code', 'country_code', 'phone_number', 'national_format', 'valid', 'validation_errors']);
  });
});

describe('Lookup v2 line type and caller name', () => {
  it('takes the type from the numbering plan where it knows it', () => {
    expect(lineTypeOf('+33612345678')).toBe('mobile');
    expect(lineTypeOf('+442071838750')).toBe('landline');
    expect(lineTypeOf('+18005551212')).toBe('tollFree');
    expect(lineTypeOf('+61412345678')).toBe('mobile');
    expect(lineTypeOf('+81312345678')).toBe('landline');
    expect(lineTypeOf('+15005550006')).toBe('personal');
  });

  it('is deterministic per number, with string MCC/MNC for mobiles and none for landlines', () => {
    for (const [e164] of WORLD) {
      const lti = lineTypeIntelligence(e164)!;
      expect(lineTypeIntelligence(e164)).toEqual(lti);
      expect(lti.errorCode).toBeNull();
      if (lti.type === 'mobile') {
        expect(lti.mobileCountryCode).toMatch(/^\d{3}$/);
        expect(lti.mobileNetworkCode).toMatch(/^\d{2,3}$/);
        expect(lti.carrierName).toEqual(expect.any(String));
      } else {
        expect(lti.mobileCountryCode).toBeNull();
      }
    }
    expect(lineTypeIntelligence('+33612345678')).toMatchObject({ type: 'mobile', mobileCountryCode: '208' });
    expect(lineTypeIntelligence('+4930123456')).toMatchObject({ type: 'landline', mobileNetworkCode: null });
    expect(lineTypeIntelligence('+1415555')).toBeNull();
    // NANP numbers do not tell mobile from landline: a stable pick, both kinds present.
    const types = new Set(Array.from({ length: 40 }, (_, i) => lineTypeOf(`+1415555${String(2000 + i).padStart(4, '0')}`)));
    expect(types).toEqual(new Set(['mobile', 'landline']));
  });

  it('names US callers only; other countries get the out-of-coverage error code in the package', () => {
    const us = callerName('+14155552671')!;
    expect(us.callerName).toEqual(expect.any(String));
    expect(['CONSUMER', 'BUSINESS']).toContain(us.callerType);
    expect(callerName('+14155552671')).toEqual(us);
    expect(callerName('+442071838750')).toEqual({ callerName: null, callerType: null, errorCode: 60600 });
  });
});

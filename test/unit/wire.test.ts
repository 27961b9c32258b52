import { iso8601, parseDateFilter, rfc2822, twilioJson } from '../../src/twilio/wire';
import { countSegments } from '../../src/twilio/segments';
import { toE164, maskNumber } from '../../src/twilio/phone';

describe('wire format', () => {
  it('writes JSON bytes like Twilio: ", " and ": " separators, \\u escapes, CRLF escaped', () => {
    expect(twilioJson({ a: 1, b: 'ü\r\n', c: [true, null], d: { e: '"' } })).toBe('{"a": 1, "b": "\\u00fc\\r\\n", "c": [true, null], "d": {"e": "\\""}}');
  });

  it('drops undefined keys but keeps null', () => {
    expect(twilioJson({ a: undefined, b: null })).toBe('{"b": null}');
  });

  it('formats RFC 2822 and ISO 8601 dates in UTC, whole seconds', () => {
    const t = Date.UTC(2015, 6, 30, 20, 12, 31, 999);
    expect(rfc2822(t)).toBe('Thu, 30 Jul 2015 20:12:31 +0000');
    expect(iso8601(t)).toBe('2015-07-30T20:12:31Z');
    expect(rfc2822(null)).toBeNull();
  });

  it('reads day and date-time filters', () => {
    expect(parseDateFilter('2024-01-02')).toEqual({ start: Date.UTC(2024, 0, 2), end: Date.UTC(2024, 0, 3) - 1 });
    expect(parseDateFilter('2024-01-02T03:04:05Z')).toEqual({ start: Date.UTC(2024, 0, 2, 3, 4, 5), end: Date.UTC(2024, 0, 2, 3, 4, 5) });
    expect(parseDateFilter('yesterday')).toBeNull();
  });
});

describe('segments', () => {
  it('counts GSM-7 and UCS-2 segments', () => {
    expect(countSegments('')).toBe(0);
    expect(countSegments('a'.repeat(160))).toBe(1);
    expect(countSegments('a'.repeat(161))).toBe(2);
    expect(countSegments('€'.repeat(80))).toBe(1); // extension chars count double: 160 septets
    expect(countSegments('€'.repeat(81))).toBe(2);
    expect(countSegments('ü'.repeat(160))).toBe(1); // ü is in GSM-7
    expect(countSegments('😀'.repeat(35))).toBe(1); // 70 UTF-16 units
    expect(countSegments('😀'.repeat(36))).toBe(2);
  });
});

describe('phone numbers', () => {
  it('normalises to E.164', () => {
    expect(toE164('+15005550006')).toBe('+15005550006');
    expect(toE164('15005550006')).toBe('+15005550006');
    expect(toE164('(415) 555-0100')).toBe('+14155550100');
    expect(toE164('whatsapp:+14155550100')).toBe('whatsapp:+14155550100');
    expect(toE164('+1asd')).toBeNull();
    expect(maskNumber('+917000012345')).toBe('+91700001XXXX');
  });
});

/**
 * Phone numbers at the boundary, for every country, with libphonenumber-js (`max` metadata, which
 * knows each country's number types). One function decides what a valid number is — 21211 on
 * Messages, Verify's `To`, buying numbers and Lookup's `valid` all go through {@link parseNumber} —
 * so validation and formatting agree everywhere.
 *
 * Twilio echoes numbers in E.164 and accepts a `+`-less form (twilio-real-traffic.md
 * "Normalisation": `From=1256…` is echoed as `+1256…`; a bare national `To` takes the sender's
 * country). Masking follows 2023-era error messages.
 *
 * LIMITATION (docs/phone-numbers.md): the NANP 555 area code (`+1 555 …`) and Ofcom's drama range
 * `+44 7700 900xxx` are reserved for fiction and invalid on Twilio (21211), but mirra accepts them
 * as valid test numbers, since test suites (and mirra's own docs and seeds) use them as fakes.
 */
import { parsePhoneNumberFromString, validatePhoneNumberLength, type CountryCode, type NumberType as LibNumberType, type PhoneNumber } from 'libphonenumber-js/max';

/** Channel prefixes (`whatsapp:+1555...`) that Twilio passes through unchanged. */
const CHANNEL = /^(whatsapp|messenger|rcs):/i;

/**
 * Number types as libphonenumber names them, lower-cased with underscores: `mobile`,
 * `fixed_line`, `fixed_line_or_mobile` (NANP, where the plan does not tell), `toll_free`, `voip`…
 */
export type PhoneNumberType =
  | 'mobile'
  | 'fixed_line'
  | 'fixed_line_or_mobile'
  | 'toll_free'
  | 'premium_rate'
  | 'shared_cost'
  | 'voip'
  | 'personal_number'
  | 'pager'
  | 'uan'
  | 'voicemail'
  | 'unknown';

/** A valid number, as the mirror sees it. */
export interface PhoneInfo {
  /** `+14155550100`. */
  e164: string;
  /** ISO 3166 country (`US`, `GB`); `US` for the fictional 555 area code. */
  country: string;
  /** Calling code without `+` (`1`, `44`). */
  callingCode: string;
  /** The national significant number (`4155550100`). */
  nationalNumber: string;
  /** National format (`(415) 555-0100`, `020 7123 4567`). */
  nationalFormat: string;
  type: PhoneNumberType;
}

/** NANP area code 555 (never assigned) and Ofcom's drama mobile range: fiction, accepted as test numbers. */
const FICTIONAL: readonly { pattern: RegExp; country: CountryCode; type: PhoneNumberType }[] = [
  { pattern: /^\+1555\d{7}$/, country: 'US', type: 'fixed_line_or_mobile' },
  { pattern: /^\+447700900\d{3}$/, country: 'GB', type: 'mobile' },
];

function typeOf(t: LibNumberType | undefined): PhoneNumberType {
  return t ? (t.toLowerCase() as PhoneNumberType) : 'unknown';
}

/**
 * A parsed valid number. Its national format and type are worked out when first read: each costs
 * libphonenumber a few microseconds, and most callers only want the E.164 form.
 */
class ParsedNumber implements PhoneInfo {
  readonly e164: string;
  readonly country: string;
  readonly callingCode: string;
  readonly nationalNumber: string;
  private format?: string;
  private kind?: PhoneNumberType;

  constructor(
    private readonly parsed: PhoneNumber,
    private readonly fiction: (typeof FICTIONAL)[number] | undefined,
    private readonly valid: boolean,
  ) {
    this.e164 = parsed.number;
    this.country = parsed.country ?? fiction?.country ?? '';
    this.callingCode = parsed.countryCallingCode;
    this.nationalNumber = parsed.nationalNumber;
  }

  get nationalFormat(): string {
    return (this.format ??= this.parsed.formatNational());
  }

  get type(): PhoneNumberType {
    return (this.kind ??= this.fiction && !this.valid ? this.fiction.type : typeOf(this.parsed.getType()));
  }
}

function fromLib(p: PhoneNumber): PhoneInfo | null {
  const fiction = FICTIONAL.find((f) => f.pattern.test(p.number));
  const valid = p.isValid();
  return valid || fiction ? new ParsedNumber(p, fiction, valid) : null;
}

/**
 * Numbers already parsed, by default country and raw text. Parsing one costs libphonenumber
 * ~20 µs, and a test run sends between the same few numbers over and over (every message create
 * reads its `To` and `From`). A memo of a pure function: it holds nobody's data, and it is
 * cleared whole when full.
 */
const parsedCache = new Map<string, PhoneInfo | null>();
const PARSED_CACHE_LIMIT = 4096;

/** Characters people put in numbers; anything else (letters, `#`) makes the input not a number. */
const PUNCTUATION = /[\s().\-\u00a0/]/g;

/**
 * Parses a number the way Twilio accepts it: E.164 (`+…`), international digits without the `+`
 * (`15005550006`, `447911123456`), or a national number of `defaultCountry` (`(415) 555-0100` for
 * the US, `07911 123456` with `GB`). Returns null unless it is a valid number of a real plan (or a
 * fictional test number, see the module comment).
 */
export function parseNumber(raw: string, defaultCountry: string = 'US'): PhoneInfo | null {
  const key = defaultCountry + '\0' + raw;
  const known = parsedCache.get(key);
  if (known !== undefined) return known;
  const parsed = parseUncached(raw, defaultCountry);
  if (parsedCache.size >= PARSED_CACHE_LIMIT) parsedCache.clear();
  parsedCache.set(key, parsed);
  return parsed;
}

function parseUncached(raw: string, defaultCountry: string): PhoneInfo | null {
  const compact = raw.trim().replace(PUNCTUATION, '');
  if (!/^\+?\d{2,17}$/.test(compact)) return null;
  if (compact.startsWith('+')) {
    const p = parsePhoneNumberFromString(compact);
    return p ? fromLib(p) : null;
  }
  // National form first (a 10-digit US number must not read as +41…), then international without `+`.
  const national = parsePhoneNumberFromString(compact, defaultCountry.toUpperCase() as CountryCode);
  const asNational = national ? fromLib(national) : null;
  if (asNational) return asNational;
  const international = parsePhoneNumberFromString('+' + compact);
  return international ? fromLib(international) : null;
}

/** Normalises a number to E.164 (keeping a `whatsapp:` style prefix); null when it is not a valid number. */
export function toE164(raw: string, defaultCountry?: string): string | null {
  const value = raw.trim();
  const channel = CHANNEL.exec(value);
  if (channel) {
    const rest = toE164(value.slice(channel[0].length), defaultCountry);
    return rest ? channel[0].toLowerCase() + rest : null;
  }
  return parseNumber(value, defaultCountry)?.e164 ?? null;
}

/** True when `raw` is a valid phone number (the 21211 / 21421 / Lookup `valid` test). */
export function isValidNumber(raw: string, defaultCountry?: string): boolean {
  return parseNumber(raw, defaultCountry) !== null;
}

/** Lookup v2's `validation_errors` values (docs/lookup/v2-api). */
export type ValidationError = 'TOO_SHORT' | 'TOO_LONG' | 'INVALID_BUT_POSSIBLE' | 'INVALID_COUNTRY_CODE' | 'INVALID_LENGTH' | 'NOT_A_NUMBER';

/**
 * Why `raw` is not a valid number, in Lookup v2's terms; empty for a valid one. Letters or other
 * symbols are NOT_A_NUMBER; libphonenumber's length verdicts map one to one.
 */
export function validationErrors(raw: string, defaultCountry: string = 'US'): ValidationError[] {
  if (parseNumber(raw, defaultCountry)) return [];
  const compact = raw.trim().replace(PUNCTUATION, '');
  if (!/^\+?\d+$/.test(compact)) return ['NOT_A_NUMBER'];
  const country = compact.startsWith('+') ? undefined : (defaultCountry.toUpperCase() as CountryCode);
  const verdict = validatePhoneNumberLength(compact, country);
  switch (verdict) {
    case 'TOO_SHORT':
    case 'TOO_LONG':
    case 'INVALID_LENGTH':
      return [verdict];
    case 'INVALID_COUNTRY':
      return ['INVALID_COUNTRY_CODE'];
    case 'NOT_A_NUMBER':
      return ['NOT_A_NUMBER'];
    default:
      // The length fits the plan but the digits are not an assigned range.
      return ['INVALID_BUT_POSSIBLE'];
  }
}

/** The calling code and country a number's digits point at, even when it is not valid (Lookup's invalid answers). */
export function callingCodeOf(raw: string): { callingCode: string | null; country: string | null } {
  const compact = raw.trim().replace(PUNCTUATION, '');
  const p = /^\+\d+$/.test(compact) ? parsePhoneNumberFromString(compact) : undefined;
  return { callingCode: p?.countryCallingCode ?? null, country: p?.country ?? null };
}

/** True for a short code (5–6 digits) or an alphanumeric sender id, which are valid `From` values. */
export function isShortCodeOrAlpha(value: string): boolean {
  return /^\d{5,6}$/.test(value) || (/^[A-Za-z0-9 ]{1,11}$/.test(value) && /[A-Za-z]/.test(value));
}

/** Masks the last four digits as 2023-era Twilio messages do: `+9170000XXXX`. */
export function maskNumber(value: string): string {
  return value.length > 4 ? value.slice(0, -4) + 'XXXX' : value;
}

/** The national area code of a NANP number (`+14155550100` → `415`), else null. */
export function areaCodeOf(e164: string): string | null {
  const m = /^\+1(\d{3})\d{7}$/.exec(e164);
  return m ? m[1] : null;
}

/** The ISO country of a number (`US`, `CA`, `GB`, `FR`…), `''` when it is not a valid number. */
export function countryOfNumber(e164: string): string {
  return parseNumber(e164)?.country ?? '';
}

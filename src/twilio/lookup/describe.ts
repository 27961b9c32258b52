/**
 * What Lookup v2 (`GET /v2/PhoneNumbers/{PhoneNumber}`, docs/lookup/v2-api; spec `LookupResponse`)
 * says about a number, as pure functions of the number. The Lookup resource renders these; the
 * same validity test as Messages' 21211 and Verify's `To` decides `valid` (src/twilio/phone.ts).
 *
 * - Basic lookup (always present): `phone_number`, `national_format`, `country_code`,
 *   `calling_country_code`, `valid`, `validation_errors`.
 * - An invalid number is a 200 with `valid: false`, the input echoed in `phone_number`, and
 *   `calling_country_code` / `country_code` / `national_format` null when they cannot be told.
 *
 * LIMITATIONS (docs/phone-numbers.md): the line type comes from the numbering plan (libphonenumber),
 * and where the plan does not tell (NANP numbers are "fixed line or mobile") it is a stable pick per
 * number; carrier, MCC/MNC and caller names are made up, deterministically per number.
 */
import { callingCodeOf, parseNumber, validationErrors, type PhoneNumberType, type ValidationError } from '../phone';
import { stableHash, stablePick } from '../stable-hash';
import { carrierFor } from './carriers';

/** The basic lookup of a number. */
export interface NumberDescription {
  valid: boolean;
  /** E.164 of a valid number; null when invalid. */
  e164: string | null;
  /** Lookup's `phone_number`: the E.164 number, or the input echoed when invalid. */
  phoneNumber: string;
  nationalFormat: string | null;
  /** ISO 3166 alpha-2 (`US`). */
  countryCode: string | null;
  /** Calling code without `+` (`1`). */
  callingCountryCode: string | null;
  /** `[]` for a valid number (real responses; the spec example shows null). */
  validationErrors: ValidationError[];
}

/**
 * The basic lookup of `raw`. `countryCode` (Lookup's `CountryCode` query parameter) reads a national
 * number (`(415) 555-0100` with `US`, `020 7123 4567` with `GB`).
 */
export function describeNumber(raw: string, countryCode?: string): NumberDescription {
  // Without CountryCode a national number is read as a US one (Twilio asks for CountryCode; UNCONFIRMED what it does without).
  const info = parseNumber(raw, countryCode ?? 'US');
  if (info) {
    return {
      valid: true,
      e164: info.e164,
      phoneNumber: info.e164,
      nationalFormat: info.nationalFormat,
      countryCode: info.country,
      callingCountryCode: info.callingCode,
      validationErrors: [],
    };
  }
  const guess = callingCodeOf(raw);
  const errors = validationErrors(raw, countryCode ?? 'US');
  return {
    valid: false,
    e164: null,
    phoneNumber: raw,
    nationalFormat: null,
    countryCode: guess.country,
    callingCountryCode: guess.callingCode,
    validationErrors: errors.length ? errors : ['INVALID_BUT_POSSIBLE'],
  };
}

/** Lookup's `line_type_intelligence.type` values (docs/lookup/v2-api/line-type-intelligence). */
export type LineType =
  | 'landline'
  | 'mobile'
  | 'fixedVoip'
  | 'nonFixedVoip'
  | 'personal'
  | 'tollFree'
  | 'premium'
  | 'sharedCost'
  | 'uan'
  | 'voicemail'
  | 'pager'
  | 'unknown';

/** The `line_type_intelligence` package. MCC/MNC are strings; the MNC keeps its leading zeros. */
export interface LineTypeIntelligence {
  mobileCountryCode: string | null;
  mobileNetworkCode: string | null;
  carrierName: string | null;
  type: LineType;
  errorCode: number | null;
}

const PLAN_TYPES: Record<PhoneNumberType, LineType | null> = {
  mobile: 'mobile',
  fixed_line: 'landline',
  fixed_line_or_mobile: null,
  toll_free: 'tollFree',
  premium_rate: 'premium',
  shared_cost: 'sharedCost',
  voip: 'nonFixedVoip',
  personal_number: 'personal',
  pager: 'pager',
  uan: 'uan',
  voicemail: 'voicemail',
  unknown: 'unknown',
};

/** The line type of a valid number; NANP "fixed line or mobile" numbers are mobile 7 times in 10. */
export function lineTypeOf(e164: string): LineType {
  const info = parseNumber(e164);
  if (!info) return 'unknown';
  return PLAN_TYPES[info.type] ?? (stableHash(`line|${e164}`) % 10 < 7 ? 'mobile' : 'landline');
}

/**
 * The `line_type_intelligence` package of a number, deterministic per number; null for an invalid
 * number (Lookup's packages of invalid numbers are null, UNCONFIRMED).
 */
export function lineTypeIntelligence(e164: string): LineTypeIntelligence | null {
  const info = parseNumber(e164);
  if (!info) return null;
  const type = lineTypeOf(e164);
  const carrier = carrierFor(info.country, type, e164);
  return {
    mobileCountryCode: carrier?.mcc ?? null,
    mobileNetworkCode: carrier?.mnc ?? null,
    carrierName: carrier?.name ?? null,
    type,
    errorCode: null,
  };
}

/** The `caller_name` package. */
export interface CallerName {
  callerName: string | null;
  callerType: 'BUSINESS' | 'CONSUMER' | null;
  errorCode: number | null;
}

/**
 * Lookup answers caller names for US numbers only; elsewhere the package carries an error code
 * (60600 "unprovisioned or out of coverage" — the exact code is UNCONFIRMED).
 */
export const CALLER_NAME_OUT_OF_COVERAGE = 60600;

const FIRST_NAMES = ['James', 'Maria', 'Robert', 'Linda', 'Michael', 'Patricia', 'David', 'Jennifer', 'Carlos', 'Aisha', 'Wei', 'Priya', 'Sergio', 'Emma', 'Noah', 'Olivia'];
const LAST_NAMES = ['Smith', 'Johnson', 'Garcia', 'Brown', 'Nguyen', 'Martinez', 'Lee', 'Patel', 'Suarez', 'Kim', 'Walker', 'Lopez', 'Young', 'Allen', 'Wright', 'Hill'];
const BUSINESSES = ['Acme Plumbing', 'Bayside Dental', 'Summit Insurance', 'Harbor Freight Co', 'Blue Oak Realty', 'Main Street Pharmacy', 'Pioneer Auto Repair', 'Golden Gate Bakery'];

/** The `caller_name` package of a number, deterministic per number; null for an invalid number. */
export function callerName(e164: string): CallerName | null {
  const info = parseNumber(e164);
  if (!info) return null;
  if (info.country !== 'US') return { callerName: null, callerType: null, errorCode: CALLER_NAME_OUT_OF_COVERAGE };
  // Business lines are a minority of US subscribers: 1 number in 4.
  if (stableHash(`cnam-type|${e164}`) % 4 === 0) return { callerName: stablePick(BUSINESSES, `cnam|${e164}`), callerType: 'BUSINESS', errorCode: null };
  const name = `${stablePick(FIRST_NAMES, `first|${e164}`)} ${stablePick(LAST_NAMES, `last|${e164}`)}`;
  return { callerName: name, callerType: 'CONSUMER', errorCode: null };
}

/** The basic lookup in Lookup v2's JSON field names (snake_case), for the resource's renderer. */
export function renderDescription(d: NumberDescription): Record<string, unknown> {
  return {
    calling_country_code: d.callingCountryCode,
    country_code: d.countryCode,
    phone_number: d.phoneNumber,
    national_format: d.nationalFormat,
    valid: d.valid,
    validation_errors: d.validationErrors,
  };
}

/** `line_type_intelligence` in Lookup v2's field names (null stays null). */
export function renderLineTypeIntelligence(l: LineTypeIntelligence | null): Record<string, unknown> | null {
  if (!l) return null;
  return { mobile_country_code: l.mobileCountryCode, mobile_network_code: l.mobileNetworkCode, carrier_name: l.carrierName, type: l.type, error_code: l.errorCode };
}

/** `caller_name` in Lookup v2's field names (null stays null). */
export function renderCallerName(c: CallerName | null): Record<string, unknown> | null {
  if (!c) return null;
  return { caller_name: c.callerName, caller_type: c.callerType, error_code: c.errorCode };
}

/**
 * Lookup answered from the number (twilio-voice-and-more.md §10), through the generic engine's
 * overrides of `lookups_v2.FetchPhoneNumber` and `lookups_v1.FetchPhoneNumber`.
 *
 * Lookup v2 `GET /v2/PhoneNumbers/{PhoneNumber}`:
 * - the basic lookup is always there (./describe.ts); an invalid number is a 200 with
 *   `valid: false` and its `validation_errors`;
 * - every package key is present, null unless `Fields` asks for it (comma-separated, unknown
 *   names ignored); a requested package of an invalid number is null (UNCONFIRMED);
 * - `line_type_intelligence` and `caller_name` come from ./describe.ts, deterministic per number;
 *   `line_status` and `sms_pumping_risk` are made up, deterministically per number;
 * - the packages Twilio enables per account on request (`sim_swap`, `call_forwarding`,
 *   `identity_match`, `reassigned_number`, `phone_number_quality_score`, `pre_fill`) answer
 *   their fields null with `error_code` 60606 ("package not enabled for the account").
 *
 * Lookup v1 `GET /v1/PhoneNumbers/{PhoneNumber}`: 404/20404 for an invalid number; `Type=carrier`
 * and `Type=caller-name` add the `carrier` and `caller_name` objects.
 *
 * LIMITATIONS: no Lookup test-credential magic numbers; LTI's 60601 for Canadian numbers (account
 * approval) is not answered; `AddOns` are ignored (`add_ons` is null).
 */
import { notFound } from '../errors';
import type { GenericHandler, GenericRequest } from '../generic/engine-api';
import { renderAs } from '../generic/engine-api';
import { stableHash } from '../stable-hash';
import { callerName, describeNumber, lineTypeIntelligence, lineTypeOf, renderCallerName, renderDescription, renderLineTypeIntelligence } from './describe';

/** A package's fields, all null, with Lookup's "not enabled for the account" code. */
const NOT_ENABLED = 60606;

const PACKAGE_FIELDS: Record<string, readonly string[]> = {
  sim_swap: ['last_sim_swap', 'carrier_name', 'mobile_country_code', 'mobile_network_code'],
  call_forwarding: ['call_forwarding_enabled'],
  identity_match: ['first_name_match', 'last_name_match', 'address_lines_match', 'city_match', 'state_match', 'postal_code_match', 'address_country_match', 'national_id_match', 'date_of_birth_match', 'summary_score', 'error_message'],
  reassigned_number: ['last_verified_date', 'is_number_reassigned'],
  phone_number_quality_score: ['carrier', 'quality_score'],
  pre_fill: ['first_name', 'last_name', 'address'],
};

function notEnabled(name: string): Record<string, unknown> {
  return { ...Object.fromEntries((PACKAGE_FIELDS[name] ?? []).map((f) => [f, null])), error_code: NOT_ENABLED };
}

/** The packages of a valid number, by `Fields` name. */
const PACKAGES: Record<string, (e164: string) => unknown> = {
  line_type_intelligence: (n) => renderLineTypeIntelligence(lineTypeIntelligence(n)),
  caller_name: (n) => renderCallerName(callerName(n)),
  // A number in use answers `active`; one in 20 is `inactive` (made up, stable per number).
  line_status: (n) => ({ status: stableHash(`status|${n}`) % 20 === 0 ? 'inactive' : 'active', error_code: null }),
  sms_pumping_risk: (n) => {
    const score = stableHash(`pumping|${n}`) % 100;
    const voip = lineTypeOf(n) === 'nonFixedVoip';
    return {
      carrier_risk_category: score < 60 ? 'low' : score < 90 ? 'moderate' : 'high',
      number_blocked: false,
      number_blocked_date: null,
      number_blocked_last_3_months: null,
      sms_pumping_risk_score: voip ? Math.max(score, 60) : score,
      error_code: null,
    };
  },
};

/** The package names `Fields` asks for, as Lookup spells them. */
function requestedFields(request: GenericRequest): Set<string> {
  const raw = request.query.Fields;
  const text = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
  return new Set(text.split(',').map((f) => f.trim().toLowerCase()).filter(Boolean));
}

function countryOf(request: GenericRequest): string | undefined {
  const raw = request.query.CountryCode;
  const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  return value ? value.toUpperCase() : undefined;
}

const ALL_PACKAGES = ['caller_name', 'sim_swap', 'call_forwarding', 'line_type_intelligence', 'line_status', 'identity_match', 'reassigned_number', 'sms_pumping_risk', 'phone_number_quality_score', 'pre_fill'];

/** A number in a Lookup `url`: percent-encoded, but its `+` as written (`/v2/PhoneNumbers/+1415…`). */
function pathNumber(raw: string): string {
  return encodeURIComponent(raw).replace(/%2B/gi, '+');
}

/** Lookup v2. */
const lookupV2: GenericHandler = (op, request, scope) => {
  const raw = request.pathParams.PhoneNumber ?? '';
  const number = describeNumber(raw, countryOf(request));
  const fields = requestedFields(request);
  const data: Record<string, unknown> = { ...renderDescription(number) };
  for (const name of ALL_PACKAGES) {
    if (!fields.has(name) || !number.e164) data[name] = null;
    else data[name] = PACKAGES[name] ? PACKAGES[name](number.e164) : notEnabled(name);
  }
  return { status: op.spec.c, body: renderAs(op, request, scope, { key: raw, data, path: `/v2/PhoneNumbers/${pathNumber(raw)}` }) };
};

/** Lookup v1's carrier object: type `mobile`, `landline` or `voip`. */
function carrierV1(e164: string): Record<string, unknown> | null {
  const lti = lineTypeIntelligence(e164);
  if (!lti) return null;
  const type = lti.type === 'mobile' ? 'mobile' : lti.type === 'fixedVoip' || lti.type === 'nonFixedVoip' ? 'voip' : 'landline';
  return { mobile_country_code: lti.mobileCountryCode, mobile_network_code: lti.mobileNetworkCode, name: lti.carrierName, type, error_code: null };
}

/** Lookup v1: an invalid number is 404/20404 (§10, "Contrast"). */
const lookupV1: GenericHandler = (op, request, scope) => {
  const raw = request.pathParams.PhoneNumber ?? '';
  const number = describeNumber(raw, countryOf(request));
  if (!number.e164) throw notFound(request.path ?? `/v1/PhoneNumbers/${encodeURIComponent(raw)}`);
  const types = new Set((Array.isArray(request.query.Type) ? request.query.Type : [request.query.Type ?? '']).map((t) => t.toLowerCase()));
  const data = {
    caller_name: types.has('caller-name') ? renderCallerName(callerName(number.e164)) : null,
    country_code: number.countryCode,
    phone_number: number.e164,
    national_format: number.nationalFormat,
    carrier: types.has('carrier') ? carrierV1(number.e164) : null,
    add_ons: null,
  };
  return { status: op.spec.c, body: renderAs(op, request, scope, { key: number.e164, data, path: `/v1/PhoneNumbers/${pathNumber(number.e164)}` }) };
};

/** The Lookup operations, by id. */
export const LOOKUP_OVERRIDES: Readonly<Record<string, GenericHandler>> = {
  'lookups_v2.FetchPhoneNumber': lookupV2,
  'lookups_v1.FetchPhoneNumber': lookupV1,
};

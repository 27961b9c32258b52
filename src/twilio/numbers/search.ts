/**
 * AvailablePhoneNumbers search filters (twilio-api.md §2.4): reading them from a query and testing
 * a catalogue entry against them. Pure; the routes apply the result to a session's inventory.
 */
import { twilioError } from '../errors';
import { one, type Params } from '../form';
import { toE164 } from '../phone';
import { areaOf, milesBetween } from './geo';
import type { AvailableNumber } from './inventory';

/** A parsed search. Unset fields do not filter. */
export interface SearchFilters {
  areaCode?: string;
  contains?: RegExp;
  sms?: boolean;
  mms?: boolean;
  voice?: boolean;
  fax?: boolean;
  excluded: Set<string>;
  beta?: boolean;
  /** Center and radius of NearNumber/NearLatLong; `center: null` when the reference has no known place. */
  near?: { center: { lat: number; lng: number } | null; miles: number };
  inPostalCode?: string;
  inRegion?: string;
  inRateCenter?: string;
  inLata?: string;
  inLocality?: string;
}

/** Phone keypad letters, for `Contains=STORM` (docs: "a-z and A-Z" match their keypad digit). */
const KEYPAD: Record<string, string> = {};
for (const [digit, letters] of Object.entries({ 2: 'ABC', 3: 'DEF', 4: 'GHI', 5: 'JKL', 6: 'MNO', 7: 'PQRS', 8: 'TUV', 9: 'WXYZ' })) {
  for (const l of letters) KEYPAD[l] = digit;
}

/**
 * `Contains`: digits, letters (keypad) and `*` (any one digit), at least two characters. A leading
 * `+` anchors the pattern at the start of the E.164 number; otherwise it matches anywhere.
 */
export function containsPattern(value: string): RegExp {
  const m = /^(\+?)([0-9A-Za-z*]{2,})$/.exec(value.trim());
  if (!m) throw twilioError(21400, { param: 'Contains', value });
  const body = [...m[2].toUpperCase()].map((c) => (c === '*' ? '\\d' : (KEYPAD[c] ?? c))).join('');
  return m[1] ? new RegExp('^\\+' + body) : new RegExp(body);
}

function boolOf(query: Params, key: string): boolean | undefined {
  const v = one(query, key)?.toLowerCase();
  return v === 'true' ? true : v === 'false' ? false : undefined;
}

function text(query: Params, key: string): string | undefined {
  const v = one(query, key)?.trim();
  return v ? v : undefined;
}

/** Distance in miles for Near* searches: default 25, at most 500 (docs). */
function distanceOf(query: Params): number {
  const raw = one(query, 'Distance');
  if (raw === undefined) return 25;
  if (!/^\d+$/.test(raw)) throw twilioError(21400, { param: 'Distance', value: raw });
  return Math.min(500, Number(raw));
}

function nearOf(query: Params): SearchFilters['near'] {
  const nearNumber = text(query, 'NearNumber');
  const nearLatLong = text(query, 'NearLatLong');
  if (nearLatLong) {
    const m = /^(-?\d+(?:\.\d+)?),\s*(-?\d+(?:\.\d+)?)$/.exec(nearLatLong);
    if (!m) throw twilioError(21400, { param: 'NearLatLong', value: nearLatLong });
    return { center: { lat: Number(m[1]), lng: Number(m[2]) }, miles: distanceOf(query) };
  }
  if (nearNumber) {
    const e164 = toE164(nearNumber);
    if (!e164) throw twilioError(21400, { param: 'NearNumber', value: nearNumber });
    const area = areaOf(e164);
    const center = area && area.lat !== null && area.lng !== null ? { lat: area.lat, lng: area.lng } : null;
    return { center, miles: distanceOf(query) };
  }
  return undefined;
}

/** Reads the search filters of a query; malformed values are Twilio's 400s (21451, 21400). */
export function readSearch(query: Params, country: string): SearchFilters {
  const areaCode = text(query, 'AreaCode');
  // AreaCode "applies to only phone numbers in the US and Canada" (docs); elsewhere it is ignored.
  const nanp = country === 'US' || country === 'CA';
  if (areaCode !== undefined && nanp && !/^[2-9]\d{2}$/.test(areaCode)) throw twilioError(21451, { areaCode });
  const contains = text(query, 'Contains');
  const excluded = new Set<string>();
  if (boolOf(query, 'ExcludeAllAddressRequired')) excluded.add('any');
  if (boolOf(query, 'ExcludeLocalAddressRequired')) excluded.add('local');
  if (boolOf(query, 'ExcludeForeignAddressRequired')) excluded.add('foreign');
  return {
    areaCode: nanp ? areaCode : undefined,
    contains: contains ? containsPattern(contains) : undefined,
    sms: boolOf(query, 'SmsEnabled'),
    mms: boolOf(query, 'MmsEnabled'),
    voice: boolOf(query, 'VoiceEnabled'),
    fax: boolOf(query, 'FaxEnabled'),
    excluded,
    beta: boolOf(query, 'Beta'),
    near: nearOf(query),
    inPostalCode: text(query, 'InPostalCode'),
    inRegion: text(query, 'InRegion'),
    inRateCenter: text(query, 'InRateCenter'),
    inLata: text(query, 'InLata'),
    inLocality: text(query, 'InLocality'),
  };
}

const same = (a: string | null, b: string) => a !== null && a.toLowerCase() === b.toLowerCase();

/** True when `n` satisfies every filter of `f`. */
export function matchesSearch(n: AvailableNumber, f: SearchFilters): boolean {
  if (f.areaCode !== undefined && n.areaCode !== f.areaCode) return false;
  if (f.contains && !f.contains.test(f.contains.source.startsWith('^') ? n.phoneNumber : n.phoneNumber.slice(1))) return false;
  if (f.sms !== undefined && n.capabilities.sms !== f.sms) return false;
  if (f.mms !== undefined && n.capabilities.mms !== f.mms) return false;
  if (f.voice !== undefined && n.capabilities.voice !== f.voice) return false;
  if (f.fax !== undefined && n.capabilities.fax !== f.fax) return false;
  if (f.excluded.has(n.addressRequirements)) return false;
  // Beta=false leaves out beta numbers; Beta=true (the default) includes them.
  if (f.beta === false && n.beta) return false;
  if (f.inPostalCode !== undefined && !same(n.postalCode, f.inPostalCode)) return false;
  if (f.inRegion !== undefined && !same(n.region, f.inRegion)) return false;
  if (f.inRateCenter !== undefined && !same(n.rateCenter, f.inRateCenter)) return false;
  if (f.inLata !== undefined && !same(n.lata, f.inLata)) return false;
  if (f.inLocality !== undefined && !same(n.locality, f.inLocality)) return false;
  if (f.near) {
    if (!f.near.center || n.latitude === null || n.longitude === null) return false;
    if (milesBetween(f.near.center.lat, f.near.center.lng, n.latitude, n.longitude) > f.near.miles) return false;
  }
  return true;
}

/**
 * AvailablePhoneNumbers search filters (spec: the Local/TollFree/Mobile list operations of
 * twilio_api_v2010.json; twilio-api.md §2.4): reading them from a query and testing an inventory
 * entry (or a place) against them. Pure; inventory-search.ts applies them to the inventory.
 *
 * Filters: AreaCode (US/CA only, ignored elsewhere as the docs say), Contains (digits, `*` for one
 * digit, letters for their keypad digit, a leading `+` anchors), SmsEnabled / MmsEnabled /
 * VoiceEnabled / FaxEnabled, ExcludeAllAddressRequired / ExcludeLocalAddressRequired /
 * ExcludeForeignAddressRequired, Beta, NearNumber / NearLatLong with Distance (miles, default 25,
 * at most 500), InPostalCode, InRegion, InRateCenter, InLata, InLocality.
 */
import { twilioError } from '../errors';
import { one, type Params } from '../form';
import { toE164 } from '../phone';
import { milesBetween, placeOf, type Place } from './geo';
import type { AvailableNumber } from './inventory';

/** A `Contains` pattern: its digits (`*` = any digit), whether it is anchored at the start, and as a regex. */
export interface ContainsPattern {
  anchored: boolean;
  tokens: string[];
  regex: RegExp;
}

/** A parsed search. Unset fields do not filter. */
export interface SearchFilters {
  areaCode?: string;
  contains?: ContainsPattern;
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
 * `Contains`: digits, letters (keypad) and `*` (any one digit), at least two characters (the spec:
 * "If specified, this value must have at least two characters"). A leading `+` anchors the pattern
 * at the start of the E.164 number; otherwise it matches anywhere in its digits.
 */
export function containsPattern(value: string): ContainsPattern {
  const m = /^(\+?)([0-9A-Za-z*]{2,})$/.exec(value.trim());
  if (!m) throw twilioError(21400, { param: 'Contains', value });
  const tokens = [...m[2].toUpperCase()].map((c) => KEYPAD[c] ?? c);
  const body = tokens.map((t) => (t === '*' ? '\\d' : t)).join('');
  return { anchored: m[1] === '+', tokens, regex: new RegExp(m[1] ? '^' + body : body) };
}

/** `true`/`false` in any case; any other value does not filter (what Twilio answers for one is UNCONFIRMED). */
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
    if (!m || Math.abs(Number(m[1])) > 90 || Math.abs(Number(m[2])) > 180) throw twilioError(21400, { param: 'NearLatLong', value: nearLatLong });
    return { center: { lat: Number(m[1]), lng: Number(m[2]) }, miles: distanceOf(query) };
  }
  if (nearNumber) {
    const e164 = toE164(nearNumber);
    if (!e164) throw twilioError(21400, { param: 'NearNumber', value: nearNumber });
    const place = placeOf(e164);
    const center = place && place.lat !== null && place.lng !== null ? { lat: place.lat, lng: place.lng } : null;
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

const same = (a: string | null, b: string) => a !== null && a.replace(/\s/g, '').toLowerCase() === b.replace(/\s/g, '').toLowerCase();

/** True when a place satisfies the place filters (InRegion, InLocality, InPostalCode, InRateCenter, InLata, Near*). */
export function matchesPlace(p: Pick<Place, 'locality' | 'region' | 'postalCode' | 'lata' | 'lat' | 'lng'>, f: SearchFilters): boolean {
  if (f.inPostalCode !== undefined && !same(p.postalCode, f.inPostalCode)) return false;
  if (f.inRegion !== undefined && !same(p.region, f.inRegion)) return false;
  if (f.inRateCenter !== undefined && !same(p.locality?.toUpperCase() ?? null, f.inRateCenter)) return false;
  if (f.inLata !== undefined && !same(p.lata, f.inLata)) return false;
  if (f.inLocality !== undefined && !same(p.locality, f.inLocality)) return false;
  if (f.near) {
    if (!f.near.center || p.lat === null || p.lng === null) return false;
    if (milesBetween(f.near.center.lat, f.near.center.lng, p.lat, p.lng) > f.near.miles) return false;
  }
  return true;
}

/** True when `n` satisfies every filter of `f`. */
export function matchesSearch(n: AvailableNumber, f: SearchFilters): boolean {
  if (f.areaCode !== undefined && n.areaCode !== f.areaCode) return false;
  if (f.contains && !f.contains.regex.test(n.phoneNumber.slice(1))) return false;
  if (f.sms !== undefined && n.capabilities.sms !== f.sms) return false;
  if (f.mms !== undefined && n.capabilities.mms !== f.mms) return false;
  if (f.voice !== undefined && n.capabilities.voice !== f.voice) return false;
  if (f.fax !== undefined && n.capabilities.fax !== f.fax) return false;
  if (f.excluded.has(n.addressRequirements)) return false;
  // Beta=false leaves out beta numbers; Beta=true (the default) includes them.
  if (f.beta === false && n.beta) return false;
  const place = { locality: n.locality ?? '', region: n.region, postalCode: n.postalCode, lata: n.lata, lat: n.latitude, lng: n.longitude };
  if (n.locality === null && (f.inLocality !== undefined || f.inRateCenter !== undefined)) return false;
  return matchesPlace(place, f);
}

/**
 * The numbers Twilio would offer for sale, generated deterministically (no randomness: a hash of
 * country, type, prefix and index), so a search returns the same numbers on every run and in every
 * session. A session's inventory is this catalogue minus the numbers it owns, so a bought number
 * leaves the search results and a released one comes back (Twilio's aging period is not emulated).
 */
import { AREAS, countryOf, type Area } from './geo';
import type { AddressRequirement, Capabilities, NumberType } from './types';

/** One number for sale (schema `api.v2010.account.available_phone_number_country.available_phone_number_local`). */
export interface AvailableNumber {
  phoneNumber: string;
  friendlyName: string;
  type: NumberType;
  isoCountry: 'US' | 'CA' | 'GB';
  /** NANP area code, null elsewhere. */
  areaCode: string | null;
  locality: string | null;
  region: string | null;
  postalCode: string | null;
  rateCenter: string | null;
  lata: string | null;
  latitude: number | null;
  longitude: number | null;
  addressRequirements: AddressRequirement;
  beta: boolean;
  capabilities: Capabilities;
}

/** A country mirra sells numbers in, with the number types on offer (its `subresource_uris`). */
export interface CountryInfo {
  code: 'US' | 'CA' | 'GB';
  name: string;
  types: readonly NumberType[];
}

/** Countries in the order `AvailablePhoneNumbers.json` lists them. The US and CA have no Mobile numbers on Twilio. */
export const COUNTRIES: readonly CountryInfo[] = [
  { code: 'US', name: 'United States', types: ['local', 'tollfree'] },
  { code: 'CA', name: 'Canada', types: ['local', 'tollfree'] },
  { code: 'GB', name: 'United Kingdom', types: ['local', 'mobile', 'tollfree'] },
];

/** The country with this ISO code (case-insensitive), if mirra sells numbers there. */
export function findCountry(code: string): CountryInfo | undefined {
  return COUNTRIES.find((c) => c.code === code.toUpperCase());
}

const PER_PREFIX = 40;
/** Toll-free prefixes per country, disjoint so a toll-free number belongs to one country only. */
const TOLL_FREE: Record<string, string[]> = { US: ['800', '855', '866', '877', '888'], CA: ['833', '844'], GB: ['800', '808'] };

/** FNV-1a, 32 bits: a stable hash so the catalogue never changes between runs. */
function fnv(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** `n` decimal digits derived from `seed`. */
function digits(seed: string, n: number): string {
  let out = '';
  for (let i = 0; out.length < n; i++) out += String(fnv(`${seed}#${i}`) % 1_000_000).padStart(6, '0');
  return out.slice(0, n);
}

/** `(415) 555-0100` for NANP numbers; other countries' friendly name is the E.164 number (spec example). */
export function friendlyNameOf(e164: string): string {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : e164;
}

/** Subscriber parts for a prefix: `count` distinct numbers after `+<cc><prefix>`. */
function subscriberNumbers(seed: string, count: number, make: (d: string) => string | null): string[] {
  const out = new Set<string>();
  for (let i = 0; out.size < count && i < count * 20; i++) {
    const n = make(digits(`${seed}|${i}`, 10));
    if (n) out.add(n);
  }
  return [...out];
}

/** A NANP exchange (`NXX`): 200–999, never 555 or an N11 service code. */
function nanpLine(d: string): string | null {
  const exchange = 200 + (Number(d.slice(0, 3)) % 800);
  if (exchange === 555 || exchange % 100 === 11) return null;
  return `${exchange}${d.slice(3, 7)}`;
}

function base(phoneNumber: string, type: NumberType, country: CountryInfo['code']): AvailableNumber {
  return {
    phoneNumber,
    friendlyName: friendlyNameOf(phoneNumber),
    type,
    isoCountry: country,
    areaCode: country === 'GB' ? null : phoneNumber.slice(2, 5),
    locality: null,
    region: null,
    postalCode: null,
    rateCenter: null,
    lata: null,
    latitude: null,
    longitude: null,
    addressRequirements: 'none',
    beta: false,
    capabilities: { voice: true, sms: true, mms: true, fax: false },
  };
}

function localNumbers(area: Area): AvailableNumber[] {
  const seed = `${area.country}|local|${area.prefix}`;
  const nanp = area.country !== 'GB';
  // GB geographic numbers have 10 national digits; London's 020 lines start with 3, 7 or 8.
  const lines = subscriberNumbers(seed, PER_PREFIX, (d) => {
    if (nanp) return nanpLine(d);
    const rest = d.slice(0, 10 - area.prefix.length);
    if (area.prefix === '20') return '378'.includes(rest[0]) ? rest : null;
    return rest[0] >= '2' ? rest : null;
  });
  return lines.map((line) => {
    const n = base(`${nanp ? '+1' : '+44'}${area.prefix}${line}`, 'local', area.country);
    const h = fnv(n.phoneNumber);
    return {
      ...n,
      locality: area.locality,
      region: area.region,
      postalCode: area.postalCode,
      rateCenter: nanp ? area.locality.toUpperCase() : null,
      lata: area.lata,
      latitude: area.lat,
      longitude: area.lng,
      // UK landlines take no texts and need an address on file; NANP long codes do everything.
      addressRequirements: nanp ? 'none' : 'any',
      capabilities: nanp ? { voice: true, sms: true, mms: true, fax: h % 4 === 0 } : { voice: true, sms: false, mms: false, fax: false },
    };
  });
}

function tollFreeNumbers(country: CountryInfo['code']): AvailableNumber[] {
  return TOLL_FREE[country].flatMap((prefix) => {
    const lines = subscriberNumbers(`${country}|tollfree|${prefix}`, PER_PREFIX, (d) => (country === 'GB' ? d.slice(0, 7) : nanpLine(d)));
    return lines.map((line) => {
      const n = base(`${country === 'GB' ? '+44' : '+1'}${prefix}${line}`, 'tollfree', country);
      if (country === 'GB') return { ...n, areaCode: null, capabilities: { voice: true, sms: false, mms: false, fax: false } };
      return country === 'CA' ? { ...n, capabilities: { voice: true, sms: true, mms: false, fax: false } } : n;
    });
  });
}

function mobileNumbers(country: CountryInfo['code']): AvailableNumber[] {
  // UK mobiles: 07[45789]xx xxxxxx; texts but no MMS, and an address on file.
  const lines = subscriberNumbers(`${country}|mobile`, PER_PREFIX * 3, (d) => ('45789'.includes(d[0]) ? `7${d.slice(0, 9)}` : null));
  return lines.map((line) => ({
    ...base(`+44${line}`, 'mobile', country),
    areaCode: null,
    addressRequirements: 'any' as const,
    capabilities: { voice: true, sms: true, mms: false, fax: false },
  }));
}

/**
 * The whole catalogue of `type` numbers in `country`, in a stable shuffled order (sorted by hash,
 * so unfiltered searches mix localities the way Twilio's do). Empty when that type is not sold there.
 */
export function catalogue(country: CountryInfo['code'], type: NumberType): AvailableNumber[] {
  const info = findCountry(country);
  if (!info || !info.types.includes(type)) return [];
  const all =
    type === 'local'
      ? AREAS.filter((a) => a.country === country).flatMap(localNumbers)
      : type === 'tollfree'
        ? tollFreeNumbers(country)
        : mobileNumbers(country);
  const keyed = all.map((n) => ({ key: fnv(n.phoneNumber), n }));
  keyed.sort((a, b) => a.key - b.key || a.n.phoneNumber.localeCompare(b.n.phoneNumber));
  return keyed.map((k) => k.n);
}

/** The catalogue entry of a number, whatever its country and type, if mirra ever sells it. */
export function findForSale(e164: string): AvailableNumber | undefined {
  const country = findCountry(countryOf(e164));
  if (country) {
    for (const type of country.types) {
      const hit = catalogue(country.code, type).find((n) => n.phoneNumber === e164);
      if (hit) return hit;
    }
  }
  return undefined;
}

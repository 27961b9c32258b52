/**
 * The numbers Twilio would offer for sale. The inventory is every valid number of a *block* —
 * a US/CA area code (all of them), a NANP toll-free prefix (800 833 844 855 866 877 888), a GB
 * geographic prefix, GB mobiles, GB toll-free — except the ranges reserved for fiction (NXX-555-01xx,
 * +44 7700 900xxx). Everything about a number (locality, capabilities, …) is a pure function of the
 * number, so a search shows it the same way on every run, a bought number keeps what the search
 * showed, and *any* number a search lists — or a docs example names — is buyable. A session's
 * inventory is this minus the numbers it owns; the same in every session (no session seed).
 * Searching (inventory-search.ts) walks the blocks in a stable shuffled order.
 */
import { parseNumber, type PhoneNumberType } from '../phone';
import { stableHash } from '../stable-hash';
import { AREAS, placeOf, TOLL_FREE_CODES, type Area } from './geo';
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

/** All numbers of one country and type that start with `prefix` (digits after `+`) and have `length` digits. */
export interface Block {
  key: string;
  country: CountryInfo['code'];
  type: NumberType;
  prefix: string;
  length: number;
  /** The geographic area of a local block. */
  area?: Area;
  /** A NANP toll-free prefix's area code (`800`), for AreaCode on TollFree searches. */
  tollFreeCode?: string;
  /** Cheap numbering-plan test of a full digit string (libphonenumber decides the rest). */
  accepts: (digits: string) => boolean;
}

/** NANP: exchange 2–9, not an N11 service code, not the fictional 555-0100…0199 lines. */
function isNanpLine(d: string): boolean {
  return d[4] >= '2' && d.slice(5, 7) !== '11' && !(d.slice(4, 7) === '555' && d.slice(7, 9) === '01');
}

/** Toll-free numbers are shared by the US and CA plans: one in five is Canada's, by a hash of the number. */
function tollFreeCountry(digits: string): 'US' | 'CA' {
  return stableHash(`tf|${digits}`) % 5 === 0 ? 'CA' : 'US';
}

function localBlock(area: Area): Block {
  const nanp = area.country !== 'GB';
  const prefix = (nanp ? '1' : '44') + area.prefix;
  return {
    key: `${area.country}|local|${prefix}`,
    country: area.country,
    type: 'local',
    prefix,
    length: nanp ? 11 : 12,
    area,
    // GB geographic numbers have 10 national digits; London's 020 lines start with 3, 7 or 8.
    accepts: nanp ? isNanpLine : (d) => (area.prefix === '20' ? '378'.includes(d[4]) : d[prefix.length] >= '2'),
  };
}

function tollFreeBlock(country: 'US' | 'CA', code: string): Block {
  return { key: `${country}|tollfree|1${code}`, country, type: 'tollfree', prefix: `1${code}`, length: 11, tollFreeCode: code, accepts: (d) => isNanpLine(d) && tollFreeCountry(d) === country };
}

/** Every block of a country and type, built once (immutable). */
const BLOCKS: Readonly<Record<string, readonly Block[]>> = {
  'US|local': AREAS.filter((a) => a.country === 'US').map(localBlock),
  'CA|local': AREAS.filter((a) => a.country === 'CA').map(localBlock),
  'GB|local': AREAS.filter((a) => a.country === 'GB').map(localBlock),
  'US|tollfree': [...TOLL_FREE_CODES].map((c) => tollFreeBlock('US', c)),
  'CA|tollfree': [...TOLL_FREE_CODES].map((c) => tollFreeBlock('CA', c)),
  // UK mobiles: 07[45789]xx xxxxxx.
  'GB|mobile': [{ key: 'GB|mobile|447', country: 'GB', type: 'mobile', prefix: '447', length: 12, accepts: (d) => '45789'.includes(d[3]) }],
  'GB|tollfree': ['800', '808'].map((p): Block => ({ key: `GB|tollfree|44${p}`, country: 'GB', type: 'tollfree', prefix: `44${p}`, length: 12, accepts: () => true })),
};

/** The blocks of `type` numbers in `country` (empty when that type is not sold there). */
export function blocksOf(country: string, type: NumberType): readonly Block[] {
  return BLOCKS[`${country}|${type}`] ?? [];
}

/** The plan type a block's numbers must have (libphonenumber's verdict). */
const PLAN_TYPE: Record<string, PhoneNumberType[]> = {
  'US|local': ['fixed_line_or_mobile', 'fixed_line', 'mobile'],
  'CA|local': ['fixed_line_or_mobile', 'fixed_line', 'mobile'],
  'GB|local': ['fixed_line'],
  'US|tollfree': ['toll_free'],
  'CA|tollfree': ['toll_free'],
  'GB|mobile': ['mobile'],
  'GB|tollfree': ['toll_free'],
};

/** Ofcom's drama range: valid-looking to mirra (phone.ts) but never sold. */
const FICTION = /^447700900/;

/** `(415) 555-0100` for NANP numbers; other countries' friendly name is the E.164 number (spec example). */
export function friendlyNameOf(e164: string): string {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : e164;
}

/** The number `digits` (E.164 without `+`) as this block sells it, or undefined when it is not for sale. */
export function numberFor(block: Block, digits: string): AvailableNumber | undefined {
  if (digits.length !== block.length || !digits.startsWith(block.prefix) || !block.accepts(digits) || FICTION.test(digits)) return undefined;
  const e164 = '+' + digits;
  const info = parseNumber(e164);
  if (!info || !PLAN_TYPE[`${block.country}|${block.type}`].includes(info.type)) return undefined;
  const h = stableHash(`caps|${e164}`);
  const nanp = block.country !== 'GB';
  const base: AvailableNumber = {
    phoneNumber: e164,
    friendlyName: friendlyNameOf(e164),
    type: block.type,
    isoCountry: block.country,
    areaCode: nanp ? digits.slice(1, 4) : null,
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
  if (block.type === 'local') {
    const place = placeOf(e164);
    return {
      ...base,
      locality: place?.locality ?? null,
      region: place?.region ?? null,
      postalCode: place?.postalCode ?? null,
      rateCenter: nanp && place ? place.locality.toUpperCase() : null,
      lata: place?.lata ?? null,
      latitude: place?.lat ?? null,
      longitude: place?.lng ?? null,
      // UK landlines take no texts and need an address on file; NANP long codes do everything.
      addressRequirements: nanp ? 'none' : 'any',
      capabilities: nanp ? { voice: true, sms: true, mms: true, fax: h % 4 === 0 } : { voice: true, sms: false, mms: false, fax: false },
    };
  }
  // UK mobiles: texts but no MMS, and an address on file.
  if (block.type === 'mobile') return { ...base, addressRequirements: 'any', capabilities: { voice: true, sms: true, mms: false, fax: false } };
  if (block.country === 'GB') return { ...base, capabilities: { voice: true, sms: false, mms: false, fax: false } };
  return block.country === 'CA' ? { ...base, capabilities: { voice: true, sms: true, mms: false, fax: false } } : base;
}

/** The inventory entry of a number, whatever its country and type, if mirra ever sells it. */
export function findForSale(e164: string): AvailableNumber | undefined {
  if (!/^\+\d{8,15}$/.test(e164)) return undefined;
  const digits = e164.slice(1);
  for (const country of COUNTRIES) {
    for (const type of country.types) {
      for (const block of blocksOf(country.code, type)) {
        if (!digits.startsWith(block.prefix)) continue;
        const n = numberFor(block, digits);
        if (n) return n;
      }
    }
  }
  return undefined;
}

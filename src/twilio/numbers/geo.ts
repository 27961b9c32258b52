/**
 * Where numbers are: every US and Canadian area code with its state/province and places
 * (nanp-areas.generated.ts, from libphonenumber-js metadata and a public area-code data set), a
 * few well-known places with the postal code and LATA Twilio shows for them (KNOWN_PLACES), and a
 * fixed list of GB geographic prefixes. It feeds the available-number inventory (locality, region,
 * postal code, lat/long) and the inbound webhook's `FromCity`/`ToState`/... fields.
 *
 * A number's place is a stable pick among its area's places (by a hash of the number), so the same
 * number always shows the same locality — in a search, once bought, and on inbound webhooks.
 * The values are plausible, not a rate-centre database (docs/phone-numbers.md).
 */
import { countryOfNumber } from '../phone';
import { stableHash } from '../stable-hash';
import { NANP_AREAS } from './nanp-areas.generated';

/** A place numbers are issued for. */
export interface Place {
  locality: string;
  /** State/province abbreviation (null for GB, as Twilio leaves it). */
  region: string | null;
  /** Only the well-known places have one (KNOWN_PLACES); null elsewhere. */
  postalCode: string | null;
  /** Degrees; rendered as 6-decimal strings (twilio-real-traffic.md §5). */
  lat: number | null;
  lng: number | null;
  lata: string | null;
}

/** An area code (NANP) or geographic prefix (GB) and its places. */
export interface Area {
  country: 'US' | 'CA' | 'GB';
  /** National prefix after the country code (`415`, `20`, `161`). */
  prefix: string;
  /** State/province of a NANP area (null for GB). */
  region: string | null;
  places: readonly Place[];
}

type Known = [npa: string, locality: string, postal: string, lat: number, lng: number, lata: string | null];

/**
 * Well-known places, listed first in their area with a postal code and LATA (LATAs from the
 * telephone LATA map; they apply to the whole area code here). Kept small on purpose.
 */
const KNOWN_PLACES: Known[] = [
  ['415', 'San Francisco', '94102', 37.7749, -122.4194, '722'],
  ['628', 'San Francisco', '94103', 37.7725, -122.4091, '722'],
  ['510', 'Oakland', '94612', 37.8044, -122.2712, '722'],
  ['408', 'San Jose', '95113', 37.3382, -121.8863, '722'],
  ['650', 'Palo Alto', '94301', 37.4419, -122.143, '722'],
  ['213', 'Los Angeles', '90012', 34.0522, -118.2437, '730'],
  ['310', 'Santa Monica', '90401', 34.0195, -118.4912, '730'],
  ['619', 'San Diego', '92101', 32.7157, -117.1611, '732'],
  ['206', 'Seattle', '98101', 47.6062, -122.3321, '674'],
  ['503', 'Portland', '97204', 45.5152, -122.6784, '672'],
  ['702', 'Las Vegas', '89101', 36.1699, -115.1398, '721'],
  ['602', 'Phoenix', '85004', 33.4484, -112.074, '666'],
  ['303', 'Denver', '80202', 39.7392, -104.9903, '656'],
  ['512', 'Austin', '78701', 30.2672, -97.7431, '558'],
  ['214', 'Dallas', '75201', 32.7767, -96.797, '552'],
  ['713', 'Houston', '77002', 29.7604, -95.3698, '560'],
  ['312', 'Chicago', '60602', 41.8781, -87.6298, '358'],
  ['612', 'Minneapolis', '55401', 44.9778, -93.265, '628'],
  ['313', 'Detroit', '48226', 42.3314, -83.0458, '340'],
  ['404', 'Atlanta', '30303', 33.749, -84.388, '438'],
  ['305', 'Miami', '33130', 25.7617, -80.1918, '460'],
  ['407', 'Orlando', '32801', 28.5383, -81.3792, '458'],
  ['617', 'Boston', '02108', 42.3601, -71.0589, '128'],
  ['212', 'New York', '10007', 40.7128, -74.006, '132'],
  ['646', 'New York', '10001', 40.7506, -73.9972, '132'],
  ['718', 'Brooklyn', '11201', 40.6782, -73.9442, '132'],
  ['215', 'Philadelphia', '19107', 39.9526, -75.1652, '228'],
  ['202', 'Washington', '20001', 38.9072, -77.0369, '236'],
  ['501', 'Little Rock', '72201', 34.7465, -92.2896, '528'],
  ['808', 'Hilo', '96720', 19.72, -155.09, '834'],
  ['907', 'Anchorage', '99501', 61.2181, -149.9003, '832'],
  ['416', 'Toronto', 'M5H 2N2', 43.6532, -79.3832, null],
  ['647', 'Toronto', 'M5V 3L9', 43.6426, -79.3871, null],
  ['613', 'Ottawa', 'K1P 1J1', 45.4215, -75.6972, null],
  ['604', 'Vancouver', 'V6B 1A1', 49.2827, -123.1207, null],
  ['514', 'Montreal', 'H2Y 1C6', 45.5017, -73.5673, null],
  ['403', 'Calgary', 'T2P 1J9', 51.0447, -114.0719, null],
  ['780', 'Edmonton', 'T5J 0N3', 53.5461, -113.4938, null],
];

/** GB geographic prefixes; Twilio gives GB numbers a locality but no region, postcode or coordinates. */
const GB: [prefix: string, locality: string][] = [
  ['20', 'London'],
  ['161', 'Manchester'],
  ['121', 'Birmingham'],
  ['113', 'Leeds'],
  ['117', 'Bristol'],
  ['131', 'Edinburgh'],
  ['141', 'Glasgow'],
];

const EARTH_RADIUS_MILES = 3958.8;

/** Great-circle distance in miles (NearNumber/NearLatLong with Distance). */
export function milesBetween(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(lat2 - lat1);
  const dLng = rad(lng2 - lng1);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_MILES * Math.asin(Math.sqrt(a));
}

function nanpArea([npa, country, region, places]: (typeof NANP_AREAS)[number]): Area {
  const known = KNOWN_PLACES.filter((k) => k[0] === npa);
  const lata = known[0]?.[5] ?? null;
  const first: Place[] = known.map(([, locality, postalCode, lat, lng]) => ({ locality, region, postalCode, lat, lng, lata }));
  // A data-set place within 3 miles of a well-known one is that place under another name ("New York City").
  const rest: Place[] = places
    .filter(([city, lat, lng]) => !known.some((k) => k[1] === city || milesBetween(k[3], k[4], lat, lng) < 3))
    .map(([locality, lat, lng]) => ({ locality, region, postalCode: null, lat, lng, lata }));
  return { country, prefix: npa, region, places: [...first, ...rest] };
}

/** Every geographic area mirra issues local numbers for: US and CA area codes in numeric order, then GB. */
export const AREAS: readonly Area[] = [
  ...NANP_AREAS.map(nanpArea),
  ...GB.map(([prefix, locality]): Area => ({ country: 'GB', prefix, region: null, places: [{ locality, region: null, postalCode: null, lat: null, lng: null, lata: null }] })),
];

const NANP_BY_NPA = new Map(AREAS.filter((a) => a.country !== 'GB').map((a) => [a.prefix, a]));

/** NANP toll-free area codes (no geography). */
export const TOLL_FREE_CODES: ReadonlySet<string> = new Set(['800', '833', '844', '855', '866', '877', '888']);

/** The ISO country of an E.164 number (libphonenumber; `''` when it is not a valid number). */
export function countryOf(e164: string): string {
  return countryOfNumber(e164);
}

/** The area a number belongs to (a NANP area code, or the longest GB prefix), if mirra knows it. */
export function areaOf(e164: string): Area | undefined {
  const nanp = /^\+1(\d{3})\d{7}$/.exec(e164);
  if (nanp) return NANP_BY_NPA.get(nanp[1]);
  if (!e164.startsWith('+44')) return undefined;
  const national = e164.slice(3);
  return AREAS.filter((a) => a.country === 'GB' && national.startsWith(a.prefix)).sort((a, b) => b.prefix.length - a.prefix.length)[0];
}

/**
 * The place of a number: a stable pick among its area's places (undefined outside known areas).
 * Half of an area's numbers are in its well-known place when it has one (the big city of the area
 * code, as most of Twilio's 415 numbers are San Francisco's), the rest spread over all its places.
 */
export function placeOf(e164: string): Place | undefined {
  const area = areaOf(e164);
  if (!area || area.places.length === 0) return undefined;
  const h = stableHash(`place|${e164}`);
  const known = area.places.filter((p) => p.postalCode !== null);
  if (known.length > 0 && h % 2 === 0) return known[(h >>> 1) % known.length];
  return area.places[(h >>> 1) % area.places.length];
}

/**
 * The `City`/`State`/`Zip`/`Country` fields Twilio adds to inbound webhooks for a number: upper-case
 * city and state as Twilio sends them, empty strings when unknown.
 */
export function webhookGeo(e164: string): { city: string; state: string; zip: string; country: string } {
  const place = placeOf(e164);
  return {
    city: place?.locality.toUpperCase() ?? '',
    state: place?.region ?? '',
    zip: place?.postalCode ?? '',
    country: countryOf(e164),
  };
}

/**
 * Where numbers are: a small, fixed table of rate centres for the countries mirra sells numbers in
 * (US, CA, GB). It feeds the available-number inventory (locality, region, postal code, lat/long)
 * and the inbound webhook's `FromCity`/`ToState`/... fields. The values are plausible, not a
 * numbering-plan database (README LIMITATIONS).
 */

/** A place numbers are issued for: a NANP area code, or a GB geographic prefix. */
export interface Area {
  /** ISO country. */
  country: 'US' | 'CA' | 'GB';
  /** National prefix after the country code (`415`, `20`, `161`). */
  prefix: string;
  locality: string;
  /** State/province abbreviation (null for GB, as Twilio leaves it). */
  region: string | null;
  postalCode: string | null;
  /** Degrees; rendered as 6-decimal strings (twilio-real-traffic.md §5). */
  lat: number | null;
  lng: number | null;
  lata: string | null;
}

type Row = [prefix: string, locality: string, region: string, postal: string, lat: number, lng: number, lata: string | null];

const US: Row[] = [
  ['415', 'San Francisco', 'CA', '94102', 37.7749, -122.4194, '722'],
  ['628', 'San Francisco', 'CA', '94103', 37.7725, -122.4091, '722'],
  ['510', 'Oakland', 'CA', '94612', 37.8044, -122.2712, '722'],
  ['408', 'San Jose', 'CA', '95113', 37.3382, -121.8863, '722'],
  ['650', 'Palo Alto', 'CA', '94301', 37.4419, -122.143, '722'],
  ['213', 'Los Angeles', 'CA', '90012', 34.0522, -118.2437, '730'],
  ['310', 'Santa Monica', 'CA', '90401', 34.0195, -118.4912, '730'],
  ['619', 'San Diego', 'CA', '92101', 32.7157, -117.1611, '732'],
  ['206', 'Seattle', 'WA', '98101', 47.6062, -122.3321, '674'],
  ['503', 'Portland', 'OR', '97204', 45.5152, -122.6784, '672'],
  ['702', 'Las Vegas', 'NV', '89101', 36.1699, -115.1398, '721'],
  ['602', 'Phoenix', 'AZ', '85004', 33.4484, -112.074, '666'],
  ['303', 'Denver', 'CO', '80202', 39.7392, -104.9903, '656'],
  ['512', 'Austin', 'TX', '78701', 30.2672, -97.7431, '558'],
  ['214', 'Dallas', 'TX', '75201', 32.7767, -96.797, '552'],
  ['713', 'Houston', 'TX', '77002', 29.7604, -95.3698, '560'],
  ['312', 'Chicago', 'IL', '60602', 41.8781, -87.6298, '358'],
  ['612', 'Minneapolis', 'MN', '55401', 44.9778, -93.265, '628'],
  ['313', 'Detroit', 'MI', '48226', 42.3314, -83.0458, '340'],
  ['404', 'Atlanta', 'GA', '30303', 33.749, -84.388, '438'],
  ['305', 'Miami', 'FL', '33130', 25.7617, -80.1918, '460'],
  ['407', 'Orlando', 'FL', '32801', 28.5383, -81.3792, '458'],
  ['617', 'Boston', 'MA', '02108', 42.3601, -71.0589, '128'],
  ['212', 'New York', 'NY', '10007', 40.7128, -74.006, '132'],
  ['646', 'New York', 'NY', '10001', 40.7506, -73.9972, '132'],
  ['718', 'Brooklyn', 'NY', '11201', 40.6782, -73.9442, '132'],
  ['215', 'Philadelphia', 'PA', '19107', 39.9526, -75.1652, '228'],
  ['202', 'Washington', 'DC', '20001', 38.9072, -77.0369, '236'],
  ['808', 'Hilo', 'HI', '96720', 19.72, -155.09, '834'],
  ['907', 'Anchorage', 'AK', '99501', 61.2181, -149.9003, '832'],
];

const CA: Row[] = [
  ['416', 'Toronto', 'ON', 'M5H 2N2', 43.6532, -79.3832, null],
  ['647', 'Toronto', 'ON', 'M5V 3L9', 43.6426, -79.3871, null],
  ['613', 'Ottawa', 'ON', 'K1P 1J1', 45.4215, -75.6972, null],
  ['604', 'Vancouver', 'BC', 'V6B 1A1', 49.2827, -123.1207, null],
  ['514', 'Montreal', 'QC', 'H2Y 1C6', 45.5017, -73.5673, null],
  ['403', 'Calgary', 'AB', 'T2P 1J9', 51.0447, -114.0719, null],
  ['780', 'Edmonton', 'AB', 'T5J 0N3', 53.5461, -113.4938, null],
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

/** Every geographic area mirra issues local numbers for, US first. */
export const AREAS: readonly Area[] = [
  ...US.map(([prefix, locality, region, postalCode, lat, lng, lata]): Area => ({ country: 'US', prefix, locality, region, postalCode, lat, lng, lata })),
  ...CA.map(([prefix, locality, region, postalCode, lat, lng, lata]): Area => ({ country: 'CA', prefix, locality, region, postalCode, lat, lng, lata })),
  ...GB.map(([prefix, locality]): Area => ({ country: 'GB', prefix, locality, region: null, postalCode: null, lat: null, lng: null, lata: null })),
];

/** Canadian NANP area codes, so a `+1` number's country can be told (FromCountry=CA). */
const CA_AREA_CODES = new Set([
  '204', '226', '236', '249', '250', '263', '289', '306', '343', '354', '365', '367', '368', '382', '387', '403',
  '416', '418', '428', '431', '437', '438', '450', '468', '474', '506', '514', '519', '548', '579', '581', '584',
  '587', '604', '613', '639', '647', '672', '683', '705', '709', '742', '753', '778', '780', '782', '807', '819',
  '825', '867', '873', '879', '902', '905',
]);

/** NANP toll-free area codes (no geography). */
export const TOLL_FREE_CODES: ReadonlySet<string> = new Set(['800', '833', '844', '855', '866', '877', '888']);

/** The ISO country of an E.164 number, as far as mirra can tell (`''` when unknown). */
export function countryOf(e164: string): string {
  const nanp = /^\+1(\d{3})\d{7}$/.exec(e164);
  if (nanp) return CA_AREA_CODES.has(nanp[1]) ? 'CA' : 'US';
  if (e164.startsWith('+44')) return 'GB';
  return '';
}

/** The area a number belongs to in the table (longest GB prefix wins), if any. */
export function areaOf(e164: string): Area | undefined {
  const nanp = /^\+1(\d{3})\d{7}$/.exec(e164);
  if (nanp) return AREAS.find((a) => a.country !== 'GB' && a.prefix === nanp[1]);
  if (!e164.startsWith('+44')) return undefined;
  const national = e164.slice(3);
  return AREAS.filter((a) => a.country === 'GB' && national.startsWith(a.prefix)).sort((a, b) => b.prefix.length - a.prefix.length)[0];
}

/**
 * The `City`/`State`/`Zip`/`Country` fields Twilio adds to inbound webhooks for a number: upper-case
 * city and state as Twilio sends them, empty strings when unknown.
 */
export function webhookGeo(e164: string): { city: string; state: string; zip: string; country: string } {
  const area = areaOf(e164);
  return {
    city: area?.locality.toUpperCase() ?? '',
    state: area?.region ?? '',
    zip: area?.postalCode ?? '',
    country: countryOf(e164),
  };
}

const EARTH_RADIUS_MILES = 3958.8;

/** Great-circle distance in miles (NearNumber/NearLatLong with Distance). */
export function milesBetween(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(lat2 - lat1);
  const dLng = rad(lng2 - lng1);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_MILES * Math.asin(Math.sqrt(a));
}

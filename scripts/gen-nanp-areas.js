#!/usr/bin/env node
/**
 * Derives the US and Canadian area-code table of the number inventory.
 *
 *   node scripts/gen-nanp-areas.js <dir with us-area-code-cities.csv and ca-area-code-cities.csv> [output file]
 *
 * Sources (facts only, reformatted):
 * - Which area codes exist, and in which country: libphonenumber-js `max` metadata (every NPA whose
 *   numbers it validates as US or CA geographic numbers; territories, toll-free, personal and
 *   premium NPAs excluded).
 * - State/province, cities and coordinates of each area code: github.com/ravisorg/
 *   Area-Code-Geolocation-Database @ efd08eb4 (`*-area-code-cities.csv`: npa, city, state,
 *   country, lat, lng).
 * - Area codes newer than that data set (overlays since 2014): the OVERLAYS table below, the NPA
 *   each one overlays per NANPA's published overlay plans, whose geography it shares.
 *
 * Writes src/twilio/numbers/nanp-areas.generated.ts by default (deterministic: sorted, fixed
 * formatting). The CSVs are not shipped with mirra; this script is their only reader.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { parsePhoneNumberFromString } = require('libphonenumber-js/max');

/** Cities kept per area code (the first ones of the source, in its order). */
const CITIES_PER_AREA = 4;

/** New area code → the one it overlays (NANPA overlay plans; the same state/province and places). */
const OVERLAYS = {
  223: 717, 227: 301, 235: 573, 257: 250, 263: 514, 274: 920, 279: 916, 283: 513, 324: 904, 326: 937,
  327: 870, 329: 845, 332: 212, 341: 510, 350: 209, 353: 608, 354: 450, 363: 516, 367: 418, 368: 403,
  369: 707, 380: 614, 382: 519, 428: 506, 430: 903, 445: 215, 447: 217, 448: 850, 463: 317, 464: 708,
  468: 819, 470: 404, 472: 910, 474: 306, 475: 203, 548: 519, 557: 314, 564: 360, 572: 405, 582: 814,
  584: 204, 640: 609, 645: 305, 656: 813, 659: 205, 672: 604, 680: 315, 683: 705, 686: 804, 689: 407,
  726: 210, 728: 561, 730: 618, 738: 213, 742: 905, 748: 970, 753: 613, 771: 202, 820: 805, 821: 864,
  826: 276, 835: 610, 838: 518, 839: 803, 840: 909, 872: 312, 879: 709, 934: 631, 938: 256, 942: 416,
  943: 478, 945: 214, 948: 757, 975: 816, 983: 303, 986: 208, 534: 715,
};

/** Area codes that are not overlays and that the data set lacks: [state, [city, lat, lng]]. */
const EXTRA = {
  906: ['MI', [['Marquette', 46.5436, -87.3954], ['Sault Ste. Marie', 46.4953, -84.3453], ['Escanaba', 45.7453, -87.0646]]],
};

const STATES = {
  Alabama: 'AL', Alaska: 'AK', Arizona: 'AZ', Arkansas: 'AR', California: 'CA', Colorado: 'CO', Connecticut: 'CT',
  Delaware: 'DE', 'District of Columbia': 'DC', Florida: 'FL', Georgia: 'GA', Hawaii: 'HI', Idaho: 'ID', Illinois: 'IL',
  Indiana: 'IN', Iowa: 'IA', Kansas: 'KS', Kentucky: 'KY', Louisiana: 'LA', Maine: 'ME', Maryland: 'MD',
  Massachusetts: 'MA', Michigan: 'MI', Minnesota: 'MN', Mississippi: 'MS', Missouri: 'MO', Montana: 'MT',
  Nebraska: 'NE', Nevada: 'NV', 'New Hampshire': 'NH', 'New Jersey': 'NJ', 'New Mexico': 'NM', 'New York': 'NY',
  'North Carolina': 'NC', 'North Dakota': 'ND', Ohio: 'OH', Oklahoma: 'OK', Oregon: 'OR', Pennsylvania: 'PA',
  'Rhode Island': 'RI', 'South Carolina': 'SC', 'South Dakota': 'SD', Tennessee: 'TN', Texas: 'TX', Utah: 'UT',
  Vermont: 'VT', Virginia: 'VA', Washington: 'WA', 'West Virginia': 'WV', Wisconsin: 'WI', Wyoming: 'WY',
  Alberta: 'AB', 'British Columbia': 'BC', Manitoba: 'MB', 'New Brunswick': 'NB', 'Newfoundland and Labrador': 'NL',
  Newfoundland: 'NL', 'Nova Scotia': 'NS', Ontario: 'ON', 'Prince Edward Island': 'PE', Quebec: 'QC', Québec: 'QC',
  Saskatchewan: 'SK', Yukon: 'YT', 'Yukon Territory': 'YT', 'Northwest Territories': 'NT', Nunavut: 'NU',
};

/** Splits one CSV line (quoted fields allowed, no embedded quotes in this data). */
function fields(line) {
  const out = [];
  const re = /"([^"]*)"|([^,]*)/g;
  let m;
  while ((m = re.exec(line)) !== null) {
    out.push(m[1] ?? m[2]);
    if (re.lastIndex >= line.length) break;
    re.lastIndex++; // skip the comma
  }
  return out;
}

function readCities(file) {
  const byNpa = new Map();
  for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
    if (!/^\d{3},/.test(line)) continue;
    const [npa, city, state, , lat, lng] = fields(line);
    const region = STATES[state];
    if (!region) throw new Error(`unknown state/province "${state}" in ${file}`);
    const list = byNpa.get(npa) ?? { region, cities: [] };
    if (!list.cities.some((c) => c[0] === city)) list.cities.push([city, Number(Number(lat).toFixed(4)), Number(Number(lng).toFixed(4))]);
    byNpa.set(npa, list);
  }
  return byNpa;
}

/** The country of an NPA's geographic numbers per libphonenumber, or null (not geographic US/CA). */
function countryOfNpa(npa) {
  for (const exchange of ['234', '456', '567', '789', '345', '678', '823', '952', '212', '300', '502', '747']) {
    const p = parsePhoneNumberFromString(`+1${npa}${exchange}1234`);
    if (!p || !p.isValid()) continue;
    const type = p.getType();
    if (type !== 'FIXED_LINE_OR_MOBILE' && type !== 'FIXED_LINE' && type !== 'MOBILE') return null;
    return p.country === 'US' || p.country === 'CA' ? p.country : null;
  }
  return null;
}

function main() {
  const [dir, outArg] = process.argv.slice(2);
  if (!dir) {
    console.error('usage: node scripts/gen-nanp-areas.js <dir with the area-code CSVs> [output file]');
    process.exit(2);
  }
  const out = outArg ?? path.join(__dirname, '..', 'src', 'twilio', 'numbers', 'nanp-areas.generated.ts');
  const data = new Map([...readCities(path.join(dir, 'us-area-code-cities.csv')), ...readCities(path.join(dir, 'ca-area-code-cities.csv'))]);
  const rows = [];
  const skipped = [];
  for (let npa = 200; npa <= 999; npa++) {
    const country = countryOfNpa(npa);
    if (!country) continue;
    const own = data.get(String(npa)) ?? data.get(String(OVERLAYS[npa] ?? ''));
    const extra = EXTRA[npa];
    const area = own ?? (extra ? { region: extra[0], cities: extra[1] } : null);
    if (!area) {
      skipped.push(npa);
      continue;
    }
    rows.push([String(npa), country, area.region, area.cities.slice(0, CITIES_PER_AREA)]);
  }
  const lines = rows.map((row) => `  ${JSON.stringify(row)},`);
  const text = `// generated by scripts/gen-nanp-areas.js — do not edit
/**
 * US and Canadian area codes (every geographic NPA libphonenumber-js knows), with their state or
 * province and up to ${CITIES_PER_AREA} places [city, latitude, longitude]. Sources: libphonenumber-js metadata;
 * ravisorg/Area-Code-Geolocation-Database @ efd08eb4; NANPA overlay plans (see the script).
 */

/** [area code, country, state/province, places]. */
export type NanpAreaRow = readonly [npa: string, country: 'US' | 'CA', region: string, places: readonly (readonly [city: string, lat: number, lng: number])[]];

/** Every area code, in numeric order. */
export const NANP_AREAS: readonly NanpAreaRow[] = [
${lines.join('\n')}
];
`;
  fs.writeFileSync(out, text);
  console.log(`wrote ${rows.length} area codes to ${path.relative(process.cwd(), out)}${skipped.length ? `; no data for ${skipped.join(', ')}` : ''}`);
}

main();

/**
 * AvailablePhoneNumbers API routes (2010, GET only): the countries, one country, and the searches
 * by type. The envelope is only `{available_phone_numbers, uri}` with 30 numbers unless PageSize
 * says otherwise, and `uri` echoes the query sorted (twilio-real-traffic.md §5).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sendJson } from '../reply';
import { notFound } from '../errors';
import type { Params } from '../form';
import { jsonSid, pathOf, queryOf } from '../http';
import { readPageRequest } from '../pagination';
import { COUNTRIES, findCountry, type CountryInfo } from './inventory';
import { searchInventory } from './inventory-search';
import { availablePath, renderAvailableNumber, renderCountry, TYPE_SEGMENTS } from './render';
import { readSearch } from './search';
import { ownedNumbers, type NumberType } from './types';

type AccountParams = { AccountSid: string };

/** Real searches return 30 numbers by default. */
const DEFAULT_SEARCH_SIZE = 30;

const SEGMENT_TYPES: Record<string, NumberType> = Object.fromEntries(
  Object.entries(TYPE_SEGMENTS).map(([type, { segment }]) => [`${segment}.json`, type as NumberType]),
);

/** The query re-serialised with keys sorted and values percent-encoded, as Twilio echoes it in `uri`. */
function sortedQuery(query: Params): string {
  const parts: string[] = [];
  for (const key of Object.keys(query).sort()) {
    const value = query[key];
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(v)}`);
    }
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

function loadCountry(request: FastifyRequest, code: string): CountryInfo {
  const country = findCountry(code);
  if (!country) throw notFound(pathOf(request));
  return country;
}

/** Registers the AvailablePhoneNumbers routes. */
export async function availableNumberRoutes(app: FastifyInstance): Promise<void> {
  const base = '/2010-04-01/Accounts/:AccountSid/AvailablePhoneNumbers';

  app.get<{ Params: AccountParams }>(`${base}.json`, async (request, reply) => {
    const accountSid = request.session.accountSid;
    return sendJson(reply, 200, {
      countries: COUNTRIES.map((c) => renderCountry(c, accountSid)),
      uri: `${availablePath(accountSid)}.json`,
    });
  });

  app.get<{ Params: AccountParams & { file: string } }>(`${base}/:file`, async (request, reply) => {
    const country = loadCountry(request, jsonSid(request, request.params.file));
    return sendJson(reply, 200, renderCountry(country, request.session.accountSid));
  });

  app.get<{ Params: AccountParams & { country: string; file: string } }>(`${base}/:country/:file`, async (request, reply) => {
    const country = loadCountry(request, request.params.country);
    const type = SEGMENT_TYPES[request.params.file];
    // A type the country does not sell (US Mobile, any National/Voip/...) has no resource.
    if (!type || !country.types.includes(type)) throw notFound(pathOf(request));
    const query = queryOf(request);
    const { pageSize } = readPageRequest(query, DEFAULT_SEARCH_SIZE);
    const filters = readSearch(query, country.code);
    const owned = ownedNumbers(request.session);
    const found = searchInventory(country.code, type, filters, owned, pageSize);
    return sendJson(reply, 200, {
      available_phone_numbers: found.map(renderAvailableNumber),
      uri: `${availablePath(request.session.accountSid)}/${country.code}/${request.params.file}${sortedQuery(query)}`,
    });
  });
}

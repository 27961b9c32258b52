/**
 * Assertions that a JSON body mirra renders has the shape Twilio's real responses have.
 * Resource schemas come from src/twilio/generated/schemas.ts (Twilio's OpenAPI specs corrected by
 * real traffic); envelope rules come from ../shared/twilio-api.md §3 and twilio-real-traffic.md.
 */
import Ajv, { type ErrorObject, type SchemaObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import {
  ABSENT_ON_THE_WIRE,
  RESOURCE_FIELDS,
  RESOURCE_SCHEMAS,
  type ResourceName,
} from '../../src/twilio/generated/schemas';

// One ajv per test file (jest isolates modules), compiled lazily; ajv caches compiled schemas by
// key, so each resource schema is compiled once. allowUnionTypes: nullable fields are
// ["string","null"], which strict mode would otherwise warn about.
let ajv: Ajv | undefined;
function validatorFor(key: string, schema: SchemaObject): ValidateFunction {
  ajv ??= addFormats(new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }));
  const cached = ajv.getSchema(key);
  if (cached) return cached;
  ajv.addSchema(schema, key);
  return ajv.getSchema(key)!;
}

function formatError(error: ErrorObject): string {
  const at = error.instancePath || '(root)';
  // Name the offending key or the allowed values: ajv's messages alone do not say which.
  const { additionalProperty, missingProperty, allowedValues } = error.params;
  const extra = additionalProperty ?? missingProperty ?? (allowedValues && JSON.stringify(allowedValues));
  return `  ${at} ${error.message}${extra === undefined ? '' : `: ${String(extra)}`}`;
}

function check(key: string, schema: SchemaObject, value: unknown, what: string): void {
  const validate = validatorFor(key, schema);
  if (validate(value)) return;
  const errors = (validate.errors ?? []).map(formatError).join('\n');
  throw new Error(`${what} does not match its schema:\n${errors}\nvalue: ${JSON.stringify(value)}`);
}

/**
 * Fails (throws, listing every ajv error) unless `value` matches the response schema of `name`:
 * right types, known enum values, and no property the schema lacks (a typo'd field fails).
 */
export function expectMatchesSchema(name: ResourceName, value: unknown): void {
  check(`resource:${name}`, RESOURCE_SCHEMAS[name] as SchemaObject, value, name);
}

/**
 * Fails unless every field of `name`'s schema is a key of `value` (null values count), except
 * fields real Twilio omits (ABSENT_ON_THE_WIRE, e.g. Verification `sna`).
 */
export function expectAllFields(name: ResourceName, value: unknown): void {
  if (value === null || typeof value !== 'object') throw new Error(`${name}: expected an object, got ${JSON.stringify(value)}`);
  const absent: readonly string[] = ABSENT_ON_THE_WIRE[name] ?? [];
  const fields: readonly string[] = RESOURCE_FIELDS[name];
  const missing = fields.filter((f) => !absent.includes(f) && !(f in value));
  if (missing.length) throw new Error(`${name} lacks field(s): ${missing.join(', ')}`);
}

const relative2010 = { type: 'string', pattern: '^/2010-04-01/' };
const nullableRelative2010 = { ...relative2010, type: ['string', 'null'] };
const count = (minimum: number) => ({ type: 'integer', minimum });

/**
 * Fails unless `body` is a 2010-API list page: exactly first_page_uri, next_page_uri,
 * previous_page_uri, page, page_size, start, end, uri and the array `key` (the legacy total,
 * num_pages and last_page_uri are gone), URIs relative, start = page × page_size and end the
 * inclusive index of the last item (= start on an empty page). Returns the items.
 * Not for AvailablePhoneNumbers: reality sends only `{available_phone_numbers, uri}` there.
 */
export function expectListEnvelope2010(body: unknown, key: string): unknown[] {
  check(`list2010:${key}`, {
    type: 'object',
    required: ['first_page_uri', 'next_page_uri', 'previous_page_uri', 'page', 'page_size', 'start', 'end', 'uri', key],
    additionalProperties: false,
    properties: {
      first_page_uri: relative2010,
      next_page_uri: nullableRelative2010,
      previous_page_uri: nullableRelative2010,
      uri: relative2010,
      page: count(0),
      page_size: count(1),
      start: count(0),
      end: count(0),
      [key]: { type: 'array' },
    },
  }, body, `2010 list envelope (${key})`);
  const page = body as Record<string, number> & Record<string, unknown[]>;
  const items = page[key]!;
  const start = page.page! * page.page_size!;
  const end = items.length ? start + items.length - 1 : start;
  if (page.start !== start || page.end !== end) {
    throw new Error(`2010 list envelope (${key}): start/end are ${page.start}/${page.end}, expected ${start}/${end}`);
  }
  return items;
}

const absoluteUrl = { type: 'string', pattern: '^https?://' };
const nullableAbsoluteUrl = { ...absoluteUrl, type: ['string', 'null'] };

/**
 * Fails unless `body` is a v1/v2 list page: exactly `meta` and the array `key`, where meta is
 * exactly {page, page_size, first_page_url, previous_page_url, url, next_page_url, key} with
 * absolute URLs (the SDK requests next_page_url verbatim) and `meta.key === key`. Returns the items.
 */
export function expectListEnvelopeV1(body: unknown, key: string): unknown[] {
  check(`listV1:${key}`, {
    type: 'object',
    required: ['meta', key],
    additionalProperties: false,
    properties: {
      [key]: { type: 'array' },
      meta: {
        type: 'object',
        required: ['page', 'page_size', 'first_page_url', 'previous_page_url', 'url', 'next_page_url', 'key'],
        additionalProperties: false,
        properties: {
          page: count(0),
          page_size: count(1),
          first_page_url: absoluteUrl,
          previous_page_url: nullableAbsoluteUrl,
          url: absoluteUrl,
          next_page_url: nullableAbsoluteUrl,
          key: { const: key },
        },
      },
    },
  }, body, `v1/v2 list envelope (${key})`);
  return (body as Record<string, unknown[]>)[key]!;
}

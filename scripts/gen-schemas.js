#!/usr/bin/env node
/**
 * Derives the response schemas mirra validates against from Twilio's official OpenAPI specs
 * (github.com/twilio/twilio-oai), corrected by what real traffic shows.
 *
 *   node scripts/gen-schemas.js <twilio-oai dir> [output directory]
 *
 * Writes src/twilio/generated/{schemas,response-schemas,fields}.ts by default. The specs are not shipped with mirra and are
 * never read at run or test time: this script is the only reader, and its output is committed.
 * Output is deterministic (sorted keys, fixed formatting) so a re-run is byte-identical.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { specCommit } = require('./spec-commit');

const SPEC_FILES = {
  api: 'twilio_api_v2010.json',
  verify: 'twilio_verify_v2.json',
  messaging: 'twilio_messaging_v1.json',
};

/** Short name → [spec, component schema]. */
const RESOURCES = {
  message: ['api', 'api.v2010.account.message'],
  media: ['api', 'api.v2010.account.message.media'],
  incomingPhoneNumber: ['api', 'api.v2010.account.incoming_phone_number'],
  availablePhoneNumberCountry: ['api', 'api.v2010.account.available_phone_number_country'],
  availablePhoneNumberLocal: ['api', 'api.v2010.account.available_phone_number_country.available_phone_number_local'],
  availablePhoneNumberTollFree: ['api', 'api.v2010.account.available_phone_number_country.available_phone_number_toll_free'],
  availablePhoneNumberMobile: ['api', 'api.v2010.account.available_phone_number_country.available_phone_number_mobile'],
  verifyService: ['verify', 'verify.v2.service'],
  verification: ['verify', 'verify.v2.service.verification'],
  verificationCheck: ['verify', 'verify.v2.service.verification_check'],
  messagingService: ['messaging', 'messaging.v1.service'],
  messagingServicePhoneNumber: ['messaging', 'messaging.v1.service.phone_number'],
  call: ['api', 'api.v2010.account.call'],
  recording: ['api', 'api.v2010.account.recording'],
  callRecording: ['api', 'api.v2010.account.call.call_recording'],
  conference: ['api', 'api.v2010.account.conference'],
  conferenceParticipant: ['api', 'api.v2010.account.conference.participant'],
  conferenceRecording: ['api', 'api.v2010.account.conference.conference_recording'],
};

/** Named enums exported as ENUMS: short name → [spec, component schema]. */
const ENUM_SOURCES = {
  messageStatus: ['api', 'message_enum_status'],
  messageDirection: ['api', 'message_enum_direction'],
  incomingPhoneNumberAddressRequirement: ['api', 'incoming_phone_number_enum_address_requirement'],
  incomingPhoneNumberEmergencyStatus: ['api', 'incoming_phone_number_enum_emergency_status'],
  incomingPhoneNumberEmergencyAddressStatus: ['api', 'incoming_phone_number_enum_emergency_address_status'],
  incomingPhoneNumberVoiceReceiveMode: ['api', 'incoming_phone_number_enum_voice_receive_mode'],
  verificationChannel: ['verify', 'verification_enum_channel'],
  // The spec's only Verification status enum is the UpdateVerification `Status` param
  // (canceled|approved); the response `status` is a free string. Hence the explicit name.
  verificationUpdateStatus: ['verify', 'verification_enum_status'],
  messagingServiceScanMessageContent: ['messaging', 'service_enum_scan_message_content'],
};

/**
 * Enums the spec states only in prose (a property description), not as a schema `enum`.
 * Each value is checked to still appear in that description, so a spec change fails loudly.
 */
const PROSE_ENUMS = {
  messagingServiceUsecase: {
    spec: 'messaging', schema: 'messaging.v1.service', property: 'usecase',
    values: ['notifications', 'marketing', 'verification', 'discussion', 'poll', 'undeclared'],
  },
};

/**
 * Formats ajv-formats can check without rejecting real responses. Twilio's own formats
 * (date-time-rfc-2822, phone-number, uri-map, http-method, currency, ...) are unknown to ajv and
 * dropped. `uri` is kept only on v1/v2 `url` self links (always absolute, and the SDK requests
 * them verbatim): 2010 `uri`s are relative and unset 2010 callback URLs are "" (real traffic §6).
 */
const keepFormat = (format, propName) =>
  format === 'date-time' || (format === 'uri' && propName === 'url');

// ---------------------------------------------------------------------------------------------
// REALITY OVERRIDES — the one place where recorded traffic beats the spec.
// Source: ../shared/twilio-real-traffic.md, section "Reality vs spec" (§n below) and "Facts".
//   properties:           replace a property's (already converted) schema; it must exist in the spec
//   additionalProperties: true where reality adds fields the spec lacks
//   absent:               properties the spec has but real responses omit (→ ABSENT_ON_THE_WIRE)
// ---------------------------------------------------------------------------------------------
const NULLABLE_STRING = { type: ['string', 'null'] };
const AVAILABLE_NUMBER = {
  // §5: latitude/longitude are strings ("38.070200"), not numbers.
  // §5: capabilities keys are "SMS"/"MMS" upper-case next to lower-case voice/fax; the spec
  //     example is all lower-case, so accept both and do not close the object.
  properties: {
    latitude: NULLABLE_STRING,
    longitude: NULLABLE_STRING,
    capabilities: {
      type: ['object', 'null'],
      properties: Object.fromEntries(
        ['fax', 'FAX', 'mms', 'MMS', 'sms', 'SMS', 'voice', 'VOICE'].map((k) => [k, { type: 'boolean' }]),
      ),
    },
  },
};
const REALITY_OVERRIDES = {
  availablePhoneNumberLocal: AVAILABLE_NUMBER,
  availablePhoneNumberTollFree: AVAILABLE_NUMBER,
  availablePhoneNumberMobile: AVAILABLE_NUMBER,
  // §2: no `sna` key in 2022 and 2024 Verification create/fetch responses.
  verification: { absent: ['sna'] },
  // §2: 2024/2025 checks have exactly 11 keys, without `sna_attempts_error_codes`.
  verificationCheck: { absent: ['sna_attempts_error_codes'] },
  // Facts, "Verify Service (2022)": has `mailer_sid`, which the spec lacks.
  verifyService: { additionalProperties: true },
  // Facts, "Messaging Service PhoneNumber": capabilities is an array like ["SMS","Voice"]. The spec
  // agrees today; pinned here so a spec change cannot silently turn it into an object.
  messagingServicePhoneNumber: {
    properties: { capabilities: { type: ['array', 'null'], items: { type: 'string' } } },
  },
  // twilio-voice-and-more.md §6: a recording's `price` is a negative decimal string in captures
  // (and in the spec's own example); the spec types the call-level one a number.
  callRecording: { properties: { price: NULLABLE_STRING } },
  // A live conference has no end reason: the spec's own examples of in-progress conferences show
  // `"reason_conference_ended": null`, which its (non-nullable) enum refuses.
  conference: {
    properties: {
      reason_conference_ended: {
        type: ['string', 'null'],
        enum: ['conference-ended-via-api', 'participant-with-end-conference-on-exit-left', 'participant-with-end-conference-on-exit-kicked', 'last-participant-kicked', 'last-participant-left', null],
      },
    },
  },
};

/**
 * Verification statuses seen on the wire ("Facts", Verify). The spec has no response enum
 * (see verificationUpdateStatus), so this list comes from real traffic alone.
 */
const REALITY_ENUMS = {
  verificationStatus: ['pending', 'approved', 'canceled', 'max_attempts_reached'],
};

// ---------------------------------------------------------------------------------------------

function fail(msg) {
  throw new Error(`gen-schemas: ${msg}`);
}

function loadSpecs(dir) {
  const specs = {};
  for (const [key, file] of Object.entries(SPEC_FILES)) {
    specs[key] = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  }
  return specs;
}

function componentSchema(spec, name) {
  return spec.components.schemas[name] || fail(`schema ${name} not found`);
}

/**
 * OpenAPI 3.0 schema → structure-only draft-07 schema: $ref inlined, `nullable` folded into
 * `type` (and `enum`), formats filtered; descriptions, examples, patterns and x-* dropped.
 * Patterns are dropped on purpose: real unset SIDs are "" (§6), which `^AP[0-9a-f]{32}$` rejects.
 */
function convert(spec, node, propName) {
  if (node.$ref) {
    const name = node.$ref.replace('#/components/schemas/', '');
    return convert(spec, componentSchema(spec, name), propName);
  }
  const out = {};
  // An untyped node (Verify's `lookup`, `push`, `sna`, ...) stays `{}`: the spec allows anything.
  if (node.type) out.type = node.nullable ? [node.type, 'null'] : node.type;
  // ajv checks `enum` independently of `type`, so a nullable enum must list null itself.
  if (node.enum) out.enum = node.nullable ? [...node.enum, null] : [...node.enum];
  if (node.format && keepFormat(node.format, propName)) out.format = node.format;
  if (node.items) out.items = convert(spec, node.items);
  if (node.properties) {
    out.properties = {};
    for (const [key, child] of Object.entries(node.properties)) {
      out.properties[key] = convert(spec, child, key);
    }
  }
  return out;
}

function applyOverrides(short, schema) {
  const row = REALITY_OVERRIDES[short] || {};
  for (const [key, replacement] of Object.entries(row.properties || {})) {
    if (!schema.properties[key]) fail(`override ${short}.${key}: no such property in the spec`);
    schema.properties[key] = replacement;
  }
  for (const key of row.absent || []) {
    if (!schema.properties[key]) fail(`absent ${short}.${key}: no such property in the spec`);
  }
  schema.additionalProperties = row.additionalProperties === true;
  return schema;
}

/** The array key of the List operation whose items are `schemaName` (from its List*Response). */
function listKey(spec, schemaName) {
  const ref = `#/components/schemas/${schemaName}`;
  for (const item of Object.values(spec.paths)) {
    const schema = item.get?.responses?.['200']?.content?.['application/json']?.schema;
    if (!schema || !/^List\w+Response$/.test(schema.title || '')) continue;
    for (const [key, prop] of Object.entries(schema.properties || {})) {
      if (prop.type === 'array' && prop.items?.$ref === ref) return key;
    }
  }
  return undefined; // e.g. Verification and VerificationCheck have no List operation
}

function proseEnum(specs, short, { spec, schema, property, values }) {
  const description = componentSchema(specs[spec], schema).properties[property]?.description || '';
  for (const v of values) {
    if (!description.includes(`\`${v}\``)) fail(`prose enum ${short}: \`${v}\` not in ${schema}.${property}`);
  }
  return values;
}

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
  }
  return value;
}

function build(dir) {
  const specs = loadSpecs(dir);
  const schemas = {};
  const fields = {};
  const listKeys = {};
  const absent = {};
  for (const [short, [spec, name]] of Object.entries(RESOURCES)) {
    schemas[short] = applyOverrides(short, convert(specs[spec], componentSchema(specs[spec], name)));
    fields[short] = Object.keys(schemas[short].properties).sort();
    const key = listKey(specs[spec], name);
    if (key) listKeys[short] = key;
    if (REALITY_OVERRIDES[short]?.absent) absent[short] = [...REALITY_OVERRIDES[short].absent].sort();
  }
  const enums = { ...REALITY_ENUMS };
  for (const [short, [spec, name]] of Object.entries(ENUM_SOURCES)) {
    enums[short] = componentSchema(specs[spec], name).enum || fail(`${name} has no enum`);
  }
  for (const [short, row] of Object.entries(PROSE_ENUMS)) enums[short] = proseEnum(specs, short, row);
  return { commit: specCommit(dir), schemas, fields, listKeys, absent, enums };
}

/** One-line rendering: `{ "type": ["string", "null"] }`. */
function flat(value) {
  if (Array.isArray(value)) return `[${value.map(flat).join(', ')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${flat(v)}`);
    return entries.length ? `{ ${entries.join(', ')} }` : '{}';
  }
  return JSON.stringify(value);
}

/**
 * Stable pretty-printer: keys sorted; a value that fits in 100 columns stays on one line, so a
 * property reads as one line instead of five.
 */
function json(value, indent = '') {
  const sorted = sortKeys(value);
  const oneLine = flat(sorted);
  if (indent.length + oneLine.length <= 100 || !sorted || typeof sorted !== 'object') return oneLine;
  const inner = `${indent}  `;
  const lines = Array.isArray(sorted)
    ? sorted.map((v) => inner + json(v, inner))
    : Object.entries(sorted).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${json(v, inner)}`);
  const [open, close] = Array.isArray(sorted) ? ['[', ']'] : ['{', '}'];
  return `${open}\n${lines.join(',\n')}\n${indent}${close}`;
}

/** The header every generated file starts with. */
function banner(commit) {
  return `// GENERATED by scripts/gen-schemas.js from twilio-oai (commit ${commit.slice(0, 8)}) — do not edit.
// Regenerate with \`npm run gen:schemas\`; reality overrides live in that script, not here.
`;
}

/**
 * The generated files, by name: `schemas.ts` (what importers use: the types, the spec commit, and
 * everything below re-exported), `response-schemas.ts` (one JSON Schema per resource) and
 * `fields.ts` (field lists, list keys, absent fields and enums).
 */
function render({ commit, schemas, fields, listKeys, absent, enums }) {
  const names = Object.keys(RESOURCES).sort().map((n) => `'${n}'`).join(' | ');
  return {
    'schemas.ts': `${banner(commit)}
/** The twilio-oai commit these schemas were derived from. */
export const SPEC_COMMIT = '${commit}';

/** Short names of the resources mirra renders. */
export type ResourceName = ${names};

/** Structure-only draft-07 JSON Schema, as emitted in ./response-schemas.ts (ajv-compatible). */
export interface JsonSchema {
  type?: string | readonly string[];
  properties?: { readonly [key: string]: JsonSchema };
  items?: JsonSchema;
  enum?: readonly (string | null)[];
  format?: string;
  additionalProperties?: boolean;
}

export { RESOURCE_SCHEMAS } from './response-schemas';
export { ABSENT_ON_THE_WIRE, ENUMS, LIST_KEYS, RESOURCE_FIELDS } from './fields';
`,
    'response-schemas.ts': `${banner(commit)}
import type { JsonSchema, ResourceName } from './schemas';

/**
 * Response schema per resource: spec structure with nullable types, enums inlined, no required
 * properties (the spec marks none) and \`additionalProperties: false\` unless reality adds fields.
 */
export const RESOURCE_SCHEMAS: { readonly [K in ResourceName]: JsonSchema } = ${json(schemas)};
`,
    'fields.ts': `${banner(commit)}
import type { ResourceName } from './schemas';

/** Sorted property names of each resource schema (what "every field is present" means). */
export const RESOURCE_FIELDS = ${json(fields)} as const satisfies { readonly [K in ResourceName]: readonly string[] };

/** Array key of each resource's list response, from the spec's List*Response schemas. */
export const LIST_KEYS = ${json(listKeys)} as const satisfies { readonly [K in ResourceName]?: string };

/** Fields the spec lists but real responses omit (twilio-real-traffic.md "Reality vs spec" §2). */
export const ABSENT_ON_THE_WIRE: { readonly [K in ResourceName]?: readonly string[] } = ${json(absent)};

/** Named enums, in spec order (verificationStatus comes from real traffic; see the script). */
export const ENUMS = ${json(enums)} as const;
`,
  };
}

function main(argv) {
  const [dir, outDir = path.join(__dirname, '..', 'src', 'twilio', 'generated')] = argv;
  if (!dir) fail('usage: node scripts/gen-schemas.js <twilio-oai dir> [output directory]');
  fs.mkdirSync(outDir, { recursive: true });
  for (const [name, text] of Object.entries(render(build(dir)))) fs.writeFileSync(path.join(outDir, name), text);
}

try {
  main(process.argv.slice(2));
} catch (err) {
  // A one-line message, not a stack trace: the usual causes are a wrong path or a spec change.
  console.error(err.message);
  process.exitCode = 1;
}

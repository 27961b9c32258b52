/**
 * For TESTS only (test/generated/, never shipped): the JSON Schema of every operation's success
 * answer, so the conformance test can validate what the generic engine renders with ajv.
 *
 * Conversion as in scripts/gen-schemas.js: OpenAPI 3.0 → draft-07, `nullable` folded into `type`
 * and `enum`, descriptions/examples/patterns dropped (unset SIDs are "" or null on the wire), and
 * only the formats ajv-formats can check without rejecting real answers (`date-time`, `date`,
 * and `uri` on absolute `*_url` keys). Stricter than the spec in one way: every top-level property
 * of a resource is required and no other is allowed, because the engine renders exactly those.
 */
'use strict';

const { deref, refName, operationsOf, successOf, requestBodyOf } = require('./spec');

const KEEP_FORMATS = new Set(['date-time', 'date']);
const isAbsoluteUrlKey = (name) => name === 'url' || /_url$/.test(name || '');

/** A schema node → draft-07, refs inlined (component types are referenced by the caller). */
function convert(spec, node, name) {
  const target = node.$ref ? deref(spec, node) : node;
  const nullable = Boolean(node.nullable || target.nullable);
  if (target.oneOf) return { anyOf: target.oneOf.map((n) => convert(spec, n, name)) };
  const out = {};
  // A node with properties (items) but no type is an object (array) to ajv's strict mode too.
  const type = target.type || (target.properties ? 'object' : target.items ? 'array' : undefined);
  if (type) out.type = nullable ? [type, 'null'] : type;
  if (target.enum) out.enum = nullable ? [...target.enum, null] : [...target.enum];
  if (target.format && (KEEP_FORMATS.has(target.format) || (target.format === 'uri' && isAbsoluteUrlKey(name)))) out.format = target.format;
  if (target.items) out.items = convert(spec, target.items);
  if (target.properties) {
    out.properties = {};
    for (const [key, child] of Object.entries(target.properties)) out.properties[key] = convert(spec, child, key);
  }
  return out;
}

/** A resource schema: every property present, nothing else. */
function resourceSchema(spec, node) {
  const target = deref(spec, node);
  if (target.oneOf) return { anyOf: target.oneOf.map((n) => resourceSchema(spec, n)) };
  const schema = convert(spec, target);
  if (!schema.properties) return schema;
  return { ...schema, required: Object.keys(schema.properties), additionalProperties: false };
}

/**
 * The schemas of one domain: `definitions` by type name (as in the runtime table) and, per
 * operation id `<spec>.<operationId>`, its success status and answer schema (null for a body-less
 * answer). `requests` holds the JSON request-body schema of operations that take JSON.
 */
function buildTestSchemas(domain, specs) {
  const types = new Set(domain.types.map((t) => t.n));
  const definitions = {};
  const ops = {};
  const requests = {};
  const specOf = new Map(specs.map((s) => [s.name, s.spec]));
  const ref = (name) => ({ $ref: `#/definitions/${name}` });
  for (const op of domain.ops) {
    const specName = domain.specs[op.s].name;
    const spec = specOf.get(specName);
    const [, , raw] = operationsOf(spec).find(([p, m]) => p === op.p && m.toUpperCase() === op.m);
    const typeName = op.t >= 0 ? domain.types[op.t].n : undefined;
    const { schema } = successOf(spec, raw);
    const id = `${specName}.${op.o}`;
    let answer = null;
    if (schema && typeName && types.has(typeName)) {
      const itemNode = op.k === 'list' ? deref(spec, schema).properties[op.lk].items : schema;
      definitions[typeName] ??= resourceSchema(spec, refName(itemNode) ? { $ref: itemNode.$ref } : itemNode);
      if (op.k === 'list') {
        const envelope = convert(spec, deref(spec, schema));
        envelope.properties[op.lk] = { type: 'array', items: ref(typeName) };
        envelope.required = Object.keys(envelope.properties);
        envelope.additionalProperties = false;
        answer = envelope;
      } else {
        answer = ref(typeName);
      }
    }
    ops[id] = { status: op.c, schema: answer };
    const body = requestBodyOf(spec, raw);
    if (body.json) requests[id] = convert(spec, body.json.oneOf ? deref(spec, body.json.oneOf[0]) : body.json);
    if (body.json && (body.json.required || (body.json.oneOf && deref(spec, body.json.oneOf[0]).required))) {
      requests[id].required = [...(deref(spec, body.json.oneOf ? body.json.oneOf[0] : body.json).required || [])];
    }
  }
  return { definitions, ops, requests };
}

module.exports = { buildTestSchemas };

/**
 * Resource types of the API table: one per response component schema (`conversations.v1.conversation`),
 * with its properties in compact tuples, its key property and SID prefix, and the links
 * (`links` / `subresource_uris`) its path items' `x-twilio.dependentProperties` describe.
 */
'use strict';

const { deref, fail, sidPrefix } = require('./spec');

/**
 * Value type codes shared by properties and parameters (the runtime reads the same letters):
 * s string, i integer, n number, b boolean, o object, a array, * untyped,
 * d ISO 8601 date-time, r RFC 2822 date-time, D date (YYYY-MM-DD).
 */
function typeCode(node) {
  switch (node.type) {
    case 'string':
      if (node.format === 'date-time') return 'd';
      if (node.format === 'date-time-rfc-2822') return 'r';
      if (node.format === 'date') return 'D';
      return 's';
    case 'integer':
      return 'i';
    case 'number':
      return 'n';
    case 'boolean':
      return 'b';
    case 'object':
      return 'o';
    case 'array':
      return 'a';
    default:
      return node.oneOf || node.properties ? 'o' : '*';
  }
}

/** Trailing tuple values equal to these are left out (the runtime reads them as defaults). */
const PROP_DEFAULTS = [undefined, undefined, 0, -1, ''];
const PARAM_DEFAULTS = [undefined, undefined, 0, -1, ''];

/** `tuple` without its trailing default values: `["sid","s",1,-1,""]` → `["sid","s",1]`. */
function trimTuple(tuple, defaults) {
  let end = tuple.length;
  while (end > 2 && end <= defaults.length && tuple[end - 1] === defaults[end - 1]) end--;
  return tuple.slice(0, end);
}

/** Interns enum value lists per domain file, so `["GET","POST"]` is written once. */
class EnumPool {
  constructor() {
    this.lists = [];
    this.index = new Map();
  }

  /** Index of `values` in the pool, or -1 when there is no enum. */
  add(values) {
    if (!values || !values.length) return -1;
    const key = JSON.stringify(values);
    if (!this.index.has(key)) {
      this.index.set(key, this.lists.length);
      this.lists.push(values);
    }
    return this.index.get(key);
  }
}

/** The properties of a schema: the first alternative of a `oneOf` (what the engine renders). */
function propertiesOf(spec, schema) {
  const s = deref(spec, schema);
  if (s.oneOf) return propertiesOf(spec, s.oneOf[0]);
  return s.properties || {};
}

/**
 * One property as a tuple `[name, type, nullable, enum, prefix, default?]`. A property that is a
 * `$ref` to an enum component takes the component's type and values; nullability may sit on
 * either side of the ref.
 */
function propTuple(spec, name, node, enums) {
  const target = deref(spec, node);
  const nullable = node.nullable || target.nullable ? 1 : 0;
  const tuple = [name, typeCode(target), nullable, enums.add(target.enum), sidPrefix(target.pattern) || ''];
  if (target.default !== undefined && typeof target.default !== 'object') tuple.push(target.default);
  return trimTuple(tuple, PROP_DEFAULTS);
}

/** Backticked words of a path parameter description that name an alternate key (`unique_name`). */
function alternateKey(description, propNames) {
  if (!/\bor\b|can also/i.test(description || '')) return undefined;
  for (const m of (description || '').matchAll(/`([a-z_]+)`/g)) {
    if (m[1] !== 'sid' && propNames.includes(m[1])) return m[1];
  }
  return undefined;
}

/**
 * `dependentProperties` → `[[name, template]]` where each placeholder is the property the mapping
 * names: `/v1/Conversations/{conversation_sid}/Participants` with mapping
 * `{conversation_sid: "sid"}` becomes `/v1/Conversations/{sid}/Participants`. A mapped property
 * the schema lacks (`account_sid` of an AvailablePhoneNumbers country) is filled at run time from
 * the record's path parameters.
 */
function linkTemplates(dependent, where) {
  const out = [];
  for (const [name, dep] of Object.entries(dependent || {})) {
    const mapping = dep.mapping || {};
    const template = dep.resource_url.replace(/\{([^}]+)\}/g, (_, p) => `{${mapping[p] || fail(`${where}: link ${name} has no mapping for {${p}}`)}}`);
    out.push([name, template]);
  }
  return out; // spec order, which is the order real responses list them in
}

module.exports = { trimTuple, PARAM_DEFAULTS, typeCode, EnumPool, propertiesOf, propTuple, alternateKey, linkTemplates };

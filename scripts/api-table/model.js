/**
 * Builds the API table of one Twilio domain (one host, e.g. chat.twilio.com with its v1/v2/v3
 * specs) from its OpenAPI specs: resource types and operations in the compact form the generic
 * engine reads (src/twilio/generic/table.ts documents every field).
 */
'use strict';

const { fail, refName, deref, snake, operationsOf, pathParams, shapeOf, successOf, requestBodyOf, paramsIn } = require('./spec');
const { trimTuple, PARAM_DEFAULTS, typeCode, EnumPool, propertiesOf, propTuple, alternateKey, linkTemplates } = require('./types');

/** Paging parameters: read by the engine's pager, not validated as filters. */
const PAGING = new Set(['PageSize', 'Page', 'PageToken']);
/** Operation kinds from the operationId verb (Twilio's generator names every operation so). */
const KINDS = { Create: 'create', Fetch: 'fetch', List: 'list', Update: 'update', Patch: 'update', Delete: 'delete' };

const endsWithParam = (template) => /\}(\.json)?$/.test(template);
const is2010 = (template) => template.startsWith('/2010-04-01/');

function kindOf(operationId) {
  const verb = (/^[A-Z][a-z]+/.exec(operationId) || [''])[0];
  return KINDS[verb] || fail(`${operationId}: unknown operation verb`);
}

/** The list path of an instance template: `/x/{Sid}.json` → `/x.json`. */
function listTemplateOf(template) {
  const bare = template.replace(/\/\{[^}]+\}(\.json)?$/, '');
  return is2010(template) ? `${bare}.json` : bare;
}

/** The array key and item schema of a list response, and its envelope style. */
function listShape(spec, schema, where) {
  const s = deref(spec, schema);
  const props = s.properties || {};
  const arrays = Object.entries(props).filter(([, p]) => p.type === 'array' && p.items && (p.items.$ref || p.items.properties));
  if (arrays.length !== 1) fail(`${where}: expected one array of records, found ${arrays.map(([k]) => k).join(',') || 'none'}`);
  const [key, prop] = arrays[0];
  const envelope = props.meta ? 'meta' : props.first_page_uri ? '2010' : 'plain';
  return { key, item: prop.items, envelope, props };
}

/** Parameter tuple `[name, type, flags, enum, prop]`; flags: 1 required, 2 array. */
function paramTuple(spec, name, node, required, enums, prop) {
  const s = deref(spec, node || {});
  const array = s.type === 'array';
  const item = array ? deref(spec, s.items || {}) : s;
  return trimTuple([name, typeCode(item), (required ? 1 : 0) | (array ? 2 : 0), enums.add(item.enum), prop || ''], PARAM_DEFAULTS);
}

/** The property a form/query/JSON parameter writes or filters: `FriendlyName` → `friendly_name`, `Timers.Inactive` → `timers.inactive`. */
function propFor(name, propTypes) {
  const bare = name.replace(/[<>]$/, '');
  if (propTypes[bare] !== undefined) return bare; // JSON bodies already use property names
  const direct = snake(bare);
  if (propTypes[direct] !== undefined) return direct;
  const parts = bare.split('.');
  if (parts.length > 1) {
    const head = snake(parts[0]);
    if (propTypes[head] === 'o' || propTypes[head] === '*') return [head, ...parts.slice(1).map(snake)].join('.');
  }
  return '';
}

/**
 * The table of one domain. `specs` are `{ name, spec }` sharing one host; `label` is the host's
 * first label (`chat`), which is also the path prefix of base-URL mode.
 */
function buildDomain(label, host, specs) {
  const enums = new EnumPool();
  const typeSchemas = new Map(); // type name → { spec, schema }
  const raw = [];

  // A component name two specs of one host both define (content v1 and v2 each have
  // `content.v1.content`) is qualified by the later spec's name: the two are stored apart.
  const registerType = (spec, specName, schema, fallbackName) => {
    let name = refName(schema) || fallbackName;
    const known = typeSchemas.get(name);
    if (known && known.spec !== spec) name = `${specName}:${name}`;
    typeSchemas.set(name, { spec, schema: refName(schema) ? deref(spec, schema) : schema });
    return name;
  };

  for (const { name: specName, spec } of specs) {
    for (const [path, method, op, item] of operationsOf(spec)) {
      const kind = kindOf(op.operationId);
      const where = `${specName} ${op.operationId}`;
      const success = successOf(spec, op);
      const entry = { specName, spec, path, method, op, item, kind, status: success.status, type: undefined };
      if (kind === 'list') {
        if (!success.schema) fail(`${where}: a list without a schema`);
        const shape = listShape(spec, success.schema, where);
        entry.list = shape;
        entry.type = registerType(spec, specName, shape.item, `${specName}.${op.operationId}.item`);
      } else if (success.schema) {
        entry.type = registerType(spec, specName, success.schema, `${specName}.${op.operationId}`);
      }
      raw.push(entry);
    }
  }

  // Where each resource type lives: instance templates (own key last) and singletons.
  const instanceShapes = new Set();
  const singletonShapes = new Set();
  for (const e of raw) {
    if (e.kind === 'list' || e.kind === 'create') continue;
    (endsWithParam(e.path) ? instanceShapes : singletonShapes).add(shapeOf(e.path));
  }
  for (const e of raw) {
    e.atAddress = e.kind !== 'list' && (e.kind !== 'create' || endsWithParam(e.path) || singletonShapes.has(shapeOf(e.path)) || instanceShapes.has(shapeOf(e.path)));
    e.own = e.atAddress && endsWithParam(e.path);
    // The collection an operation works on: a list path, or the list path of an instance.
    e.collection = shapeOf(e.own ? listTemplateOf(e.path) : e.path);
  }

  // One stored type per collection. The operations of one resource may each answer with a
  // schema of their own (CreateNewKey's `new_key` has the secret, `key` does not; an Assistant's
  // list items differ from a fetched Assistant): records are stored as the fetched type, else
  // the updated, listed or created one, and every operation reads and writes them as that.
  const RANK = { fetch: 0, update: 1, list: 2, delete: 3, create: 4 };
  const storage = new Map();
  for (const e of [...raw].sort((a, b) => RANK[a.kind] - RANK[b.kind])) {
    if (e.type && !storage.has(e.collection)) storage.set(e.collection, e.type);
  }
  for (const e of raw) {
    // Deletes carry no schema: they remove what their collection stores.
    if (e.kind === 'delete' && !e.type) e.type = storage.get(e.collection);
    e.storeType = e.type && storage.get(e.collection);
  }
  const instanceType = new Map();
  for (const e of raw) if (e.own && e.storeType && !instanceType.has(shapeOf(e.path))) instanceType.set(shapeOf(e.path), e.storeType);

  // Types: properties, key, alternate key, links, whether the API can create them.
  const typeNames = [...typeSchemas.keys()].sort();
  const typeIndex = new Map(typeNames.map((n, i) => [n, i]));
  const types = typeNames.map((name) => {
    const { spec, schema } = typeSchemas.get(name);
    const props = Object.entries(propertiesOf(spec, schema)).map(([p, node]) => propTuple(spec, p, node, enums));
    return { n: name, p: props, spec };
  });
  const propTypesOf = (t) => Object.fromEntries(types[t].p.map((p) => [p[0], p[1]]));
  const propNamesOf = (t) => types[t].p.map((p) => p[0]);

  for (const e of raw) {
    if (!e.type) continue;
    const stored = typeIndex.get(e.storeType);
    const t = types[stored];
    if (e.kind === 'create' && !(e.atAddress && !e.own)) t.c = 1;
    const params = pathParams(e.path);
    if (e.own) {
      const keyParam = params[params.length - 1];
      const propTypes = propTypesOf(stored);
      // A key parameter named unlike any property (`{UserSid}` of a SCIM user) keys by `sid`, else `id`.
      const keyProp = propFor(keyParam, propTypes) || ['sid', 'id'].find((p) => propTypes[p] !== undefined) || '';
      if (t.k === undefined || (e.kind === 'fetch' && !t.kFromFetch)) {
        t.k = keyProp;
        t.kParam = keyParam;
        t.kFromFetch = e.kind === 'fetch';
      }
      const desc = paramsIn(e.item, e.op, 'path').find((p) => p.name === keyParam);
      t.a = t.a || alternateKey(desc && desc.description, propNamesOf(stored));
    }
    const dependent = (e.item['x-twilio'] || {}).dependentProperties;
    for (const x of new Set([stored, typeIndex.get(e.type)])) {
      if (dependent && (!types[x].dep || e.own)) types[x].dep = dependent;
    }
  }
  for (const t of types) finishType(t, host);

  // Ancestor types of path parameters: the type whose instance template is the path up to there.
  const ancestorsOf = (e) => {
    const params = pathParams(e.path);
    const count = e.own ? params.length - 1 : params.length;
    return params.slice(0, count).map((p) => {
      const end = e.path.indexOf(`{${p}}`) + p.length + 2;
      const template = e.path.slice(0, end) + (is2010(e.path) ? '.json' : '');
      const type = instanceType.get(shapeOf(template));
      return type === undefined ? -1 : typeIndex.get(type);
    });
  };
  // Alternate keys of ancestors, from the descriptions of the parameters that name them.
  for (const e of raw) {
    ancestorsOf(e).forEach((t, i) => {
      if (t < 0 || types[t].a) return;
      const name = pathParams(e.path)[i];
      const desc = paramsIn(e.item, e.op, 'path').find((p) => p.name === name);
      types[t].a = alternateKey(desc && desc.description, propNamesOf(t));
    });
  }

  const specNames = specs.map((x) => x.name);
  const ops = raw.map((e) => {
    const t = e.type === undefined ? -1 : typeIndex.get(e.type);
    const st = e.storeType === undefined || e.storeType === e.type ? undefined : typeIndex.get(e.storeType);
    const propTypes = { ...(st !== undefined ? propTypesOf(st) : {}), ...(t >= 0 ? propTypesOf(t) : {}) };
    const out = { o: e.op.operationId, s: specNames.indexOf(e.specName), m: e.method.toUpperCase(), p: e.path, k: e.kind, t, c: e.status };
    const ancestors = ancestorsOf(e);
    if (ancestors.length) out.a = ancestors;
    if (e.own) out.own = 1;
    else if (e.kind === 'create' && e.atAddress) out.sg = 1;
    const query = paramsIn(e.item, e.op, 'query').filter((p) => !PAGING.has(p.name));
    if (query.length) out.q = query.map((p) => paramTuple(e.spec, p.name, p.schema, p.required, enums, propFor(p.name, propTypes)));
    const body = requestBodyOf(e.spec, e.op);
    const fields = (schema) => {
      const required = new Set(schema.required || []);
      return Object.entries(schema.properties || {}).map(([n, node]) => paramTuple(e.spec, n, node, required.has(n), enums, propFor(n, propTypes)));
    };
    if (body.form) out.f = fields(body.form);
    if (body.json) out.j = fields(body.json.oneOf ? deref(e.spec, body.json.oneOf[0]) : body.json);
    if (e.list) {
      out.lk = e.list.key;
      out.e = e.list.envelope;
      if (e.list.envelope === 'plain') out.ep = Object.entries(e.list.props).filter(([n]) => n !== e.list.key).map(([n, node]) => propTuple(e.spec, n, node, enums));
    }
    if (e.kind === 'create' && !e.atAddress) {
      const instance = raw.find((x) => x.own && x.kind !== 'create' && x.collection === e.collection);
      if (instance) out.i = instance.path;
    }
    if (st !== undefined) out.st = st;
    return out;
  });

  for (const t of types) {
    delete t.spec;
    delete t.kParam;
    delete t.kFromFetch;
    delete t.dep;
  }
  const accountType = instanceType.get('/2010-04-01/Accounts/{}.json');
  if (accountType !== undefined) types[typeIndex.get(accountType)].acct = 1;

  return {
    label,
    host,
    specs: specs.map(({ name, spec }) => specMeta(name, spec, raw)),
    enums: enums.lists,
    types,
    ops: ops.sort(compareOps),
  };
}

/** Key prefix, materialisation mode and links of a type, once every operation was seen. */
function finishType(t, host) {
  const props = Object.fromEntries(t.p.map((p) => [p[0], p]));
  if (t.k === undefined) t.k = props.sid ? 'sid' : '';
  const keyProp = props[t.k];
  if (keyProp && keyProp[4]) t.x = keyProp[4];
  // A key that is not a SID (a phone number, a country, a field name) names something Twilio
  // computes: it answers for any value. A SID names a thing that must have been made first.
  const sidKey = Boolean(t.x) || /sid$/i.test(t.kParam || '');
  if (!t.c && !sidKey && t.kParam) t.auto = 1;
  if (props.links) t.l = 'links';
  else if (props.subresource_uris) t.l = 'subresource_uris';
  if (t.l && t.dep) t.L = linkTemplates(t.dep, `${host} ${t.n}`);
  if (t.a === undefined) delete t.a;
}

/** Per spec: its version prefixes, list envelope style and date format. */
function specMeta(name, spec, raw) {
  const mine = raw.filter((e) => e.specName === name);
  const prefixes = [...new Set(Object.keys(spec.paths).map((p) => p.split('/')[1]))].sort();
  const lists = mine.filter((e) => e.list).map((e) => e.list.envelope);
  return {
    name,
    prefixes,
    envelope: lists.includes('2010') ? '2010' : 'meta',
    dates: prefixes.includes('2010-04-01') ? 'rfc2822' : 'iso8601',
    operations: mine.length,
  };
}

/**
 * Matching order: per method, literal segments before parameters, so `/v1/Services/Usecases`
 * is tried before `/v1/Services/{Sid}`. The runtime matches in this order.
 */
function compareOps(a, b) {
  const sa = a.p.split('/');
  const sb = b.p.split('/');
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const pa = sa[i].includes('{');
    const pb = sb[i].includes('{');
    if (pa !== pb) return pa ? 1 : -1;
    if (sa[i] !== sb[i]) return sa[i] < sb[i] ? -1 : 1;
  }
  if (sa.length !== sb.length) return sa.length - sb.length;
  return a.m < b.m ? -1 : a.m > b.m ? 1 : 0;
}

module.exports = { buildDomain, PAGING };

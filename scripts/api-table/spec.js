/**
 * Small helpers over one Twilio OpenAPI spec file (github.com/twilio/twilio-oai): $ref resolution,
 * the operations of a spec in a stable order, and Twilio's naming conventions (PascalCase form
 * parameters, snake_case response properties, SID prefixes in `pattern`).
 */
'use strict';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function fail(msg) {
  throw new Error(`gen-api-table: ${msg}`);
}

/** The component a `$ref` names, followed through chains of refs. */
function deref(spec, node) {
  let n = node;
  for (let i = 0; n && n.$ref; i++) {
    if (i > 20) fail(`$ref loop at ${node.$ref}`);
    const name = n.$ref.replace('#/components/schemas/', '');
    n = spec.components.schemas[name] || fail(`schema ${name} not found`);
  }
  return n || {};
}

/** The component name a node refers to, or undefined for an inline schema. */
function refName(node) {
  return node && node.$ref ? node.$ref.replace('#/components/schemas/', '') : undefined;
}

/**
 * PascalCase parameter → snake_case property, as Twilio's SDK generator maps them:
 * `FriendlyName` → `friendly_name`, `SmsUrl` → `sms_url`, `TTL` → `ttl`, `URLPath` → `url_path`.
 */
function snake(name) {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** Every operation of a spec: [path, method, operation, path item], in spec order. */
function operationsOf(spec) {
  const out = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of METHODS) if (item[method]) out.push([path, method, item[method], item]);
  }
  return out;
}

/** `^CH[0-9a-fA-F]{32}$` → `CH`. */
function sidPrefix(pattern) {
  const m = /^\^([A-Z]{2})\[0-9a-fA-F\]\{32\}\$$/.exec(pattern || '');
  return m ? m[1] : undefined;
}

/** The names of a path template's parameters, in order. */
function pathParams(template) {
  return [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
}

/** A template with parameter names erased, so `/x/{Sid}` and `/x/{ServiceSid}` compare equal. */
function shapeOf(template) {
  return template.replace(/\{[^}]+\}/g, '{}');
}

/** The operation's success answer: first 2xx/3xx code listed, and its JSON schema if any. */
function successOf(spec, op) {
  const code = Object.keys(op.responses || {}).find((c) => /^[23]\d\d$/.test(c));
  if (!code) fail(`${op.operationId}: no success response`);
  const content = op.responses[code].content || {};
  const media = content['application/json'] || content['application/scim+json'];
  return { status: Number(code), schema: media ? media.schema : undefined };
}

/** The request body: form schema or JSON schema (one of them), each resolved. */
function requestBodyOf(spec, op) {
  const content = (op.requestBody && op.requestBody.content) || {};
  const form = content['application/x-www-form-urlencoded'];
  const json = content['application/json'] || content['application/scim+json'];
  return {
    form: form ? deref(spec, form.schema) : undefined,
    json: json ? deref(spec, json.schema) : undefined,
  };
}

/** Path-item and operation parameters with `in` = `where`. */
function paramsIn(item, op, where) {
  return [...(item.parameters || []), ...(op.parameters || [])].filter((p) => p.in === where);
}

module.exports = { METHODS, fail, deref, refName, snake, operationsOf, sidPrefix, pathParams, shapeOf, successOf, requestBodyOf, paramsIn };

/**
 * Records of the generic engine: where an instance lives (type, parent, key), whether its
 * ancestors exist, the values a new one starts with, and how request parameters change it.
 *
 * Existence rules (LIMITATIONS in docs/generic-engine.md):
 * - a type some operation creates: an unknown key is 404/20404 until created;
 * - a singleton (an instance path without a key, `/v1/Services/{Sid}/Configuration`) exists from
 *   the start with default values;
 * - a type keyed by something that is not a SID and that nothing creates (a phone number's
 *   Lookup, a country's Pricing) exists for any key: Twilio computes it;
 * - a type keyed by a SID that nothing creates (a Call's Notification, a Room's Participant)
 *   exists once planted ({@link plantRecord}), as Twilio's own activity would make it;
 * - the 2010 Account with the scope's own SID exists; other AccountSids are 404 unless created
 *   as subaccounts.
 */
import { notFound } from '../errors';
import type { Params } from '../form';
import { formValue, jsonValue, valuesOf } from './params';
import type { GenericRecord, GenericScope } from './store';
import { paramOf, propOf, zeroOf, type GenericOperation, type PropTuple, type TypeSpec } from './table';

/** `ConversationSid` → `conversation_sid`, `assistantId` → `assistant_id` (path parameter → property). */
export function snake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** Where an operation's instance lives, its ancestors resolved to their canonical keys. */
export interface Address {
  /** Canonical ancestor values joined by '/'. */
  parent: string;
  /** Canonical ancestor values, in path order. */
  ancestors: string[];
  /** The own key as requested (a SID, or an alternate key such as a unique name); '' when none. */
  key: string;
}

/** Fills a template's `{placeholders}` in order with `values`, percent-encoded as Twilio writes them. */
export function fillTemplate(template: string, values: readonly string[]): string {
  let i = 0;
  return template.replace(/\{[^}]+\}/g, () => encodeURIComponent(values[i++] ?? ''));
}

/** The instance of `type` under `parent` with key (or alternate key) `key`, deleted ones included. */
export function findRecord(type: TypeSpec, parent: string, key: string, scope: GenericScope): GenericRecord | undefined {
  const byKey = scope.store.get(type.n, parent, key);
  if (byKey || !type.a) return byKey;
  for (const r of scope.store.list(type.n, parent)) if (!r.deleted && r.data[type.a] === key) return r;
  return undefined;
}

/**
 * True when an instance of `type` exists without having been stored (see the header comment). A
 * computed resource exists only for keys of its key's type: an integer revision, one of an enum's
 * values (`/v2/Forms/{FormType}`).
 */
export function existsImplicitly(type: TypeSpec, parent: string, key: string, scope: GenericScope, enums: readonly string[][]): boolean {
  if (type.acct === 1) return parent === '' && key === scope.accountSid;
  if (type.auto !== 1) return false;
  const keyProp = type.p.find((t) => t[0] === type.k);
  if (!keyProp) return true;
  const p = propOf(keyProp);
  if (p.type === 'i') return /^\d+$/.test(key);
  return p.enumIndex < 0 || enums[p.enumIndex]!.includes(key);
}

/**
 * The address of an operation's instance: each ancestor path parameter must name an existing
 * instance of its type (by key or alternate key), else 404/20404 naming `path`.
 */
export function resolveAddress(op: GenericOperation, pathParams: Record<string, string>, scope: GenericScope, path: string): Address {
  const ancestorTypes = op.spec.a ?? [];
  const ancestors: string[] = [];
  ancestorTypes.forEach((t, i) => {
    const value = pathParams[op.pathParams[i]!] ?? '';
    const parent = ancestors.join('/');
    const type = t >= 0 ? op.domain.types[t]! : undefined;
    if (!type) return void ancestors.push(value);
    const found = findRecord(type, parent, value, scope);
    if (found && !found.deleted) return void ancestors.push(found.key);
    if (!found && (existsImplicitly(type, parent, value, scope, op.domain.enums) || scope.handBuilt?.(type.n, value))) return void ancestors.push(value);
    throw notFound(path);
  });
  const key = op.spec.own ? pathParams[op.pathParams[op.pathParams.length - 1]!] ?? '' : '';
  return { parent: ancestors.join('/'), ancestors, key };
}

/** Canonical path parameters by property name (`conversation_sid`), own key included. */
function paramsByProperty(names: readonly string[], values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  names.forEach((name, i) => {
    if (values[i] !== undefined) out[snake(name)] = values[i]!;
  });
  return out;
}

/** A property's starting value (docs/generic-engine.md "What the engine does"). */
function startValue(tuple: PropTuple, ctx: StartContext): unknown {
  const p = propOf(tuple);
  const values = p.enumIndex >= 0 ? ctx.enums[p.enumIndex] : undefined;
  const isNumber = p.type === 'i' || p.type === 'n';
  if (p.name === ctx.keyProp && ctx.key !== '') return isNumber ? Number(ctx.key) : ctx.key;
  const fromPath = ctx.params[p.name];
  if (fromPath !== undefined) return isNumber ? Number(fromPath) : fromPath;
  if (p.name === 'account_sid') return ctx.scope.accountSid;
  const isDate = p.type === 'd' || p.type === 'r';
  if (isDate && (p.name === 'date_created' || p.name === 'date_updated')) return ctx.now;
  if (p.dflt !== undefined && (!values || values.includes(String(p.dflt)))) return p.dflt;
  if (p.nullable) return null;
  switch (p.type) {
    case 's':
      return values ? values[0] : p.prefix ? ctx.scope.newSid(p.prefix) : '';
    case 'd':
    case 'r':
      return ctx.now;
    case 'D':
      return new Date(ctx.now).toISOString().slice(0, 10);
    default:
      return zeroOf(p.type);
  }
}

interface StartContext {
  scope: GenericScope;
  enums: readonly string[][];
  keyProp: string;
  key: string;
  params: Record<string, string>;
  now: number;
}

/** The key property of records stored as `types[0]` (answered as the others): the first type's that has one. */
export function keyPropOf(types: readonly TypeSpec[]): string {
  return types.find((t) => t.k)?.k ?? '';
}

/**
 * A new instance at an address, every property of `types` at its starting value: the key, the
 * path parameters (`conversation_sid`), `account_sid`, the creation dates, then schema defaults.
 * `types` is the stored type, then the type the operation answers with when it differs (a
 * create's). `template` is the instance path template (filled with the ancestors and the key),
 * or '' when the type has no instance path.
 */
export function newRecord(op: GenericOperation, types: readonly TypeSpec[], address: Address, key: string, template: string, scope: GenericScope): GenericRecord {
  const names = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const values = [...address.ancestors, ...(names.length > address.ancestors.length ? [key] : [])];
  const params = paramsByProperty(names.length ? names : op.pathParams, values);
  const ctx: StartContext = { scope, enums: op.domain.enums, keyProp: keyPropOf(types), key, params, now: scope.now() };
  const data: Record<string, unknown> = {};
  for (const type of types) for (const tuple of type.p) if (!(tuple[0] in data)) data[tuple[0]] = startValue(tuple, ctx);
  return { key, parent: address.parent, path: template ? fillTemplate(template, values) : '', params, data };
}

/** Sets `value` at a dotted property path (`timers.inactive`), keeping the object's other keys. */
function setPath(data: Record<string, unknown>, path: string, value: unknown): void {
  const [head, ...rest] = path.split('.');
  if (rest.length === 0) {
    data[head!] = value;
    return;
  }
  const current = data[head!];
  const child = current && typeof current === 'object' && !Array.isArray(current) ? { ...(current as Record<string, unknown>) } : {};
  setPath(child, rest.join('.'), value);
  data[head!] = child;
}

/**
 * `data` with the request's parameters applied: each form (or JSON) parameter that names a
 * property (`FriendlyName` → `friendly_name`) writes it, coerced to the property's type. The key
 * property is left alone on update (it addresses the record).
 */
export function applyParams(op: GenericOperation, types: readonly TypeSpec[], data: Record<string, unknown>, form: Params, json: Record<string, unknown> | undefined, isUpdate: boolean): Record<string, unknown> {
  const next = { ...data };
  const props = propsOf(types);
  const keyProp = keyPropOf(types);
  for (const tuple of op.spec.f ?? []) {
    const p = paramOf(tuple);
    if (!p.prop || (isUpdate && p.prop === keyProp)) continue;
    const values = valuesOf(form, p.name, p.array);
    if (values.length === 0) continue;
    const top = props.get(p.prop);
    // A nested property (`configuration.filters`) has no type of its own in the table: an array
    // parameter writes an array.
    setPath(next, p.prop, formValue(p.name, values, p.array, top ? top.type : p.array ? 'a' : p.type));
  }
  for (const tuple of json ? op.spec.j ?? [] : []) {
    const p = paramOf(tuple);
    const value = json![p.name];
    if (!p.prop || value === undefined || (isUpdate && p.prop === keyProp)) continue;
    setPath(next, p.prop, jsonValue(value, props.get(p.prop)?.type ?? p.type));
  }
  return next;
}

/** The properties of `types` by name (the first type's tuple wins). */
export function propsOf(types: readonly TypeSpec[]): Map<string, ReturnType<typeof propOf>> {
  const props = new Map<string, ReturnType<typeof propOf>>();
  for (const type of types) for (const t of type.p) if (!props.has(t[0])) props.set(t[0], propOf(t));
  return props;
}

/**
 * The key of an instance a collection create makes: the value of the parameter that sets the key
 * property (Sync Map Item `Key`, Verify Entity `Identity`), else a new SID with the type's prefix,
 * else the next integer (Sync List Item `index`), else a bare 32-hex id.
 */
export function newKey(op: GenericOperation, types: readonly TypeSpec[], parent: string, form: Params, json: Record<string, unknown> | undefined, scope: GenericScope): string {
  const keyProp = keyPropOf(types);
  const prefix = types.find((t) => t.x)?.x ?? '';
  if (keyProp) {
    for (const tuple of [...(op.spec.f ?? []), ...(op.spec.j ?? [])]) {
      const p = paramOf(tuple);
      if (p.prop !== keyProp) continue;
      const given = json ? json[p.name] : valuesOf(form, p.name, false)[0];
      if (given !== undefined && given !== null && given !== '') return String(given);
    }
    if (!prefix && propsOf(types).get(keyProp)?.type === 'i') {
      let next = 0;
      for (const r of scope.store.list(types[0]!.n, parent)) next = Math.max(next, Number(r.key) + 1);
      return String(next);
    }
  }
  return scope.newSid(prefix);
}

/**
 * The instance path template of the records an operation makes or addresses: its own path when
 * it addresses one (`/v1/Conversations/{Sid}`, a singleton), else (a collection create or a list)
 * the instance path under it, or the list path plus a key when the spec has no instance path.
 */
export function recordTemplate(op: GenericOperation): string {
  if (op.kind !== 'create' && op.kind !== 'list') return op.path;
  if (op.spec.own || op.spec.sg) return op.path;
  if (op.spec.i) return op.spec.i;
  return op.path.endsWith('.json') ? `${op.path.slice(0, -5)}/{*}.json` : `${op.path}/{*}`;
}

/** True when the operation makes a new instance under a collection (rather than at its own path). */
export function isCollectionCreate(op: GenericOperation): boolean {
  return op.kind === 'create' && !op.spec.own && !op.spec.sg;
}

/**
 * Plants an instance Twilio's own activity would have made (a Call Notification, a Room
 * Participant) where `op` addresses one (its own key in `pathParams`, or a new key under a list
 * or collection-create path), with starting values and `data` on top. For seeds and tests: the
 * API itself cannot make these. Ancestors must exist (404/20404 otherwise).
 */
export function plantRecord(op: GenericOperation, pathParams: Record<string, string>, scope: GenericScope, data: Record<string, unknown> = {}): GenericRecord {
  const type = op.type;
  if (!type) throw new TypeError(`${op.id} has no resource type to plant`);
  const path = fillTemplate(op.path, op.pathParams.map((n) => pathParams[n] ?? ''));
  const address = resolveAddress(op, pathParams, scope, path);
  const types = storedTypesOf(op);
  const addressesOne = op.kind !== 'list' && !isCollectionCreate(op);
  const key = addressesOne ? address.key : newKey(op, types, address.parent, {}, undefined, scope);
  const record = newRecord(op, types, address, key, recordTemplate(op), scope);
  const planted = { ...record, data: { ...record.data, ...data } };
  scope.store.put(types[0]!.n, planted);
  return planted;
}

/**
 * The type an operation's records are stored as (its collection's, see `st` in ./table.ts), then
 * the type it answers with when that differs. Records carry the properties of both.
 */
export function storedTypesOf(op: GenericOperation): TypeSpec[] {
  const answered = op.type;
  if (!answered) return [];
  const stored = op.spec.st !== undefined ? op.domain.types[op.spec.st] : undefined;
  return stored ? [stored, answered] : [answered];
}

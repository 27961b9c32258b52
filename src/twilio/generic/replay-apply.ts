/**
 * What a served recording does to the generic store (replay; docs/adding-a-resource.md): the
 * answer of an operation the engine recognises becomes its state, so that a later unrecorded
 * fetch or list through the engine agrees with what was served.
 *
 * - create, fetch, update: the answered instance is stored (inserted, or its properties replaced);
 * - list: every listed item is stored;
 * - delete (2xx), or a 404 of an instance: the instance is removed.
 *
 * Served values are stored as the engine stores its own: date-times as epoch milliseconds; `url`,
 * `links` and `uri` are not stored (the renderer derives them from the record's path).
 */
import { TwilioError } from '../errors';
import { findRecord, keyPropOf, newKey, newRecord, propsOf, recordTemplate, resolveAddress, storedTypesOf, type Address } from './records';
import type { GenericRecord, GenericScope } from './store';
import type { GenericOperation } from './table';

/** Properties the renderer derives from the record's path: never taken from an answer. */
const DERIVED = new Set(['url', 'uri', 'links', 'subresource_uris']);

/**
 * The address of the served instance. Ancestors that are not stored (the recording began after
 * they were made) are taken as written, so the answer is still kept under them.
 */
function looseAddress(op: GenericOperation, pathParams: Record<string, string>, scope: GenericScope, path: string): Address {
  try {
    return resolveAddress(op, pathParams, scope, path);
  } catch (err) {
    if (!(err instanceof TwilioError)) throw err;
    const count = op.spec.a?.length ?? 0;
    const ancestors = op.pathParams.slice(0, count).map((n) => pathParams[n] ?? '');
    return { parent: ancestors.join('/'), ancestors, key: op.spec.own ? (pathParams[op.pathParams[op.pathParams.length - 1]!] ?? '') : '' };
  }
}

/** A served value as stored: date-times as epoch ms (RFC 2822 or ISO 8601 text both parse). */
function storedValue(value: unknown, type: string): unknown {
  if ((type === 'd' || type === 'r') && typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? value : ms;
  }
  return value;
}

/** Stores one served instance at `address` (its key from the answer where it has one). */
function storeItem(op: GenericOperation, address: Address, item: Record<string, unknown>, scope: GenericScope): void {
  const types = storedTypesOf(op);
  const keyProp = keyPropOf(types);
  const stored = types[0]!;
  const answeredKey = keyProp && item[keyProp] !== undefined && item[keyProp] !== null ? String(item[keyProp]) : undefined;
  const addressesOne = op.kind !== 'list' && !(op.kind === 'create' && !op.spec.own && !op.spec.sg);
  const key = answeredKey ?? (addressesOne ? address.key : newKey(op, types, address.parent, {}, undefined, scope));
  const existing = findRecord(stored, address.parent, key, scope);
  const base: GenericRecord = existing && !existing.deleted ? existing : newRecord(op, types, address, key, recordTemplate(op), scope);
  const data = { ...base.data };
  for (const [name, p] of propsOf(types)) {
    if (DERIVED.has(name) || !(name in item)) continue;
    data[name] = storedValue(item[name], p.type);
  }
  scope.store.put(stored.n, { key: base.key, parent: base.parent, path: base.path, params: base.params, data });
}

/** Removes the instance an operation addresses, if stored. */
function removeAddressed(op: GenericOperation, address: Address, scope: GenericScope): void {
  const stored = storedTypesOf(op)[0];
  if (!stored) return;
  const found = findRecord(stored, address.parent, address.key, scope);
  if (found) scope.store.delete(stored.n, found.parent, found.key);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Applies a served answer of `op` (its path parameters as matched, its Twilio path) to the store.
 * An answer that says nothing about state (a 4xx other than 404, a body-less create) changes nothing.
 */
export function applyServed(op: GenericOperation, pathParams: Record<string, string>, path: string, status: number, body: unknown, scope: GenericScope): void {
  const address = looseAddress(op, pathParams, scope, path);
  const ok = status >= 200 && status < 300;
  if ((status === 404 && op.spec.own) || (ok && op.kind === 'delete')) return removeAddressed(op, address, scope);
  if (!ok || !op.type || !isObject(body)) return;
  if (op.kind === 'list') {
    const items = body[op.spec.lk ?? ''];
    if (Array.isArray(items)) for (const item of items) if (isObject(item)) storeItem(op, address, item, scope);
    return;
  }
  storeItem(op, address, body, scope);
}

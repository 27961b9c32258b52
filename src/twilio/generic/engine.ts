/**
 * The generic engine: any operation of Twilio's specs run statefully over a store. Create stores
 * a record, fetch reads it, list pages the records under a parent, update changes the properties
 * the request names, delete removes it (204, then 404/20404). Pure and transport-free: a request
 * value in, `{ status, body }` out, or a thrown TwilioError.
 *
 * Hand-built resources take over one operation at a time through {@link GenericOverrides}: the
 * generic engine is the fallback for every operation none of them owns.
 */
import { notFound } from '../errors';
import type { Params } from '../form';
import { applyFilters, listPage } from './list';
import { checkJson, checkParams } from './params';
import {
  applyParams,
  existsImplicitly,
  fillTemplate,
  findRecord,
  isCollectionCreate,
  newKey,
  newRecord,
  propsOf,
  recordTemplate,
  resolveAddress,
  storedTypesOf,
  type Address,
} from './records';
import { renderRecord, type RenderContext } from './render';
import type { GenericRecord, GenericScope } from './store';
import { paramOf, type GenericOperation, type TypeSpec } from './table';

/** A request to a spec operation, as the transport read it. */
export interface GenericRequest {
  /** Path parameters by spec name (from {@link findOperation}). */
  pathParams: Record<string, string>;
  query: Params;
  form: Params;
  /** The parsed JSON body, for the operations whose spec takes JSON (Content v1, Assistants, ...). */
  json?: unknown;
  /** The path as Twilio sees it (no base-URL prefix, no query); rebuilt from the template when absent. */
  path?: string;
  /**
   * Scheme, host and base-URL prefix of absolute URLs (`url`, `links`, `meta.*_url`):
   * `https://conversations.twilio.com` (the default: the domain's own host) or, in base-URL mode,
   * `http://127.0.0.1:4010/conversations`.
   */
  baseUrl?: string;
  /**
   * The request's headers (lower-case names), for overrides that read one (Conversations'
   * `X-Twilio-Webhook-Enabled`); the engine itself reads none.
   */
  headers?: Readonly<Record<string, string | string[] | undefined>>;
}

/** The answer: status, JSON body (null for none) and extra headers. */
export interface GenericResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * A hand-built resource's handler for one operation. `fallback` runs the generic engine, so a
 * handler may also decorate its answer (or its state) instead of replacing it. A handler may be
 * asynchronous (a Conversations pre-event webhook must answer before the action happens).
 */
export type GenericHandler = (
  op: GenericOperation,
  request: GenericRequest,
  scope: GenericScope,
  fallback: () => GenericResponse,
) => GenericResponse | Promise<GenericResponse>;

/**
 * Handlers by operation id (`<spec>.<operationId>`, e.g. `api_v2010.CreateMessage`; operationIds
 * repeat across specs, so the spec is part of the id). Built once by whoever wires the engine.
 */
export type GenericOverrides = ReadonlyMap<string, GenericHandler>;

/**
 * A hand-built resource's overrides by operation id, made when the engine first runs (so their
 * code loads with it, not at start-up).
 */
export type OverrideSource = () => Readonly<Record<string, GenericHandler>>;

/**
 * Runs `op` for `request`: a registered override if there is one (its answer may be a promise),
 * else the generic engine.
 */
export function handleGeneric(op: GenericOperation, request: GenericRequest, scope: GenericScope): GenericResponse;
export function handleGeneric(op: GenericOperation, request: GenericRequest, scope: GenericScope, overrides?: GenericOverrides): GenericResponse | Promise<GenericResponse>;
export function handleGeneric(op: GenericOperation, request: GenericRequest, scope: GenericScope, overrides?: GenericOverrides): GenericResponse | Promise<GenericResponse> {
  const fallback = () => runGeneric(op, request, scope);
  const own = overrides?.get(op.id);
  return own ? own(op, request, scope, fallback) : fallback();
}

/** The generic engine alone (no overrides). */
export function runGeneric(op: GenericOperation, request: GenericRequest, scope: GenericScope): GenericResponse {
  const enums = op.domain.enums;
  const checkedQuery = checkParams(op.spec.q, request.query, 'query', enums);
  const form = canonicalForm(op, checkParams(op.spec.f, request.form, 'body', enums, propertyEnums(op)));
  const json = op.spec.j ? checkJson(op.spec.j, request.json, enums) : undefined;
  const path = request.path ?? fillTemplate(op.path, op.pathParams.map((n) => request.pathParams[n] ?? ''));
  const address = resolveAddress(op, request.pathParams, scope, path);
  const answered = op.type;
  if (!answered) return emptyAnswer(op, request);
  // Records are stored as their collection's type and answered as this operation's (./records.ts).
  const types = storedTypesOf(op);
  const stored = types[0]!;
  const ctx: RenderContext = { baseUrl: request.baseUrl ?? `https://${op.domain.host}`, accountSid: scope.accountSid, enums };
  const render = (r: GenericRecord) => renderRecord(answered, r, ctx);
  const save = (record: GenericRecord): GenericResponse => {
    const clean: GenericRecord = { key: record.key, parent: record.parent, path: record.path, params: record.params, data: record.data };
    scope.store.put(stored.n, clean);
    return { status: op.spec.c, body: render(clean) };
  };
  switch (op.kind) {
    case 'list': {
      const records = [...scope.store.list(stored.n, address.parent)].filter((r) => !r.deleted);
      const filtered = applyFilters(op, types, records, checkedQuery);
      return { status: op.spec.c, body: listPage(op, filtered, { path, baseUrl: ctx.baseUrl, query: request.query }, render) };
    }
    case 'create': {
      if (isCollectionCreate(op)) {
        const key = newKey(op, types, address.parent, form, json, scope);
        const fresh = newRecord(op, types, address, key, recordTemplate(op), scope);
        return save({ ...fresh, data: applyParams(op, types, fresh.data, form, json, false) });
      }
      const existing = findRecord(stored, address.parent, address.key, scope);
      const base = existing && !existing.deleted ? existing : newRecord(op, types, address, address.key, recordTemplate(op), scope);
      return save({ ...base, data: applyParams(op, types, base.data, form, json, false) });
    }
    case 'fetch': {
      const { record, isStored } = instanceOf(op, types, address, scope, path);
      if (!isStored) scope.store.put(stored.n, record); // a singleton or computed instance, now stable
      return { status: op.spec.c, body: render(record) };
    }
    case 'update': {
      const { record } = instanceOf(op, types, address, scope, path);
      const data = applyParams(op, types, record.data, form, json, true);
      if (typeof data.date_updated === 'number') data.date_updated = scope.now();
      return save({ ...record, data });
    }
    case 'delete': {
      const { record, isStored } = instanceOf(op, types, address, scope, path);
      const implicit = !op.spec.own || existsImplicitly(stored, address.parent, record.key, scope, enums);
      // What exists without being stored must be remembered as deleted to stay deleted.
      if (implicit) scope.store.put(stored.n, { ...record, deleted: true });
      else if (isStored) scope.store.delete(stored.n, record.parent, record.key);
      return { status: op.spec.c, body: null };
    }
  }
}

/**
 * Enum values of the properties the form parameters write, for parameters the spec gives no enum
 * (Serverless `Runtime` writes `runtime`, whose values the answer schema lists): a value outside
 * them would make an answer its own schema rejects.
 */
function propertyEnums(op: GenericOperation): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  const props = propsOf(storedTypesOf(op));
  for (const tuple of op.spec.f ?? []) {
    const p = paramOf(tuple);
    const prop = p.enumIndex < 0 && p.prop ? props.get(p.prop) : undefined;
    if (prop && prop.enumIndex >= 0) out.set(p.name, op.domain.enums[prop.enumIndex]!);
  }
  return out;
}

/** The declared form parameters with their checked values (enum values in the spec's spelling). */
function canonicalForm(op: GenericOperation, checked: Map<string, string[]>): Params {
  const out: Params = {};
  for (const tuple of op.spec.f ?? []) {
    const values = checked.get(tuple[0]);
    if (values) out[tuple[0]] = paramOf(tuple).array ? values : values[values.length - 1];
  }
  return out;
}

/**
 * The instance an operation addresses: the stored one, or one that exists implicitly (a
 * singleton, a computed resource, the scope's own Account) at its starting values; else
 * 404/20404 naming `path`.
 */
function instanceOf(op: GenericOperation, types: readonly TypeSpec[], address: Address, scope: GenericScope, path: string): { record: GenericRecord; isStored: boolean } {
  const found = findRecord(types[0]!, address.parent, address.key, scope);
  if (found && !found.deleted) return { record: found, isStored: true };
  if (found || (op.spec.own && !existsImplicitly(types[0]!, address.parent, address.key, scope, op.domain.enums))) throw notFound(path);
  return { record: newRecord(op, types, address, address.key, recordTemplate(op), scope), isStored: false };
}

/**
 * The answer of an operation without a body (204s, and OAuth's 302 to the client's
 * `RedirectUri` with a code and the client's `State`).
 */
function emptyAnswer(op: GenericOperation, request: GenericRequest): GenericResponse {
  if (op.spec.c < 300 || op.spec.c >= 400) return { status: op.spec.c, body: null };
  const target = new URLSearchParams();
  const redirect = String(request.query.RedirectUri ?? request.query.redirect_uri ?? '/');
  target.set('code', 'mirra-authorization-code');
  const state = request.query.State ?? request.query.state;
  if (typeof state === 'string') target.set('state', state);
  return { status: op.spec.c, body: null, headers: { Location: `${redirect}${redirect.includes('?') ? '&' : '?'}${target}` } };
}

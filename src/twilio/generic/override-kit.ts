/**
 * What a hand-built override needs of the engine besides its `fallback`: answering values of its
 * own in the operation's schema (a record rendered, a list paged in the domain's envelope),
 * changing a stored record, and running another operation of the table (to read a webhook
 * configuration, to add a message the way the API adds one).
 */
import type { Session } from '../../session/session';
import { TwilioError } from '../errors';
import { newSid } from '../sid';
import { runGeneric, type GenericRequest, type GenericResponse } from './engine';
import { listPage } from './list';
import { fillTemplate, findRecord, resolveAddress, storedTypesOf } from './records';
import { renderRecord } from './render';
import { findOperation } from './route';
import { sessionGenericStore, type GenericRecord, type GenericScope, type HandBuiltInstances } from './store';
import { operationById, type GenericOperation } from './table';

/** The engine's scope over a session: its account, its clock, its store (and the hand-built resources' instances). */
export function scopeOfSession(session: Session, handBuilt: HandBuiltInstances = {}): GenericScope & { session: Session } {
  return {
    accountSid: session.accountSid,
    now: () => session.clock.now(),
    newSid,
    store: sessionGenericStore(session),
    session,
    handBuilt: (type, key) => handBuilt[type]?.(session, key) ?? false,
  };
}

/** A value to answer with: its key and its properties (date-times as epoch ms). */
export interface OwnRecord {
  key: string;
  data: Record<string, unknown>;
  /** Its instance path (for `url`/`uri`), when it has one. */
  path?: string;
}

function asRecord(own: OwnRecord): GenericRecord {
  return { key: own.key, parent: '', path: own.path ?? '', params: {}, data: own.data };
}

function baseUrlOf(op: GenericOperation, request: GenericRequest): string {
  return request.baseUrl ?? `https://${op.domain.host}`;
}

/** `own` as the JSON `op` answers with: every property of its schema, absent ones at their zero value. */
export function renderAs(op: GenericOperation, request: GenericRequest, scope: GenericScope, own: OwnRecord): Record<string, unknown> {
  if (!op.type) return {};
  return renderRecord(op.type, asRecord(own), { baseUrl: baseUrlOf(op, request), accountSid: scope.accountSid, enums: op.domain.enums });
}

/** `items` as the page a list operation answers (`PageSize`, `Page`, `PageToken`; the domain's envelope). */
export function listAs(op: GenericOperation, request: GenericRequest, scope: GenericScope, items: OwnRecord[]): GenericResponse {
  const path = request.path ?? fillTemplate(op.path, op.pathParams.map((n) => request.pathParams[n] ?? ''));
  const render = (r: GenericRecord) => (op.type ? renderRecord(op.type, r, { baseUrl: baseUrlOf(op, request), accountSid: scope.accountSid, enums: op.domain.enums }) : {});
  return { status: op.spec.c, body: listPage(op, items.map(asRecord), { path, baseUrl: baseUrlOf(op, request), query: request.query }, render) };
}

/**
 * Merges `patch` into the stored instance `op` addresses at `pathParams` (a create's defaults the
 * request did not give: a Conversation's `state`); the record afterwards, or undefined when none
 * is stored.
 */
export function patchRecord(op: GenericOperation, pathParams: Record<string, string>, scope: GenericScope, patch: Record<string, unknown>): GenericRecord | undefined {
  const type = storedTypesOf(op)[0];
  if (!type) return undefined;
  const path = fillTemplate(op.path, op.pathParams.map((n) => pathParams[n] ?? ''));
  const address = resolveAddress(op, pathParams, scope, path);
  const found = findRecord(type, address.parent, address.key, scope);
  if (!found || found.deleted) return undefined;
  const next = { ...found, data: { ...found.data, ...patch } };
  scope.store.put(type.n, next);
  return next;
}

/** The operation `<spec>.<operationId>` of domain `label`; a wiring mistake when absent. */
export function operation(label: string, id: string): GenericOperation {
  const op = operationById(label, id);
  if (!op) throw new TypeError(`no operation ${id} in ${label}`);
  return op;
}

/**
 * Runs the engine (no overrides) for `method` at `path` of domain `label`, as an internal read or
 * write of a hand-built resource: the answer's body, or undefined when the engine answers 404.
 */
export function callEngine(
  scope: GenericScope,
  label: string,
  method: string,
  path: string,
  params: { form?: Record<string, string | string[]>; query?: Record<string, string> } = {},
): Record<string, unknown> | undefined {
  const match = findOperation(method, `${label}.twilio.com`, path);
  if (!match) throw new TypeError(`no ${method} ${path} in ${label}`);
  try {
    const answer = runGeneric(match.operation, { pathParams: match.pathParams, query: params.query ?? {}, form: params.form ?? {}, path: match.path }, scope);
    return (answer.body ?? {}) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof TwilioError && err.status === 404) return undefined;
    throw err;
  }
}

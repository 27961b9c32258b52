/**
 * The generic engine in memory for tests: a scope on a virtual clock and an HTTP-like `call`
 * that matches a full URL (`https://conversations.twilio.com/v1/Conversations?PageSize=1`) and
 * runs it, error answers included.
 */
import { TwilioError } from '../../src/twilio/errors';
import type { Params } from '../../src/twilio/form';
import { findOperation, handleGeneric, MemoryGenericStore, type GenericOverrides, type GenericScope, type GenericStore } from '../../src/twilio/generic/engine-api';
import { newSid } from '../../src/twilio/sid';

/** The account the test scopes act for. */
export const ACCOUNT_SID = 'AC' + 'a1'.repeat(16);

/** A scope with its own memory store and a clock the test moves (`clock.now += 1000`). */
export function memoryScope(store: GenericStore = new MemoryGenericStore()): { scope: GenericScope; clock: { now: number } } {
  const clock = { now: Date.UTC(2026, 2, 4, 5, 6, 7) };
  return { scope: { accountSid: ACCOUNT_SID, now: () => clock.now, newSid, store }, clock };
}

/** What a call answered: status and body (Twilio's error body for an error), headers when set. */
export interface Answer {
  status: number;
  body: any;
  headers?: Record<string, string>;
}

/** Options of a call: form or JSON body, the base URL absolute URLs use, overrides. */
export interface CallOptions {
  form?: Params;
  json?: unknown;
  baseUrl?: string;
  overrides?: GenericOverrides;
}

/** Calls `url` (absolute) on the engine; an unmatched request answers 404 with body `no operation`. */
export function call(scope: GenericScope, method: string, url: string, opts: CallOptions = {}): Answer {
  const u = new URL(url);
  const match = findOperation(method, u.host, u.pathname + u.search);
  if (!match) return { status: 404, body: 'no operation' };
  const query: Params = {};
  for (const [k, v] of u.searchParams) {
    const prev = query[k];
    query[k] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v];
  }
  const baseUrl = opts.baseUrl ?? (u.host.endsWith('twilio.com') ? undefined : `${u.protocol}//${u.host}${match.prefix}`);
  try {
    const answer = handleGeneric(match.operation, { pathParams: match.pathParams, query, form: opts.form ?? {}, json: opts.json, path: match.path, baseUrl }, scope, opts.overrides);
    if (answer instanceof Promise) throw new TypeError('call() takes synchronous overrides only');
    return answer;
  } catch (err) {
    if (err instanceof TwilioError) return { status: err.status, body: err.toBody() };
    throw err;
  }
}

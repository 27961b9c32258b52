/**
 * An incoming API request as the cassette sees it, through the same normaliser the recorder uses
 * (src/cassette/normalize.ts: product, sorted decoded pairs, loopback ports as `{port}`) and the
 * same redaction (this request's credentials and secret-named params become `[REDACTED]`), so a
 * live request compares with its recording on equal terms. The raw pairs are kept too: a replayed
 * callback goes to the URL this request really named.
 */
import type { FastifyRequest } from 'fastify';
import { normalizeRequest, sortPairs } from '../cassette/normalize';
import { Redactor } from '../cassette/redact';
import type { Pair, RecordedRequest } from '../cassette/types';
import { encodeForm } from '../twilio/form';
import { formOf } from '../twilio/http';
import type { FormParams } from '../signing/signature';

/** A request for matching (`identity`) and as sent (`raw`, for callback URLs and state). */
export interface IncomingRequest {
  identity: RecordedRequest;
  raw: RecordedRequest;
}

function parsedForm(request: FastifyRequest): FormParams {
  const out: FormParams = {};
  for (const [k, v] of Object.entries(formOf(request))) if (v !== undefined) out[k] = v;
  return out;
}

/** Normalises a request (the body was parsed by fastify; it is re-encoded for the shared normaliser). */
export function incomingRequest(request: FastifyRequest): IncomingRequest {
  const form = parsedForm(request);
  const contentType = Object.keys(form).length > 0 ? 'application/x-www-form-urlencoded' : undefined;
  const normalized = normalizeRequest({ method: request.method, host: request.headers.host, url: request.url, contentType, body: encodeForm(form) });
  const redactor = new Redactor();
  redactor.addBasicAuth(request.headers.authorization);
  const identity: RecordedRequest = { ...normalized, query: sortPairs(redactor.pairs(normalized.query)), form: sortPairs(redactor.pairs(normalized.form)) };
  const q = request.url.indexOf('?');
  const rawQuery: Pair[] = q === -1 ? [] : [...new URLSearchParams(request.url.slice(q + 1))].map(([k, v]): Pair => [k, v]);
  const rawForm: Pair[] = Object.entries(form).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((one): Pair => [k, one]));
  return { identity, raw: { ...normalized, query: sortPairs(rawQuery), form: sortPairs(rawForm) } };
}

/** The first value of a param of a request (form first, then query), if any. */
export function paramOf(request: RecordedRequest, name: string): string | undefined {
  return request.form.find(([k]) => k === name)?.[1] ?? request.query.find(([k]) => k === name)?.[1];
}

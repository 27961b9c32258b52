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
import { isFormBody, pairsOf } from '../core/form-body';

/** A request for matching (`identity`) and as sent (`raw`, for callback URLs and state). */
export interface IncomingRequest {
  identity: RecordedRequest;
  raw: RecordedRequest;
}

/** The form pairs of a request's parsed body (urlencoded or multipart), in the order sent. */
export function formPairs(request: FastifyRequest): Pair[] {
  const body = request.body;
  if (!isFormBody(request.headers['content-type']) || !body || typeof body !== 'object') return [];
  return pairsOf(body as Record<string, string | string[]>);
}

/** Normalises a request through the shared normaliser (its body was parsed once, by the server). */
export function incomingRequest(request: FastifyRequest): IncomingRequest {
  const rawForm = formPairs(request);
  const normalized = normalizeRequest({ method: request.method, host: request.headers.host, url: request.url, form: rawForm });
  const redactor = new Redactor();
  redactor.addBasicAuth(request.headers.authorization);
  const identity: RecordedRequest = { ...normalized, query: sortPairs(redactor.pairs(normalized.query)), form: sortPairs(redactor.pairs(normalized.form)) };
  const q = request.url.indexOf('?');
  const rawQuery: Pair[] = q === -1 ? [] : [...new URLSearchParams(request.url.slice(q + 1))].map(([k, v]): Pair => [k, v]);
  return { identity, raw: { ...normalized, query: sortPairs(rawQuery), form: sortPairs(rawForm) } };
}

/** The first value of a param of a request (form first, then query), if any. */
export function paramOf(request: RecordedRequest, name: string): string | undefined {
  return request.form.find(([k]) => k === name)?.[1] ?? request.query.find(([k]) => k === name)?.[1];
}

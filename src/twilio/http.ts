/**
 * Reading Twilio API requests at the boundary: form params (Twilio ignores JSON bodies, which is
 * why a JSON create answers 21604), query params, and `{Sid}.json` path segments.
 */
import type { FastifyRequest } from 'fastify';
import { notFound } from './errors';
import type { Params } from './form';

/** The form params of a request; anything that is not a form body counts as no params. */
export function formOf(request: FastifyRequest): Params {
  const type = String(request.headers['content-type'] ?? '');
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) return {};
  const body = request.body;
  return body && typeof body === 'object' ? (body as Params) : {};
}

/** The query params of a request. */
export function queryOf(request: FastifyRequest): Params {
  const q = request.query;
  return q && typeof q === 'object' ? (q as Params) : {};
}

/** The path of a request without its query string. */
export function pathOf(request: FastifyRequest): string {
  const i = request.url.indexOf('?');
  return i === -1 ? request.url : request.url.slice(0, i);
}

/** The SID in a `{Sid}.json` path segment, or Twilio's 404 when the segment is not of that form. */
export function jsonSid(request: FastifyRequest, segment: string): string {
  if (!segment.endsWith('.json')) throw notFound(pathOf(request));
  return segment.slice(0, -5);
}

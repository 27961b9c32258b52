/**
 * Reading Twilio API requests at the boundary: form params, urlencoded or multipart (Twilio ignores
 * JSON bodies, which is why a JSON create answers 21604), query params, and `{Sid}.json` path segments.
 */
import type { FastifyRequest } from 'fastify';
import { isFormBody } from '../core/form-body';
import { notFound } from './errors';
import type { Params } from './form';

/** The form params of a request; anything that is not a form body counts as no params. */
export function formOf(request: FastifyRequest): Params {
  if (!isFormBody(request.headers['content-type'])) return {};
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

/** True for Twilio's own host names: `twilio.com` and every `*.twilio.com` (regional and edge forms too). */
export function isTwilioHost(hostname: string): boolean {
  return /(^|\.)twilio\.com$/i.test(hostname);
}

/**
 * The origin (`https://verify.twilio.com`, `http://127.0.0.1:4010`) the client used. Twilio serves
 * its API over HTTPS only, so a request under a Twilio host name gets `https` even when the
 * transport itself was plain (in-process `app.inject`, where there is no TLS socket).
 */
export function originOf(request: FastifyRequest): string {
  const protocol = isTwilioHost(request.hostname) ? 'https' : request.protocol;
  return `${protocol}://${request.host}`;
}

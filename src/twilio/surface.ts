/**
 * The Twilio API as the generic server sees it (core/api-surface.ts): Basic-auth sessions, the
 * account guard and test credentials, Twilio's error bodies and headers, its JSON bytes.
 */
import type { FastifyRequest } from 'fastify';
import type { ApiAnswer, ApiSurface } from '../core/api-surface';
import { authenticate } from './auth';
import { notFound, twilioError, TwilioError } from './errors';
import { isTwilioHost, originOf, pathOf } from './http';
import { sendJson, sendNoContent, twilioHeaders } from './reply';
import { assertAllowedForTestAccount } from './test-credentials';

function answerOf(err: TwilioError): ApiAnswer {
  return { status: err.status, headers: err.headers, body: err.toBody() };
}

/** A path naming another account is Twilio's 404, never the other account's data. */
function guard(request: FastifyRequest): void {
  const accountSid = (request.params as { AccountSid?: string } | undefined)?.AccountSid;
  if (accountSid !== undefined && accountSid !== request.session.accountSid) throw notFound(pathOf(request));
  assertAllowedForTestAccount(request);
}

/**
 * The domain of a Twilio host name: its first label (`api.dublin.ie1.twilio.com` → `api`,
 * twilio-api.md §9); undefined for `twilio.com` itself and for hosts that are not Twilio's.
 */
function domainOf(hostname: string): string | undefined {
  const host = hostname.toLowerCase();
  return host.endsWith('.twilio.com') ? host.slice(0, host.indexOf('.')) : undefined;
}

/** The Twilio API surface. */
export const twilioSurface: ApiSurface = {
  isApiHost: isTwilioHost,
  domainOf,
  authenticate,
  guard,
  notFound,
  errorAnswer: (err) => (err instanceof TwilioError ? answerOf(err) : undefined),
  frameworkAnswer(status) {
    if (status === 413) return answerOf(twilioError(20001, {}, { status: 413, message: 'Request entity too large' }));
    if (status >= 400 && status < 500) return answerOf(twilioError(20001, {}, { message: 'Bad request' }));
    return answerOf(twilioError(20500));
  },
  headers: twilioHeaders,
  sendJson,
  sendEmpty: sendNoContent,
  clientOrigin: (request) => (isTwilioHost(request.hostname) ? undefined : originOf(request)),
};

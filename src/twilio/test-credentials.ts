/**
 * Twilio's test credentials (docs/iam/test-credentials): only creating messages and calls and
 * buying numbers is supported, with magic numbers deciding the outcome; nothing is stored, no callback fires, and
 * any other resource answers 403/20008. A session behaves so when its seed says `testCredentials`.
 */
import type { FastifyRequest } from 'fastify';
import type { Session } from '../session/session';
import { twilioError } from './errors';
import { pathOf } from './http';

const ALLOWED = [/\/Messages\.json$/, /\/Calls\.json$/, /\/IncomingPhoneNumbers(\/(Local|Mobile|TollFree))?\.json$/];

/** True when the session emulates a test-credentials account. */
export function isTestAccount(session: Session): boolean {
  return session.seed.testCredentials === true;
}

/** Throws 20008 for a request test credentials may not make. */
export function assertAllowedForTestAccount(request: FastifyRequest): void {
  if (!isTestAccount(request.session)) return;
  const path = pathOf(request);
  if (request.method !== 'POST' || !ALLOWED.some((re) => re.test(path))) throw twilioError(20008);
}

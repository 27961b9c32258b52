/**
 * Authentication of Twilio API requests: HTTP Basic with AccountSid + auth token or API key SID +
 * secret. The session is found from the username, else a `twilio-<sessionId>.` host prefix, else
 * the default session; the credentials must then match it (401/20003 otherwise).
 */
import type { FastifyRequest } from 'fastify';
import type { Session } from '../session/session';
import { parseBasicAuth } from '../core/basic-auth';
import type { SessionDirectory } from '../core/sessions';
import { twilioError, type TwilioError } from './errors';

/** The session a request addresses by its Host (`twilio-<id>.…`), if any. */
export function sessionFromHost(sessions: SessionDirectory, host: string | undefined): Session | undefined {
  const m = /^twilio-([A-Za-z0-9_-]+)\./.exec(host ?? '');
  return m ? sessions.get(m[1]) : undefined;
}

function unauthorized(message: string): TwilioError {
  return twilioError(20003, {}, { message, headers: { 'WWW-Authenticate': 'Basic realm="Twilio API"' } });
}

/** Finds and authenticates the session of a Twilio API request, or throws Twilio's 401. */
export function authenticate(sessions: SessionDirectory, request: FastifyRequest, defaultSessionId: string): Session {
  const creds = parseBasicAuth(request.headers.authorization);
  if (!creds) throw unauthorized('Authentication Error - No credentials provided');
  const session =
    sessions.byAccountSid(creds.username) ??
    sessions.byApiKey(creds.username) ??
    sessionFromHost(sessions, request.headers.host) ??
    sessions.get(defaultSessionId);
  if (!session) throw unauthorized('Authentication Error - invalid username');
  if (creds.username !== session.accountSid && !session.record.apiKeys.some((k) => k.sid === creds.username)) {
    throw unauthorized('Authentication Error - invalid username');
  }
  if (!sessions.authenticate(session, creds.username, creds.password)) throw unauthorized('Authenticate');
  return session;
}

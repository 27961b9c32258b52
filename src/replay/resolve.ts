/**
 * Resolving an alias of a resource that existed before the recording (a seeded number, service)
 * to the replay session's own resource, found by what it is rather than by its SID.
 */
import type { Session } from '../session/session';
import { MESSAGING_SERVICES, type MessagingServiceRecord } from '../twilio/messaging-services/types';
import { findOwnedNumber } from '../twilio/numbers/types';
import { VERIFY_SERVICES, type VerifyServiceRecord } from '../twilio/verify/types';

/** The session's SID for a recorded object whose own SID is the unbound alias, or undefined. */
export function resolveExisting(session: Session, prefix: string, recorded: Record<string, unknown>): string | undefined {
  const name = typeof recorded.friendly_name === 'string' ? recorded.friendly_name : undefined;
  if (prefix === 'PN' && typeof recorded.phone_number === 'string') return findOwnedNumber(session, recorded.phone_number)?.sid;
  if (prefix === 'MG' && name) return session.collection<MessagingServiceRecord>(MESSAGING_SERVICES).find((s) => s.friendlyName === name)?.sid;
  if (prefix === 'VA' && name) return session.collection<VerifyServiceRecord>(VERIFY_SERVICES).find((s) => s.friendlyName === name)?.sid;
  return undefined;
}

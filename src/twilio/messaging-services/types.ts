/**
 * Messaging Services (schema `messaging.v1.service`) as the Messages API needs them: a service and
 * its sender pool. The full resource lives beside this file.
 */
import type { Session } from '../../session/session';

/** A messaging service (only the fields the message pipeline reads are required here). */
export interface MessagingServiceRecord {
  sid: string;
  friendlyName: string;
  statusCallback: string | null;
  stickySender: boolean;
  areaCodeGeomatch: boolean;
  inboundRequestUrl: string | null;
  inboundMethod: string;
  fallbackUrl: string | null;
  fallbackMethod: string;
  useInboundWebhookOnNumber: boolean;
  dateCreated: number;
  dateUpdated: number;
  /** Any other field, by its snake_case name. */
  extra: Record<string, unknown>;
}

/** A number in a service's sender pool (the SID is the IncomingPhoneNumber's PN SID). */
export interface PoolMemberRecord {
  sid: string;
  serviceSid: string;
  phoneNumber: string;
  dateCreated: number;
  dateUpdated: number;
}

export const MESSAGING_SERVICES = 'messaging_services';
export const SERVICE_POOL = 'messaging_service_phone_numbers';

/** The service with this SID in the session, if any. */
export function findService(session: Session, sid: string): MessagingServiceRecord | undefined {
  return session.collection<MessagingServiceRecord>(MESSAGING_SERVICES).get(sid);
}

/** The pool of a service, in the order numbers were added. */
export function poolOf(session: Session, serviceSid: string): PoolMemberRecord[] {
  return [...session.collection<PoolMemberRecord>(SERVICE_POOL).list({ filter: (m) => m.serviceSid === serviceSid })];
}

/**
 * Messaging Services (schema `messaging.v1.service`) and their sender pools
 * (`messaging.v1.service.phone_number`), as the Messages and inbound pipelines read them.
 */
import type { Session } from '../../session/session';

/** `scan_message_content` values (spec enum). */
export type ScanMessageContent = 'inherit' | 'enable' | 'disable';

/** A messaging service, every schema field kept (times are epoch ms on the session clock). */
export interface MessagingServiceRecord {
  sid: string;
  friendlyName: string;
  inboundRequestUrl: string | null;
  inboundMethod: 'GET' | 'POST';
  fallbackUrl: string | null;
  fallbackMethod: 'GET' | 'POST';
  /** Used for a message's status callbacks when the message names none. */
  statusCallback: string | null;
  stickySender: boolean;
  mmsConverter: boolean;
  smartEncoding: boolean;
  scanMessageContent: ScanMessageContent;
  fallbackToLongCode: boolean;
  areaCodeGeomatch: boolean;
  /** Seconds a queued message stays valid (1–36000). */
  validityPeriod: number;
  synchronousValidation: boolean;
  usecase: string;
  /** Read-only on the API (set by A2P 10DLC registration); a seed may set it. */
  usAppToPersonRegistered: boolean;
  /** When true, inbound messages use the number's own SmsUrl instead of `inboundRequestUrl`. */
  useInboundWebhookOnNumber: boolean;
  dateCreated: number;
  dateUpdated: number;
}

/**
 * A number in a service's sender pool. Its SID is the IncomingPhoneNumber's PN SID, which is also
 * the key of the pool collection: a number belongs to at most one service.
 */
export interface PoolMemberRecord {
  sid: string;
  serviceSid: string;
  phoneNumber: string;
  dateCreated: number;
  dateUpdated: number;
}

/** The collection name of messaging services. */
export const MESSAGING_SERVICES = 'messaging_services';
/** The collection name of sender-pool members, keyed by PN SID. */
export const SERVICE_POOL = 'messaging_service_phone_numbers';

/** The service with this SID in the session, if any. */
export function findService(session: Session, sid: string): MessagingServiceRecord | undefined {
  return session.collection<MessagingServiceRecord>(MESSAGING_SERVICES).get(sid);
}

/** The pool of a service, in the order numbers were added. */
export function poolOf(session: Session, serviceSid: string): PoolMemberRecord[] {
  return [...session.collection<PoolMemberRecord>(SERVICE_POOL).list({ filter: (m) => m.serviceSid === serviceSid })];
}

/** The service whose pool holds the number with this PN SID, if any. */
export function serviceOfNumber(session: Session, numberSid: string): MessagingServiceRecord | undefined {
  const member = session.collection<PoolMemberRecord>(SERVICE_POOL).get(numberSid);
  return member ? findService(session, member.serviceSid) : undefined;
}

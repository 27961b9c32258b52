/**
 * The `messagingServices` section of a seed: services with their sender pools.
 * `{"messagingServices": [{"friendlyName": "...", "stickySender": true, "numbers": ["+1..."]}]}`;
 * pool numbers are added to the account's numbers when not already owned.
 */
import { MirraError } from '../../errors';
import type { Session } from '../../session/session';
import { newIncomingNumber } from '../numbers/seed';
import { findOwnedNumber, INCOMING_NUMBERS, type IncomingNumberRecord } from '../numbers/types';
import { newSid, SID_PREFIX } from '../sid';
import { MESSAGING_SERVICES, SERVICE_POOL, type MessagingServiceRecord, type PoolMemberRecord } from './types';

/** A seeded service as written in a seed file. */
export interface SeedService {
  sid?: string;
  friendlyName: string;
  statusCallback?: string;
  inboundRequestUrl?: string;
  stickySender?: boolean;
  areaCodeGeomatch?: boolean;
  numbers?: string[];
  [field: string]: unknown;
}

/** Builds a service record with Twilio's defaults. */
export function newMessagingService(input: SeedService, now: number): MessagingServiceRecord {
  const { sid, friendlyName, statusCallback, inboundRequestUrl, stickySender, areaCodeGeomatch, numbers: _n, ...extra } = input;
  return {
    sid: sid ?? newSid(SID_PREFIX.messagingService),
    friendlyName,
    statusCallback: statusCallback ?? null,
    stickySender: stickySender ?? true,
    areaCodeGeomatch: areaCodeGeomatch ?? true,
    inboundRequestUrl: inboundRequestUrl ?? null,
    inboundMethod: 'POST',
    fallbackUrl: null,
    fallbackMethod: 'POST',
    useInboundWebhookOnNumber: false,
    dateCreated: now,
    dateUpdated: now,
    extra,
  };
}

/** Applies the seed's `messagingServices` section. */
export function applyServicesSeed(session: Session, now: number): void {
  const services = session.seed.messagingServices;
  if (services === undefined) return;
  if (!Array.isArray(services)) throw new MirraError('MIRRA_ERR_INVALID_SEED', 'messagingServices is a list');
  for (const input of services as SeedService[]) {
    if (typeof input?.friendlyName !== 'string') throw new MirraError('MIRRA_ERR_INVALID_SEED', 'each messaging service needs a friendlyName');
    const service = session.collection<MessagingServiceRecord>(MESSAGING_SERVICES).insert(newMessagingService(input, now));
    for (const phone of input.numbers ?? []) {
      const owned = findOwnedNumber(session, phone) ?? session.collection<IncomingNumberRecord>(INCOMING_NUMBERS).insert(newIncomingNumber({ phoneNumber: phone }, now));
      const member: PoolMemberRecord = { sid: owned.sid, serviceSid: service.sid, phoneNumber: owned.phoneNumber, dateCreated: now, dateUpdated: now };
      session.collection<PoolMemberRecord>(SERVICE_POOL).insert(member);
    }
  }
}

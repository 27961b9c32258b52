/**
 * The `messagingServices` section of a seed: services with their sender pools.
 * `{"messagingServices": [{"friendlyName": "...", "stickySender": true, "numbers": ["+1..."]}]}`.
 * Any service field may be given in camelCase (`usAppToPersonRegistered` too, which the API keeps
 * read-only). Pool numbers the account does not own yet are added to its numbers.
 */
import { MirraError } from '../../errors';
import type { Session } from '../../session/session';
import { newIncomingNumber } from '../numbers/seed';
import { findOwnedNumber, INCOMING_NUMBERS, type IncomingNumberRecord } from '../numbers/types';
import { toE164 } from '../phone';
import { newSid, SID_PREFIX } from '../sid';
import { defaultService } from './model';
import { MESSAGING_SERVICES, SERVICE_POOL, type MessagingServiceRecord, type PoolMemberRecord } from './types';

/** A seeded service as written in a seed file. */
export type SeedService = { friendlyName: string; numbers?: string[] } & Partial<Omit<MessagingServiceRecord, 'dateCreated' | 'dateUpdated'>>;

/** Builds a service record with Twilio's defaults, overridden by the seed's fields. */
export function newMessagingService(input: SeedService, now: number): MessagingServiceRecord {
  const { numbers: _numbers, sid, friendlyName, ...fields } = input;
  return { ...defaultService(sid ?? newSid(SID_PREFIX.messagingService), friendlyName, now), ...fields };
}

/** Applies the seed's `messagingServices` section (after `numbers`, so pools can use seeded numbers). */
export function applyServicesSeed(session: Session, now: number): void {
  const services = session.seed.messagingServices;
  if (services === undefined) return;
  if (!Array.isArray(services)) throw new MirraError('MIRRA_ERR_INVALID_SEED', 'messagingServices is a list');
  const pool = session.collection<PoolMemberRecord>(SERVICE_POOL);
  for (const input of services as SeedService[]) {
    if (typeof input?.friendlyName !== 'string') throw new MirraError('MIRRA_ERR_INVALID_SEED', 'each messaging service needs a friendlyName');
    const service = session.collection<MessagingServiceRecord>(MESSAGING_SERVICES).insert(newMessagingService(input, now));
    for (const phone of input.numbers ?? []) {
      const e164 = toE164(phone);
      if (!e164) throw new MirraError('MIRRA_ERR_INVALID_SEED', `messagingServices: ${phone} is not a phone number`);
      const owned = findOwnedNumber(session, e164) ?? session.collection<IncomingNumberRecord>(INCOMING_NUMBERS).insert(newIncomingNumber({ phoneNumber: e164 }, now));
      // A number belongs to at most one service, as on Twilio (21712).
      if (pool.has(owned.sid)) throw new MirraError('MIRRA_ERR_INVALID_SEED', `messagingServices: ${e164} is in two pools`);
      pool.insert({ sid: owned.sid, serviceSid: service.sid, phoneNumber: owned.phoneNumber, dateCreated: now, dateUpdated: now });
    }
  }
}

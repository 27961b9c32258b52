/**
 * What a served recording does to Messaging Services: replayed services and their sender pools
 * become the emulator's records; a service that existed before the recording (a seeded one) is
 * found by its friendly name.
 */
import type { ReplayHooks, ServedAnswer } from '../../core/resource-module';
import type { Session } from '../../session/session';
import { dateOf, isObject, isSuccess, listItems, overlay } from '../representation';
import { newMessagingService } from './seed';
import { MESSAGING_SERVICES, SERVICE_POOL, type MessagingServiceRecord, type PoolMemberRecord } from './types';

type Served = ServedAnswer;

const SERVICES = /^\/v1\/Services$/;
const SERVICE = /^\/v1\/Services\/(MG[0-9a-f]{32})$/;
const POOL = /^\/v1\/Services\/(MG[0-9a-f]{32})\/PhoneNumbers$/;
const POOL_ONE = /^\/v1\/Services\/(MG[0-9a-f]{32})\/PhoneNumbers\/(PN[0-9a-f]{32})$/;

/** A messaging-service record from a served representation. */
export function serviceFromJson(json: Record<string, unknown>, prev: MessagingServiceRecord | undefined, now: number): MessagingServiceRecord {
  const base = prev ?? newMessagingService({ friendlyName: String(json.friendly_name ?? '') }, now);
  const next = overlay(base, json);
  next.sid = String(json.sid);
  return next;
}

function applyServices(session: Session, served: Served): boolean {
  const one = SERVICE.exec(served.path);
  const list = SERVICES.test(served.path);
  const pool = POOL.exec(served.path);
  const member = POOL_ONE.exec(served.path);
  if (!one && !list && !pool && !member) return false;
  const gone = served.status === 404 || (served.method === 'DELETE' && isSuccess(served.status));
  const services = session.collection<MessagingServiceRecord>(MESSAGING_SERVICES);
  const members = session.collection<PoolMemberRecord>(SERVICE_POOL);
  if (gone) {
    if (one) services.delete(one[1]);
    if (member) members.delete(member[2]);
    return true;
  }
  if (!isSuccess(served.status)) return true;
  const upsertService = (json: Record<string, unknown>) => {
    if (typeof json.sid === 'string') services.update(serviceFromJson(json, services.get(json.sid), served.now));
  };
  const upsertMember = (json: Record<string, unknown>) => {
    if (typeof json.sid !== 'string' || typeof json.service_sid !== 'string') return;
    const created = dateOf(json.date_created, served.now);
    const phoneNumber = typeof json.phone_number === 'string' ? json.phone_number : '';
    members.update({ sid: json.sid, serviceSid: json.service_sid, phoneNumber, dateCreated: created, dateUpdated: dateOf(json.date_updated, created) });
  };
  if (one || list) {
    if (list && served.method === 'GET') listItems(served.body, 'services').forEach(upsertService);
    else if (isObject(served.body)) upsertService(served.body);
  } else if (pool && served.method === 'GET') listItems(served.body, 'phone_numbers').forEach(upsertMember);
  else if (isObject(served.body)) upsertMember(served.body);
  return true;
}

/** The services' replay hooks. */
export const serviceReplay: ReplayHooks = {
  apply: (session, served) => applyServices(session, served),
  resolveExisting(session, prefix, recorded) {
    const name = typeof recorded.friendly_name === 'string' ? recorded.friendly_name : undefined;
    if (prefix !== 'MG' || !name) return undefined;
    return session.collection<MessagingServiceRecord>(MESSAGING_SERVICES).find((s) => s.friendlyName === name)?.sid;
  },
};

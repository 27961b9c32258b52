/**
 * Replayed IncomingPhoneNumbers (a purchase, fetch, list, update, release) and Messaging Services
 * (and their sender pools) become the emulator's records, so bought numbers are owned numbers a
 * later message can be sent from, and the emulator's fetch and list agree with the replay.
 */
import type { Session } from '../session/session';
import { MESSAGING_SERVICES, SERVICE_POOL, type MessagingServiceRecord, type PoolMemberRecord } from '../twilio/messaging-services/types';
import { newMessagingService } from '../twilio/messaging-services/seed';
import { newIncomingNumber } from '../twilio/numbers/seed';
import { INCOMING_NUMBERS, type IncomingNumberRecord } from '../twilio/numbers/types';
import { dateOf, isObject, isSuccess, listItems, overlay, type Served } from './apply';

const NUMBERS = /^\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/IncomingPhoneNumbers(?:\/(Local|Mobile|TollFree))?\.json$/;
const NUMBER = /^\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/IncomingPhoneNumbers\/(PN[0-9a-f]{32})\.json$/;
const SERVICES = /^\/v1\/Services$/;
const SERVICE = /^\/v1\/Services\/(MG[0-9a-f]{32})$/;
const POOL = /^\/v1\/Services\/(MG[0-9a-f]{32})\/PhoneNumbers$/;
const POOL_ONE = /^\/v1\/Services\/(MG[0-9a-f]{32})\/PhoneNumbers\/(PN[0-9a-f]{32})$/;

const TYPES: Record<string, IncomingNumberRecord['type']> = { Local: 'local', Mobile: 'mobile', TollFree: 'tollfree' };

/** An owned-number record from a served representation. */
export function numberFromJson(json: Record<string, unknown>, prev: IncomingNumberRecord | undefined, now: number, type?: string): IncomingNumberRecord {
  const base = prev ?? newIncomingNumber({ phoneNumber: String(json.phone_number) }, now);
  const next = overlay(base, json);
  next.sid = String(json.sid);
  if (type && TYPES[type]) next.type = TYPES[type];
  if (isObject(json.capabilities)) {
    const c = json.capabilities;
    const flag = (k: string) => Boolean(c[k] ?? c[k.toUpperCase()]);
    next.capabilities = { voice: flag('voice'), sms: flag('sms'), mms: flag('mms'), fax: flag('fax') };
  }
  return next;
}

function applyNumbers(session: Session, served: Served): boolean {
  const one = NUMBER.exec(served.path);
  const list = NUMBERS.exec(served.path);
  if (!one && !list) return false;
  const numbers = session.collection<IncomingNumberRecord>(INCOMING_NUMBERS);
  if (one && (served.status === 404 || (served.method === 'DELETE' && isSuccess(served.status)))) {
    numbers.delete(one[1]);
    return true;
  }
  if (!isSuccess(served.status)) return true;
  const upsert = (json: Record<string, unknown>) => {
    if (typeof json.sid !== 'string' || typeof json.phone_number !== 'string') return;
    numbers.update(numberFromJson(json, numbers.get(json.sid), served.now, list?.[1]));
  };
  if (list && served.method === 'GET') listItems(served.body, 'incoming_phone_numbers').forEach(upsert);
  else if (isObject(served.body)) upsert(served.body);
  return true;
}

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

/** Applies a served numbers or messaging-services response; false for other routes. */
export function applyNumber(session: Session, served: Served): boolean {
  return applyNumbers(session, served) || applyServices(session, served);
}

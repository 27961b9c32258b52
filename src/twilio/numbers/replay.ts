/**
 * What a served recording does to the numbers a session owns: replayed IncomingPhoneNumbers
 * become the emulator's records (bought, fetched, listed, updated), a replayed release removes
 * one; a number that existed before the recording (a seeded one) is found by its phone number.
 */
import type { ReplayHooks, ServedAnswer } from '../../core/resource-module';
import type { Session } from '../../session/session';
import { isObject, isSuccess, listItems, overlay } from '../representation';
import { newIncomingNumber } from './seed';
import { findOwnedNumber, INCOMING_NUMBERS, type IncomingNumberRecord } from './types';

type Served = ServedAnswer;

const NUMBERS = /^\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/IncomingPhoneNumbers(?:\/(Local|Mobile|TollFree))?\.json$/;
const NUMBER = /^\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/IncomingPhoneNumbers\/(PN[0-9a-f]{32})\.json$/;

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

/** The numbers' replay hooks. */
export const numberReplay: ReplayHooks = {
  apply: (session, served) => applyNumbers(session, served),
  resolveExisting: (session, prefix, recorded) =>
    prefix === 'PN' && typeof recorded.phone_number === 'string' ? findOwnedNumber(session, recorded.phone_number)?.sid : undefined,
};

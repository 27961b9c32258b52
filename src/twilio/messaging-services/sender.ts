/**
 * Choosing the sender of a message sent with `MessagingServiceSid` (twilio docs "Sender pool"):
 * a recipient keeps the sender it got before (sticky sender), else a pool number sharing the
 * recipient's area code (area code geomatch), else the pool is used round-robin.
 */
import type { Session } from '../../session/session';
import { areaCodeOf } from '../phone';
import { poolOf, type MessagingServiceRecord } from './types';

/** The sender for `to` from the service's pool, or null when the pool is empty. */
export function pickSender(session: Session, service: MessagingServiceRecord, to: string): string | null {
  const pool = poolOf(session, service.sid).map((m) => m.phoneNumber);
  if (pool.length === 0) return null;
  const stickyKey = `sticky:${service.sid}:${to}`;
  if (service.stickySender) {
    const previous = session.getMeta<string>(stickyKey);
    if (previous && pool.includes(previous)) return previous;
  }
  let chosen: string | undefined;
  const area = areaCodeOf(to);
  if (service.areaCodeGeomatch && area) chosen = pool.find((n) => areaCodeOf(n) === area);
  if (!chosen) {
    const rrKey = `round-robin:${service.sid}`;
    const next = session.getMeta<number>(rrKey) ?? 0;
    chosen = pool[next % pool.length];
    session.setMeta(rrKey, next + 1);
  }
  if (service.stickySender) session.setMeta(stickyKey, chosen);
  return chosen;
}

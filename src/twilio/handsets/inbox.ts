/**
 * What each phone number (or email address) "received": the mirror's stand-in for a person reading
 * their phone. Delivered messages and Verify codes land here; `GET /_mirra/messages?to=` reads it.
 * LIMITATION: a session keeps its newest {@link INBOX_LIMIT} items, across all recipients.
 */
import type { Session } from '../../session/session';
import type { Ring } from '../../session/ring';
import { newId } from '../sid';

/** One received item. */
export interface InboxItem {
  sid: string;
  to: string;
  from: string | null;
  body: string;
  channel: 'sms' | 'mms' | 'whatsapp' | 'call' | 'email';
  /** The resource that produced it (a message SID, a verification SID). */
  sourceSid: string;
  mediaUrls: string[];
  receivedAt: number;
}

const INBOX = 'inbox';

/**
 * How many items a session's inbox keeps: the newest, the oldest dropped first. Every delivered
 * message is an item, so an unbounded inbox grew with every create of a long run (and every read of
 * it scans it); a test reads what arrived last.
 */
export const INBOX_LIMIT = 1000;

/** Sessions whose inbox is known to be in the ring layout. */
const current = new WeakSet<Session>();

/**
 * The session's inbox. Earlier versions kept it as a collection trimmed after each delivery; a
 * session they stored has its items moved into the ring the first time it is used.
 */
function inboxOf(session: Session): Ring<InboxItem> {
  const ring = session.ring<InboxItem>(INBOX, INBOX_LIMIT);
  if (current.has(session)) return ring;
  const earlier = [...session.collection<InboxItem>(INBOX).list()];
  if (earlier.length === 0) {
    current.add(session);
    return ring;
  }
  // Not marked current yet: should a transaction around this undo the move, the next use moves again.
  session.transaction(() => {
    for (const item of earlier.slice(-INBOX_LIMIT)) ring.append(item);
    session.dropCollection(INBOX);
  });
  return ring;
}

/** Puts an item in the recipient's inbox (the session's oldest dropped beyond {@link INBOX_LIMIT}). */
export function deliverToInbox(session: Session, item: Omit<InboxItem, 'sid'>): InboxItem {
  return inboxOf(session).append({ sid: newId(), ...item });
}

/** Items received by `to` (all when omitted), oldest first; optionally of some channels only. */
export function readInbox(session: Session, to?: string, channels?: InboxItem['channel'][]): InboxItem[] {
  return inboxOf(session).list((i) => (to === undefined || i.to === to) && (!channels || channels.includes(i.channel)));
}

/** Removes an item whose delivery failed after all (Verify's `verify.delivery_failed`). */
export function withdrawFromInbox(session: Session, sid: string): boolean {
  return inboxOf(session).delete(sid);
}

/**
 * What each phone number (or email address) "received": the mirror's stand-in for a person reading
 * their phone. Delivered messages and Verify codes land here; `GET /_mirra/messages?to=` reads it.
 */
import type { Session } from '../../session/session';
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

/** Puts an item in the recipient's inbox. */
export function deliverToInbox(session: Session, item: Omit<InboxItem, 'sid'>): InboxItem {
  return session.collection<InboxItem>(INBOX).insert({ sid: newId(), ...item });
}

/** Items received by `to` (all when omitted), oldest first; optionally of some channels only. */
export function readInbox(session: Session, to?: string, channels?: InboxItem['channel'][]): InboxItem[] {
  return [
    ...session.collection<InboxItem>(INBOX).list({
      filter: (i) => (to === undefined || i.to === to) && (!channels || channels.includes(i.channel)),
    }),
  ];
}

/** Removes an item whose delivery failed after all (Verify's `verify.delivery_failed`). */
export function withdrawFromInbox(session: Session, sid: string): boolean {
  return session.collection<InboxItem>(INBOX).delete(sid);
}

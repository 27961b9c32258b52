/**
 * Opt-outs: a recipient who texted STOP (or a synonym) to a sender may not be messaged from it until
 * START (Twilio's default opt-out handling; error 21610). Inbound handling records them here.
 */
import type { Session } from '../../session/session';

const PREFIX = 'opt-out:';

function key(sender: string, to: string): string {
  return `${PREFIX}${sender}:${to}`;
}

/**
 * Per session, every pair that may be opted out: those stored when the session was first asked,
 * plus every STOP since. Every create asks, and almost no pair ever opted out, so a pair not here
 * is answered without a store read; one here is confirmed by the store (a START may have ended it).
 */
const mayBeOptedOut = new WeakMap<Session, Set<string>>();

function candidates(session: Session): Set<string> {
  let known = mayBeOptedOut.get(session);
  if (!known) {
    known = new Set(session.metaNames(PREFIX));
    mayBeOptedOut.set(session, known);
  }
  return known;
}

function storedOptOut(session: Session, k: string): boolean {
  return candidates(session).has(k) && session.getMeta<boolean>(k) === true;
}

/** True when `to` opted out of messages from `sender` (or from the service `serviceSid`). */
export function isOptedOut(session: Session, sender: string, to: string, serviceSid: string | null): boolean {
  return storedOptOut(session, key(sender, to)) || (serviceSid !== null && storedOptOut(session, key(serviceSid, to)));
}

/** Records an opt-out (STOP) or opt-in (START) of `to` from `sender` (a number or a service SID). */
export function setOptOut(session: Session, sender: string, to: string, optedOut: boolean): void {
  if (optedOut) candidates(session).add(key(sender, to));
  session.setMeta(key(sender, to), optedOut);
}

/**
 * Opt-outs: a recipient who texted STOP (or a synonym) to a sender may not be messaged from it until
 * START (Twilio's default opt-out handling; error 21610). Inbound handling records them here.
 */
import type { Session } from '../../session/session';

function key(sender: string, to: string): string {
  return `opt-out:${sender}:${to}`;
}

/** True when `to` opted out of messages from `sender` (or from the service `serviceSid`). */
export function isOptedOut(session: Session, sender: string, to: string, serviceSid: string | null): boolean {
  return session.getMeta<boolean>(key(sender, to)) === true || (serviceSid !== null && session.getMeta<boolean>(key(serviceSid, to)) === true);
}

/** Records an opt-out (STOP) or opt-in (START) of `to` from `sender` (a number or a service SID). */
export function setOptOut(session: Session, sender: string, to: string, optedOut: boolean): void {
  session.setMeta(key(sender, to), optedOut);
}

/**
 * Sending a reply to an inbound message (a TwiML `<Message>`, or Twilio's automatic STOP/START/HELP
 * answer) through the Messages API's own path: the same validation and errors (`createMessage`),
 * the same timeline (`scheduleTimeline`), only with direction `outbound-reply`.
 */
import type { Schedule } from '../../core/ports';
import type { Session } from '../../session/session';
import type { Params } from '../form';
import { scheduleTimeline } from '../messages/effects';
import { createMessage, type OptOutCheck } from '../messages/model';
import { isOptedOut } from '../messages/opt-out';
import { MESSAGES, type MessageRecord } from '../messages/types';

/** Meta key listing the replies an inbound message produced (for the simulate answer). */
function repliesKey(inboundSid: string): string {
  return `inbound-replies:${inboundSid}`;
}

/**
 * Creates and schedules an outbound reply from Messages-API `params` (To, From, Body, MediaUrl,
 * StatusCallback, MessagingServiceSid). Throws the API's TwilioError (21610, 21606, ...) when the
 * API would refuse it. `optedOut` is replaced only for Twilio's own opt-out confirmation.
 */
export function sendReply(ports: { schedule: Schedule }, session: Session, inboundSid: string, params: Params, optedOut: OptOutCheck = isOptedOut): MessageRecord {
  const now = session.clock.now();
  const reply = createMessage(session, params, now, optedOut, 'outbound-reply');
  scheduleTimeline(ports, session, reply);
  session.setMeta(repliesKey(inboundSid), [...(session.getMeta<string[]>(repliesKey(inboundSid)) ?? []), reply.sid]);
  return reply;
}

/** The replies sent so far to an inbound message, oldest first (deleted ones left out). */
export function repliesTo(session: Session, inboundSid: string): MessageRecord[] {
  const messages = session.collection<MessageRecord>(MESSAGES);
  // As stored: what each reply was when it was sent (a service reply is `accepted`, as its create answer).
  return (session.getMeta<string[]>(repliesKey(inboundSid)) ?? []).flatMap((sid) => messages.get(sid) ?? []);
}

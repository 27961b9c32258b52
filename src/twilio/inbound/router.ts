/**
 * Another resource taking an inbound message before the number's webhook (Conversations: an SMS
 * from a participant's address to its proxy address belongs to that conversation, and Twilio
 * sends the number no webhook for it).
 */
import type { Session } from '../../session/session';

/**
 * Takes an inbound SMS: resolves with what it made of it (a conversation message), or undefined
 * when it is not its to take.
 */
export type InboundRouter = (session: Session, sms: { sid: string; from: string; to: string; body: string }) => Promise<unknown>;

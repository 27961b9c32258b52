/**
 * SMS participants (`MessagingBinding.Address` + `MessagingBinding.ProxyAddress`): the bridge
 * between a conversation and Messages (docs/conversations/conversations-with-sms).
 *
 * - Out: a message added to the conversation is sent as an SMS from the proxy address to each SMS
 *   participant (not to the one who wrote it), through the Messages model, so it has a Message
 *   SID, a timeline and lands in the recipient's inbox (`GET /_mirra/messages?to=`).
 * - In: an inbound SMS from a participant's address to its proxy address belongs to that
 *   conversation (./index.ts adds it there instead of calling the number's webhook).
 *
 * LIMITATIONS: WhatsApp bindings are stored, not bridged; no delivery receipts
 * (`onDeliveryUpdated`, `…/Receipts`) and no group MMS (`ProjectedAddress`).
 */
import type { ReportError, Schedule } from '../../core/ports';
import type { Session } from '../../session/session';
import { TwilioError } from '../errors';
import { operation, type GenericScope } from '../generic/engine-api';
import { scheduleTimeline } from '../messages/effects';
import { createMessage } from '../messages/model';
import { isOptedOut } from '../messages/opt-out';

type Json = Record<string, unknown>;

/** A participant's SMS binding, when it has one. */
export function smsBinding(participant: Json): { address: string; proxyAddress: string } | undefined {
  const b = participant.messaging_binding as Json | null | undefined;
  if (!b || b.type !== 'sms' || typeof b.address !== 'string' || typeof b.proxy_address !== 'string') return undefined;
  return { address: b.address, proxyAddress: b.proxy_address };
}

/** Sends `message` to the conversation's SMS participants (those who did not write it). */
export function sendToSmsParticipants(ports: { schedule: Schedule; report: ReportError }, session: Session, participants: Json[], message: Json): string[] {
  const body = typeof message.body === 'string' ? message.body : '';
  const sent: string[] = [];
  if (!body) return sent; // media-only messages are not bridged (LIMITATIONS)
  for (const participant of participants) {
    const binding = smsBinding(participant);
    if (!binding || message.author === binding.address || message.participant_sid === participant.sid) continue;
    try {
      const sms = createMessage(session, { To: binding.address, From: binding.proxyAddress, Body: body }, session.clock.now(), isOptedOut);
      scheduleTimeline(ports, session, sms);
      sent.push(sms.sid);
    } catch (err) {
      // The conversation message stands; the SMS Twilio could not send is reported, as its debugger would.
      if (!(err instanceof TwilioError)) throw err;
      ports.report(err, `conversation message ${String(message.sid)} to ${binding.address}`);
    }
  }
  return sent;
}

/** Where an inbound SMS belongs: the conversation (and service) of the participant it comes from. */
export interface SmsRoute {
  conversationSid: string;
  /** Set for a conversation of a non-default service (`/v1/Services/{IS}/Conversations/…`). */
  serviceSid?: string;
  participant: Json;
}

/**
 * The conversation an SMS from `from` to `to` belongs to: one with a participant bound to that
 * address through that proxy address, not closed. Participants of the default service are
 * looked at first, then those of every service.
 */
export function routeSms(scope: GenericScope, from: string, to: string): SmsRoute | undefined {
  const kinds: [string, string, boolean][] = [
    ['conversations_v1.FetchConversationParticipant', 'conversations_v1.FetchConversation', false],
    ['conversations_v1.FetchServiceConversationParticipant', 'conversations_v1.FetchServiceConversation', true],
  ];
  for (const [participantOp, conversationOp, inService] of kinds) {
    const participantType = operation('conversations', participantOp).type!.n;
    const conversationType = operation('conversations', conversationOp).type!.n;
    for (const p of scope.store.all(participantType)) {
      const b = p.data.messaging_binding as Json | null | undefined;
      if (p.deleted || !b || b.address !== from || b.proxy_address !== to) continue;
      const ancestors = p.parent.split('/');
      const conversationSid = ancestors[ancestors.length - 1]!;
      const serviceSid = inService ? ancestors[0] : undefined;
      const conversation = scope.store.get(conversationType, inService ? serviceSid! : '', conversationSid);
      if (!conversation || conversation.deleted || conversation.data.state === 'closed') continue;
      return { conversationSid, serviceSid, participant: { ...p.data, sid: p.key } };
    }
  }
  return undefined;
}

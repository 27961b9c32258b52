/**
 * Conversations webhook events and their parameters (docs/conversations/conversations-webhooks;
 * twilio-voice-and-more.md §11), as pure functions of the resources the API answers with.
 *
 * - Pre-events (`onMessageAdd`, …) go to the global or service `PreWebhookUrl` before the action;
 *   post-events (`onMessageAdded`, …) to its `PostWebhookUrl` and to the conversation's scoped
 *   webhooks, after it.
 * - Every event carries `AccountSid`, `EventType`, `Source`, `ChatServiceSid` and
 *   `ConversationSid`; a scoped webhook's adds `RetryCount`, `WebhookSid` and `WebhookType`.
 * - Null values are left out (a form has no null).
 */
import type { FormParams } from '../../signing/signature';

/** The pre-events a global or service webhook may refuse, with the post-event each precedes. */
export const PRE_EVENTS = {
  onConversationAdd: 'onConversationAdded',
  onConversationUpdate: 'onConversationUpdated',
  onConversationRemove: 'onConversationRemoved',
  onMessageAdd: 'onMessageAdded',
  onMessageUpdate: 'onMessageUpdated',
  onMessageRemove: 'onMessageRemoved',
  onParticipantAdd: 'onParticipantAdded',
  onParticipantUpdate: 'onParticipantUpdated',
  onParticipantRemove: 'onParticipantRemoved',
} as const;

export type PreEvent = keyof typeof PRE_EVENTS;
export type PostEvent = (typeof PRE_EVENTS)[PreEvent] | 'onConversationStateUpdated';

/** Every event name a webhook's filters may list (the spec's `Filters` description). */
export const EVENT_NAMES: ReadonlySet<string> = new Set([
  ...Object.keys(PRE_EVENTS),
  ...Object.values(PRE_EVENTS),
  'onConversationStateUpdated',
  'onDeliveryUpdated',
  'onUserAdded',
  'onUserUpdate',
  'onUserUpdated',
]);

/** Where an action came from: the REST API, or a channel (an inbound SMS). */
export type EventSource = 'API' | 'SMS';

type Json = Record<string, unknown>;

/** Form values of `pairs`: text as it is, objects and arrays as JSON, null and undefined left out. */
function form(pairs: Record<string, unknown>): FormParams {
  const out: FormParams = {};
  for (const [k, v] of Object.entries(pairs)) {
    if (v === null || v === undefined) continue;
    out[k] = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return out;
}

/** The parameters every event carries. */
export function commonParams(accountSid: string, event: string, source: EventSource, chatServiceSid: unknown, conversationSid: unknown): FormParams {
  return form({ AccountSid: accountSid, EventType: event, Source: source, ChatServiceSid: chatServiceSid, ConversationSid: conversationSid });
}

/** A Conversation's event parameters, from its JSON. */
export function conversationParams(c: Json): FormParams {
  return form({
    FriendlyName: c.friendly_name,
    UniqueName: c.unique_name,
    Attributes: c.attributes,
    DateCreated: c.date_created,
    DateUpdated: c.date_updated,
    State: c.state,
    MessagingServiceSid: c.messaging_service_sid,
  });
}

/** A Message's event parameters, from its JSON. */
export function messageParams(m: Json): FormParams {
  return form({
    MessageSid: m.sid,
    Index: m.index,
    Author: m.author,
    Body: m.body,
    Attributes: m.attributes,
    ParticipantSid: m.participant_sid,
    DateCreated: m.date_created,
    DateUpdated: m.date_updated,
    Media: m.media,
  });
}

/** A Participant's event parameters, from its JSON (`MessagingBinding.*` for an SMS participant). */
export function participantParams(p: Json): FormParams {
  const binding = (p.messaging_binding ?? {}) as Json;
  return form({
    ParticipantSid: p.sid,
    Identity: p.identity,
    RoleSid: p.role_sid,
    Attributes: p.attributes,
    DateCreated: p.date_created,
    DateUpdated: p.date_updated,
    LastReadMessageIndex: p.last_read_message_index,
    'MessagingBinding.Address': binding.address,
    'MessagingBinding.ProxyAddress': binding.proxy_address,
    'MessagingBinding.ProjectedAddress': binding.projected_address,
    'MessagingBinding.Type': binding.type,
  });
}

/**
 * A pre-event's parameters from the request about to be carried out: the form as the API was
 * given it (`Body`, `Author`, `FriendlyName`, …), the request's own names being the events' too.
 */
export function requestParams(formParams: Record<string, string | string[] | undefined>, names: readonly string[]): FormParams {
  const out: FormParams = {};
  for (const name of names) {
    const v = formParams[name];
    if (v !== undefined) out[name] = v;
  }
  return out;
}

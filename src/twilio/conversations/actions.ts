/**
 * A Conversations action (add, update, remove a Conversation, a Message or a Participant) with its
 * effects around the generic engine's CRUD:
 *
 *   pre-event (may refuse or change it) → the engine → Twilio's starting values → post-events
 *   → a new message to the conversation's SMS participants
 *
 * Webhooks fire for actions from a channel (an inbound SMS) and, from the REST API, only when the
 * request carries `X-Twilio-Webhook-Enabled: true` (§11; support article 4403669397019). SMS
 * participants get a new message whatever its source.
 *
 * A Conversation's `UniqueName` is unique in its service (409/50353) and is no SID (400/50390).
 *
 * Starting values Twilio gives and the spec's schema does not (docs/generic-engine.md): a new
 * Conversation is `active` with `attributes` "{}" and `timers` {}, in the account's default
 * Conversation Service; a Message gets the next `index` of its conversation, `author` "system"
 * when none is given, and the `participant_sid` of the participant its author is; an SMS
 * participant's `messaging_binding` has `type` "sms".
 */
import type { Outbox, ReportError, Schedule } from '../../core/ports';
import { twilioError } from '../errors';
import type { Session } from '../../session/session';
import type { FormParams } from '../../signing/signature';
import { callEngine, operation, patchRecord, runGeneric, type GenericOperation, type GenericRequest, type GenericResponse } from '../generic/engine-api';
import { newSid } from '../sid';
import { sendToSmsParticipants } from './bridge';
import { conversationParams, messageParams, participantParams, PRE_EVENTS, requestParams, type EventSource, type PreEvent } from './events';
import type { PreEventAnswers } from './deliveries';
import { scopedWebhooks, sendPostEvent, sendPreEvent, type EventScope } from './webhooks';

/** What actions need: the outbox for webhooks, the scheduler for bridged SMS, the error report. */
export interface ActionPorts {
  outbox: Outbox;
  schedule: Schedule;
  report: ReportError;
  answers: PreEventAnswers;
}

export type Resource = 'conversation' | 'message' | 'participant';
export type ActionKind = 'create' | 'update' | 'delete';

type Json = Record<string, unknown>;
type Scope = EventScope['scope'];

const VERBS: Record<ActionKind, string> = { create: 'Add', update: 'Update', delete: 'Remove' };
const NOUNS: Record<Resource, string> = { conversation: 'Conversation', message: 'Message', participant: 'Participant' };

/** The request parameters a pre-event repeats, by resource. */
const REQUEST_NAMES: Record<Resource, readonly string[]> = {
  conversation: ['FriendlyName', 'UniqueName', 'Attributes', 'MessagingServiceSid', 'State'],
  message: ['Author', 'Body', 'Attributes'],
  participant: ['Identity', 'RoleSid', 'Attributes', 'MessagingBinding.Address', 'MessagingBinding.ProxyAddress', 'MessagingBinding.ProjectedAddress'],
};

/** What a pre-event's answer may change, answer field → request parameter. */
const CHANGES: Record<Resource, Record<string, string>> = {
  conversation: { friendly_name: 'FriendlyName', unique_name: 'UniqueName', attributes: 'Attributes', state: 'State', date_created: 'DateCreated', date_updated: 'DateUpdated' },
  message: { body: 'Body', author: 'Author', attributes: 'Attributes', date_created: 'DateCreated' },
  participant: { attributes: 'Attributes', role_sid: 'RoleSid', date_created: 'DateCreated' },
};

/** Starting values of a create the request leaves out. */
const CREATE_DEFAULTS: Record<Resource, Record<string, string>> = {
  conversation: { State: 'active', Attributes: '{}' },
  message: { Author: 'system', Attributes: '{}' },
  participant: { Attributes: '{}' },
};

const PARAMS_OF: Record<Resource, (j: Json) => FormParams> = { conversation: conversationParams, message: messageParams, participant: participantParams };

/** The account's default Conversation Service (`IS…`), stable per session. */
function defaultServiceSid(session: Session): string {
  let sid = session.getMeta<string>('conversations-default-service');
  if (!sid) session.setMeta('conversations-default-service', (sid = newSid('IS')));
  return sid;
}

/** The conversation an action is about (before it: undefined for a new one), read through the engine. */
function eventScopeOf(scope: Scope, resource: Resource, request: GenericRequest, source: EventSource): EventScope {
  const service = request.pathParams.ChatServiceSid;
  const key = resource === 'conversation' ? request.pathParams.Sid : request.pathParams.ConversationSid;
  const base = service ? `/v1/Services/${encodeURIComponent(service)}/Conversations` : '/v1/Conversations';
  const conversation = key ? callEngine(scope, 'conversations', 'GET', `${base}/${encodeURIComponent(key)}`) : undefined;
  const ev: EventScope = { scope, pathServiceSid: service, source };
  if (conversation) Object.assign(ev, { conversationSid: conversation.sid, chatServiceSid: conversation.chat_service_sid, conversationPath: `${base}/${String(conversation.sid)}` });
  return ev;
}

/** `changes` (a pre-event's answer) as request parameters. */
function changedParams(resource: Resource, changes: Json | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, param] of Object.entries(CHANGES[resource])) {
    const camel = field.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    const value = changes?.[field] ?? changes?.[param] ?? changes?.[camel];
    if (value !== undefined && value !== null) out[param] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return out;
}

/**
 * A Conversation's unique name must be its own: 400/50390 when shaped like a SID (it would shadow
 * one), 409/50353 when another Conversation of the service has it.
 */
function checkUniqueName(scope: Scope, request: GenericRequest, form: Record<string, string | string[] | undefined>, ownSid: unknown): void {
  const raw = form.UniqueName;
  const name = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  if (!name) return;
  if (/^CH[0-9a-fA-F]{32}$/.test(name)) throw twilioError(50390);
  const service = request.pathParams.ChatServiceSid;
  const base = service ? `/v1/Services/${encodeURIComponent(service)}/Conversations` : '/v1/Conversations';
  const holder = callEngine(scope, 'conversations', 'GET', `${base}/${encodeURIComponent(name)}`);
  if (holder && holder.sid !== ownSid) throw twilioError(50353);
}

/** True when the API client asked for webhooks (`X-Twilio-Webhook-Enabled: true`). */
function webhooksAsked(request: GenericRequest): boolean {
  const raw = request.headers?.['x-twilio-webhook-enabled'];
  return String(Array.isArray(raw) ? raw[0] : (raw ?? '')).toLowerCase() === 'true';
}

/** The index a new message of a conversation gets: one past the highest of the others. */
function nextIndex(scope: Scope, op: GenericOperation, parent: string, own: string): number {
  let next = 0;
  for (const m of scope.store.list(op.type!.n, parent)) if (m.key !== own && typeof m.data.index === 'number') next = Math.max(next, m.data.index + 1);
  return next;
}

/** The participants of a conversation (JSON as the API answers them). */
export function participantsOf(scope: Scope, conversationPath: string): Json[] {
  const page = callEngine(scope, 'conversations', 'GET', `${conversationPath}/Participants`, { query: { PageSize: '1000' } });
  return Array.isArray(page?.participants) ? (page.participants as Json[]) : [];
}

/** Twilio's starting values of a new instance the spec leaves to its schema; the record answered afterwards. */
function completeCreate(scope: Scope, op: GenericOperation, resource: Resource, request: GenericRequest, created: Json, ev: EventScope, participantSid?: string): Json {
  const pathParams = { ...request.pathParams, Sid: String(created.sid) };
  const fetch = operation('conversations', op.id.replace(/^conversations_v1\.Create/, 'conversations_v1.Fetch'));
  const patch: Json = {};
  if (resource === 'conversation') {
    patch.chat_service_sid = request.pathParams.ChatServiceSid ?? defaultServiceSid(scope.session);
    if (created.timers === null) patch.timers = {};
  }
  if (resource === 'message') {
    const record = patchRecord(fetch, pathParams, scope, {});
    patch.index = record ? nextIndex(scope, fetch, record.parent, record.key) : 0;
    const author = created.author;
    const participants = ev.conversationPath ? participantsOf(scope, ev.conversationPath) : [];
    const own = participantSid ?? participants.find((p) => p.identity === author || (p.messaging_binding as Json | null)?.address === author)?.sid;
    if (own) patch.participant_sid = own;
  }
  if (resource === 'participant' && created.messaging_binding && typeof created.messaging_binding === 'object') {
    const binding = created.messaging_binding as Json;
    if (typeof binding.address === 'string') patch.messaging_binding = { ...binding, type: binding.address.startsWith('whatsapp:') ? 'whatsapp' : 'sms' };
  }
  patchRecord(fetch, pathParams, scope, patch);
  const path = `${request.path}/${String(created.sid)}`;
  return callEngine(scope, 'conversations', 'GET', path) ?? created;
}

/**
 * Runs the action `op` is (`resource`, `kind`) for `request`, with its webhooks and effects.
 * `participantSid`: the participant an inbound SMS comes from.
 */
export async function runAction(ports: ActionPorts, op: GenericOperation, resource: Resource, kind: ActionKind, request: GenericRequest, scope: Scope, source: EventSource, participantSid?: string): Promise<GenericResponse> {
  const ev = eventScopeOf(scope, resource, request, source);
  const enabled = source !== 'API' || webhooksAsked(request);
  const pre = `on${NOUNS[resource]}${VERBS[kind]}` as PreEvent;
  // What is about to change or go, as the API shows it now (its removal takes scoped webhooks along).
  const before = kind === 'create' ? undefined : callEngine(scope, 'conversations', 'GET', request.path ?? '');
  const hooksBefore = enabled && resource === 'conversation' && kind === 'delete' ? scopedWebhooks(ev) : undefined;
  let changes: Json | undefined;
  if (enabled) {
    const known = before ? PARAMS_OF[resource](before) : {};
    const extra: FormParams = participantSid && resource === 'message' ? { ParticipantSid: participantSid } : {};
    changes = await sendPreEvent(ports.outbox, ports.answers, ev, pre, { ...known, ...requestParams(request.form, REQUEST_NAMES[resource]), ...extra });
  }
  const form = { ...(kind === 'create' ? CREATE_DEFAULTS[resource] : {}), ...request.form, ...changedParams(resource, changes) };
  if (resource === 'conversation' && kind !== 'delete') checkUniqueName(scope, request, form, before?.sid);
  const answer = runGeneric(op, { ...request, form }, scope);
  let body = answer.body as Json | null;
  if (kind === 'create' && body) {
    if (resource === 'conversation') Object.assign(ev, { conversationSid: body.sid, conversationPath: `${request.path}/${String(body.sid)}` });
    body = completeCreate(scope, op, resource, request, body, ev, participantSid);
    if (resource === 'conversation') ev.chatServiceSid = body.chat_service_sid;
  }
  const subject = body ?? before;
  if (enabled && subject) {
    sendPostEvent(ports.outbox, ev, PRE_EVENTS[pre], PARAMS_OF[resource](subject), hooksBefore);
    const stateFrom = before?.state;
    if (resource === 'conversation' && kind === 'update' && body && stateFrom !== undefined && stateFrom !== body.state) {
      sendPostEvent(ports.outbox, ev, 'onConversationStateUpdated', { StateFrom: String(stateFrom), StateTo: String(body.state), Reason: 'API' });
    }
  }
  if (resource === 'message' && kind === 'create' && body && ev.conversationPath) {
    sendToSmsParticipants(ports, scope.session, participantsOf(scope, ev.conversationPath), body);
  }
  return { ...answer, body };
}

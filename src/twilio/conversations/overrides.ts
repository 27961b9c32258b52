/**
 * The Conversations operations mirra decorates (./actions.ts), by operation id, for the default
 * service's paths (`/v1/Conversations/…`) and a service's (`/v1/Services/{IS}/Conversations/…`);
 * scoped webhooks' `Configuration.Filters` checked (50365); and an inbound SMS added to the
 * conversation of the participant it comes from.
 */
import type { Session } from '../../session/session';
import { twilioError, TwilioError } from '../errors';
import { fillTemplate, operation, patchRecord, plantRecord, scopeOfSession, type GenericHandler, type GenericRequest } from '../generic/engine-api';
import { runAction, type ActionKind, type ActionPorts, type Resource } from './actions';
import { routeSms } from './bridge';
import { EVENT_NAMES } from './events';

/** The decorated operations: operationId (less `Service`) → resource and action. */
const ACTIONS: Record<string, [Resource, ActionKind]> = {
  CreateConversation: ['conversation', 'create'],
  UpdateConversation: ['conversation', 'update'],
  DeleteConversation: ['conversation', 'delete'],
  CreateConversationMessage: ['message', 'create'],
  UpdateConversationMessage: ['message', 'update'],
  DeleteConversationMessage: ['message', 'delete'],
  CreateConversationParticipant: ['participant', 'create'],
  UpdateConversationParticipant: ['participant', 'update'],
  DeleteConversationParticipant: ['participant', 'delete'],
};

/** Scoped-webhook operations whose `Configuration.Filters` must name events. */
const SCOPED_WEBHOOK_WRITES = ['CreateConversationScopedWebhook', 'UpdateConversationScopedWebhook'];

/** 400/50365 for a filter that names no Conversations event, before the engine stores it. */
const checkFilters: GenericHandler = (_op, request, _scope, fallback) => {
  const raw = request.form['Configuration.Filters'];
  for (const filter of raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]) {
    if (!EVENT_NAMES.has(filter)) throw twilioError(50365, { filter });
  }
  return fallback();
};

/** The operation ids of both path forms: `conversations_v1.X` and `conversations_v1.XService…`. */
function bothForms(operationId: string): string[] {
  return [`conversations_v1.${operationId}`, `conversations_v1.${operationId.replace(/^(Create|Update|Delete|Fetch|List)/, '$1Service')}`];
}

/** The global and service webhook configurations (singletons), fetched or updated. */
const CONFIGURATIONS: Record<string, string> = {
  'conversations_v1.FetchConfigurationWebhook': 'conversations_v1.FetchConfigurationWebhook',
  'conversations_v1.UpdateConfigurationWebhook': 'conversations_v1.FetchConfigurationWebhook',
  'conversations_v1.FetchServiceWebhookConfiguration': 'conversations_v1.FetchServiceWebhookConfiguration',
  'conversations_v1.UpdateServiceWebhookConfiguration': 'conversations_v1.FetchServiceWebhookConfiguration',
};

/**
 * A webhook configuration starts with Twilio's `method` POST and no filters (the schema's enum
 * would start it at GET): stored so on first use, then the engine answers.
 */
const configurationDefaults: GenericHandler = (op, request, scope, fallback) => {
  const fetch = operation('conversations', CONFIGURATIONS[op.id]!);
  try {
    if (!patchRecord(fetch, request.pathParams, scope, {})) plantRecord(fetch, request.pathParams, scope, { method: 'POST', filters: [] });
  } catch (err) {
    if (!(err instanceof TwilioError)) throw err; // an unknown service: the engine answers its 404
  }
  return fallback();
};

/** Every Conversations override. */
export function conversationOverrides(ports: ActionPorts): Record<string, GenericHandler> {
  const out: Record<string, GenericHandler> = {};
  for (const [operationId, [resource, kind]] of Object.entries(ACTIONS)) {
    const handler: GenericHandler = (op, request, scope) => runAction(ports, op, resource, kind, request, { ...scope, session: scope.session! }, 'API');
    for (const id of bothForms(operationId)) out[id] = handler;
  }
  for (const operationId of SCOPED_WEBHOOK_WRITES) for (const id of bothForms(operationId)) out[id] = checkFilters;
  for (const id of Object.keys(CONFIGURATIONS)) out[id] = configurationDefaults;
  return out;
}

/**
 * Adds an inbound SMS to the conversation of the participant bound to its sender through the
 * number it was sent to (./bridge.ts): the message as the API answers it, or `{ refused }` when a
 * pre-event webhook refused it; undefined when no conversation has such a participant.
 */
export async function receiveSms(ports: ActionPorts, session: Session, sms: { from: string; to: string; body: string }): Promise<unknown> {
  const scope = scopeOfSession(session);
  const route = routeSms(scope, sms.from, sms.to);
  if (!route) return undefined;
  const id = route.serviceSid ? 'conversations_v1.CreateServiceConversationMessage' : 'conversations_v1.CreateConversationMessage';
  const op = operation('conversations', id);
  const pathParams: Record<string, string> = { ConversationSid: route.conversationSid, ...(route.serviceSid ? { ChatServiceSid: route.serviceSid } : {}) };
  const request: GenericRequest = { pathParams, query: {}, form: { Author: sms.from, Body: sms.body }, path: fillTemplate(op.path, op.pathParams.map((n) => pathParams[n] ?? '')) };
  try {
    return (await runAction(ports, op, 'message', 'create', request, scope, 'SMS', String(route.participant.sid))).body;
  } catch (err) {
    if (!(err instanceof TwilioError)) throw err;
    return { refused: err.toBody() };
  }
}

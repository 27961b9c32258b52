/**
 * Sending Conversations webhooks through the outbox (signed with the session's token, logged,
 * shown by the inspector) to the three scopes of §11 (twilio-voice-and-more.md):
 *
 * 1. the account's global configuration (`/v1/Configuration/Webhooks`) for conversations of the
 *    default service (`/v1/Conversations`), or
 * 2. the service's (`/v1/Services/{IS}/Configuration/Webhooks`) for conversations under it:
 *    `PreWebhookUrl` gets pre-events, `PostWebhookUrl` post-events, `Filters` lists which;
 * 3. the conversation's scoped webhooks (`…/Conversations/{CH}/Webhooks`, `Target=webhook`):
 *    post-events their `Configuration.Filters` list, to `Configuration.Url`.
 *
 * A pre-event is answered before the action happens: a 4xx/5xx answer refuses it (403/20403 to
 * the API client); a 2xx JSON object changes it (`body`, `author`, `attributes`, …); no answer
 * within 5 s lets it proceed unchanged.
 *
 * LIMITATIONS: `Target=flex` (global), `trigger` and `studio` (scoped) deliver nothing;
 * `ReplayAfter` is ignored; post-events are not retried (§11: no retries, UNCONFIRMED).
 */
import type { AttemptResult } from '../../callbacks/send';
import type { Outbox } from '../../core/ports';
import type { Session } from '../../session/session';
import type { FormParams } from '../../signing/signature';
import { twilioError } from '../errors';
import { callEngine, type GenericScope } from '../generic/engine-api';
import { commonParams, type EventSource, type PostEvent, type PreEvent } from './events';
import { POST_KIND, PRE_KIND, PRE_RESPONSE, type PreEventAnswers } from './deliveries';

/** Where an event happens: the session, the conversation and the scopes that hear of it. */
export interface EventScope {
  scope: GenericScope & { session: Session };
  /** The Conversation Service in the request's path (`/v1/Services/{IS}/…`); undefined for the default one. */
  pathServiceSid?: string;
  /** The conversation's path (`/v1/Conversations/CH…`, `/v1/Services/IS…/Conversations/CH…`), once it exists. */
  conversationPath?: string;
  conversationSid?: string;
  /** The conversation's `chat_service_sid`, for the events' `ChatServiceSid`. */
  chatServiceSid?: unknown;
  source: EventSource;
}

type Json = Record<string, unknown>;

/** The global or service webhook configuration of the event's scope. */
function configuration(ev: EventScope): Json | undefined {
  const path = ev.pathServiceSid ? `/v1/Services/${ev.pathServiceSid}/Configuration/Webhooks` : '/v1/Configuration/Webhooks';
  return callEngine(ev.scope, 'conversations', 'GET', path);
}

const listed = (filters: unknown, event: string) => Array.isArray(filters) && filters.some((f) => String(f) === event);
const methodOf = (m: unknown): 'GET' | 'POST' => (String(m ?? 'POST').toUpperCase() === 'GET' ? 'GET' : 'POST');

/** The conversation's scoped webhooks that deliver (`Target=webhook` with a URL). */
export function scopedWebhooks(ev: EventScope): Json[] {
  if (!ev.conversationPath) return [];
  const page = callEngine(ev.scope, 'conversations', 'GET', `${ev.conversationPath}/Webhooks`, { query: { PageSize: '50' } });
  const hooks = Array.isArray(page?.webhooks) ? (page.webhooks as Json[]) : [];
  return hooks.filter((h) => h.target === 'webhook' && typeof (h.configuration as Json | null)?.url === 'string');
}

function refsOf(ev: EventScope, params: FormParams): Record<string, string> {
  const refs: Record<string, string> = {};
  if (ev.conversationSid) refs.conversationSid = ev.conversationSid;
  for (const key of ['MessageSid', 'ParticipantSid'] as const) if (typeof params[key] === 'string') refs[key === 'MessageSid' ? 'messageSid' : 'participantSid'] = params[key] as string;
  return refs;
}

/**
 * Sends a post-event to the configuration's `PostWebhookUrl` and to the scoped webhooks listing it.
 * `hooks` are the scoped webhooks (read before a removal, which takes them with it).
 */
export function sendPostEvent(outbox: Outbox, ev: EventScope, event: PostEvent, params: FormParams, hooks: Json[] = scopedWebhooks(ev)): void {
  const common = commonParams(ev.scope.accountSid, event, ev.source, ev.chatServiceSid, ev.conversationSid);
  const orderKey = `conversation:${ev.conversationSid ?? 'none'}`;
  const config = configuration(ev);
  if (config && config.target !== 'flex' && typeof config.post_webhook_url === 'string' && config.post_webhook_url && listed(config.filters, event)) {
    outbox.enqueue(ev.scope.session, { kind: POST_KIND, url: config.post_webhook_url, method: methodOf(config.method), params: { ...common, ...params }, orderKey, refs: refsOf(ev, params) });
  }
  for (const hook of hooks) {
    const conf = hook.configuration as Json;
    if (!listed(conf.filters, event)) continue;
    const scoped = { ...common, ...params, RetryCount: '0', WebhookSid: String(hook.sid), WebhookType: 'webhook' };
    outbox.enqueue(ev.scope.session, { kind: POST_KIND, url: String(conf.url), method: methodOf(conf.method), params: scoped, orderKey, refs: refsOf(ev, params) });
  }
}

/** Twilio waits 5 s for a pre-event's answer and does not retry it (§11). */
function preEventUrl(url: string): string {
  return url.includes('#') ? url : `${url}#rt=5000&tt=5000&rc=0`;
}

/** The JSON object a pre-event answered with, if its body is one. */
function changesOf(result: AttemptResult): Json | undefined {
  if (!result.body || !/json/i.test(result.contentType ?? 'application/json')) return undefined;
  try {
    const parsed = JSON.parse(result.body) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Json) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Sends a pre-event when the scope's configuration asks for it and waits for the answer: resolves
 * with the changes a 2xx JSON answer makes (undefined for none), or throws 403/20403 when the
 * answer refuses the action.
 */
export async function sendPreEvent(outbox: Outbox, answers: PreEventAnswers, ev: EventScope, event: PreEvent, params: FormParams): Promise<Json | undefined> {
  const config = configuration(ev);
  if (!config || config.target === 'flex' || typeof config.pre_webhook_url !== 'string' || !config.pre_webhook_url || !listed(config.filters, event)) return undefined;
  const delivery = outbox.enqueue(ev.scope.session, {
    kind: PRE_KIND,
    url: preEventUrl(config.pre_webhook_url),
    method: methodOf(config.method),
    params: { ...commonParams(ev.scope.accountSid, event, ev.source, ev.chatServiceSid, ev.conversationSid), ...params },
    orderKey: `conversation-pre:${ev.conversationSid ?? 'new'}`,
    onResponse: PRE_RESPONSE,
    refs: refsOf(ev, params),
  });
  const result = await answers.wait(delivery.id);
  if (result.statusCode === undefined) return undefined; // no answer in time (or no connection): proceeds
  if (result.statusCode < 200 || result.statusCode >= 300) throw twilioError(20403, { event, status: String(result.statusCode) });
  return changesOf(result);
}

/**
 * Conversations (conversations.twilio.com): the generic engine keeps the Conversations, Messages,
 * Participants and webhook configurations; this folder adds what apps expect beyond CRUD, through
 * the engine's overrides (docs/generic-engine.md):
 *
 * - the service's and the conversation's webhooks, pre- and post-event, signed like every Twilio
 *   webhook (./webhooks.ts, ./events.ts), with Twilio's starting values (./actions.ts);
 * - SMS participants bridged to Messages both ways (./bridge.ts; inbound SMS through the inbound
 *   module's router).
 *
 * The overrides and the router load with the engine, on first use: start-up pays nothing.
 */
import type { Delivery } from '../../callbacks/dispatcher';
import type { AttemptResult } from '../../callbacks/send';
import type { Outbox, ReportError, Schedule } from '../../core/ports';
import type { DeliveryView, ResourceModule } from '../../core/resource-module';
import type { Session } from '../../session/session';
import type { OverrideSource } from '../generic/engine';
import type { InboundRouter } from '../inbound/router';
import type * as Overrides from './overrides';
import { POST_KIND, PRE_KIND, PRE_RESPONSE, PreEventAnswers } from './deliveries';

/** The Conversations parts the registry wires: a module, the engine's overrides, the SMS router. */
export interface ConversationsParts {
  module: ResourceModule;
  overrides: OverrideSource;
  receiveSms: InboundRouter;
}

const overrides = () => require('./overrides') as typeof Overrides;

/** How a Conversations webhook reads in the inspector: its event and what it is about. */
function webhookView(d: Delivery): DeliveryView {
  const event = String(d.params.EventType ?? 'event');
  const about = d.params.MessageSid ?? d.params.ParticipantSid ?? d.params.ConversationSid;
  return { type: 'callback', label: `conversations ${d.kind === PRE_KIND ? 'pre-event' : 'webhook'} ${event}${about ? ` (${String(about)})` : ''}` };
}

/** The Conversations module and what it hands the engine and the inbound module. */
export function conversationsResource(ports: { outbox: Outbox; schedule: Schedule; report: ReportError }): ConversationsParts {
  const answers = new PreEventAnswers();
  const actionPorts = { ...ports, answers };
  return {
    module: {
      name: 'conversations',
      domains: ['conversations'],
      responses: { [PRE_RESPONSE]: (_session: Session, delivery: Delivery, result: AttemptResult) => answers.settle(delivery.id, result) },
      inspect: { deliveries: { [POST_KIND]: webhookView, [PRE_KIND]: webhookView } },
    },
    overrides: () => overrides().conversationOverrides(actionPorts),
    receiveSms: (session, sms) => overrides().receiveSms(actionPorts, session, sms),
  };
}

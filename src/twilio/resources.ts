/**
 * The resource families of the Twilio mirror, in seeding order (numbers before the services that
 * pool them). Adding a resource is one line here (docs/adding-a-resource.md).
 *
 * The generic engine (every other operation of Twilio's specs) comes last: its fallback answers
 * what no hand-built route took. Hand-built resources that take over single operations of it
 * (the Account and its keys, Lookup, Conversations' webhooks) hand it their overrides.
 */
import type { ResourcePorts } from '../core/ports';
import type { ResourceModule } from '../core/resource-module';
import { accountOverrides } from './account';
import { conversationsResource } from './conversations';
import { genericResource } from './generic';
import { handsetsResource } from './handsets';
import { inboundResource } from './inbound';
import { lookupOverrides } from './lookup';
import { messagesResource } from './messages';
import { messagingServicesResource } from './messaging-services';
import { numbersResource } from './numbers';
import { verifyResource } from './verify';

/** Every resource module of the Twilio mirror, each given the ports it uses. */
export function twilioResources(ports: ResourcePorts): ResourceModule[] {
  const conversations = conversationsResource(ports);
  return [
    numbersResource(),
    messagingServicesResource(),
    messagesResource(ports),
    inboundResource(ports, conversations.receiveSms),
    verifyResource(ports),
    handsetsResource(),
    conversations.module,
    genericResource(ports, [accountOverrides(ports.apiKeys), lookupOverrides(), conversations.overrides]),
  ];
}

/**
 * The resource families of the Twilio mirror, in seeding order (numbers before the services that
 * pool them). Adding a resource is one line here (docs/adding-a-resource.md).
 */
import type { ResourcePorts } from '../core/ports';
import type { ResourceModule } from '../core/resource-module';
import { callsResource } from './calls';
import { handsetsResource } from './handsets';
import { inboundResource } from './inbound';
import { messagesResource } from './messages';
import { messagingServicesResource } from './messaging-services';
import { numbersResource } from './numbers';
import { verifyResource } from './verify';

/** Every resource module of the Twilio mirror, each given the ports it uses. */
export function twilioResources(ports: ResourcePorts): ResourceModule[] {
  return [
    numbersResource(),
    messagingServicesResource(),
    messagesResource(ports),
    inboundResource(ports),
    callsResource(ports),
    verifyResource(ports),
    handsetsResource(),
  ];
}

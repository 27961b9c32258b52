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
import type { Session } from '../session/session';
import { accountOverrides } from './account';
import { callOverrides, callsResource } from './calls';
import { CONFERENCES } from './calls/conferences/types';
import { RECORDINGS } from './calls/recordings/types';
import { CALLS } from './calls/types';
import { conversationsResource } from './conversations';
import { genericResource } from './generic';
import type { HandBuiltInstances } from './generic/store';
import { handsetsResource } from './handsets';
import { inboundResource } from './inbound';
import { lookupOverrides } from './lookup';
import { messagesResource } from './messages';
import { MESSAGES } from './messages/types';
import { messagingServicesResource } from './messaging-services';
import { findService } from './messaging-services/types';
import { numbersResource } from './numbers';
import { INCOMING_NUMBERS } from './numbers/types';
import { verifyResource } from './verify';
import { VERIFY_SERVICES } from './verify/types';

/** Paths of the Messaging spec the hand-built `/v1/Services/:Sid` routes would take for a Service. */
const SPEC_STATIC_PATHS = ['/v1/Services/Usecases', '/v1/Services/PreregisteredUsa2p'];

const has = (collection: string) => (session: Session, sid: string) => session.collection(collection).has(sid);

/**
 * Instances the hand-built resources keep, by the generic engine's type name: parents of the
 * operations they leave to the engine (a Verify Service's Entities and RateLimits, a Messaging
 * Service's AlphaSenders, a Message's Feedback, a number's AssignedAddOns, a Call's Streams,
 * Events and Payments, a Recording's AddOnResults).
 */
const HAND_BUILT_INSTANCES: HandBuiltInstances = {
  'verify.v2.service': has(VERIFY_SERVICES),
  'messaging.v1.service': (session, sid) => findService(session, sid) !== undefined,
  'api.v2010.account.message': has(MESSAGES),
  'api.v2010.account.incoming_phone_number': has(INCOMING_NUMBERS),
  'api.v2010.account.call': has(CALLS),
  'api.v2010.account.recording': has(RECORDINGS),
  'api.v2010.account.conference': has(CONFERENCES),
};

/** Every resource module of the Twilio mirror, each given the ports it uses. */
export function twilioResources(ports: ResourcePorts): ResourceModule[] {
  const conversations = conversationsResource(ports);
  return [
    numbersResource(),
    messagingServicesResource(),
    messagesResource(ports),
    inboundResource(ports, conversations.receiveSms),
    callsResource(ports),
    verifyResource(ports),
    handsetsResource(),
    conversations.module,
    genericResource(ports, [accountOverrides(ports.apiKeys), lookupOverrides(), conversations.overrides, callOverrides()], { instances: HAND_BUILT_INSTANCES, staticPaths: SPEC_STATIC_PATHS }),
  ];
}

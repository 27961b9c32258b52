/**
 * The Messaging Services resource family (v1, messaging.twilio.com): services, their sender pools,
 * and the seed's `messagingServices` section. Sending through a service (sender choice, status
 * callback fallback) lives in the Messages model; inbound routing in src/twilio/inbound.
 *
 * LIMITATIONS (see docs/numbers-services-inbound.md): ShortCodes, AlphaSenders, ChannelSenders,
 * DestinationAlphaSenders, Compliance/Usa2p and the service's Messages list are linked but not
 * served; mms_converter, smart_encoding, scan_message_content, fallback_to_long_code,
 * synchronous_validation and validity_period are stored and rendered but change no behaviour.
 */
import type { ResourceModule } from '../../core/resource-module';
import { serviceReplay } from './replay';
import { serviceRoutes } from './routes';
import { applyServicesSeed } from './seed';

/** The messaging services module. */
export function messagingServicesResource(): ResourceModule {
  return {
    name: 'messaging-services',
    domains: ['messaging'],
    routes: (api) => serviceRoutes(api),
    seed: (session) => applyServicesSeed(session, session.clock.now()),
    replay: serviceReplay,
  };
}

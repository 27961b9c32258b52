/**
 * The resource families a mirror serves, in seeding order (numbers before the services that pool
 * them).
 */
import { inboundModule } from '../twilio/inbound';
import { messagesModule } from '../twilio/messages';
import { messagingServicesModule } from '../twilio/messaging-services';
import { numbersModule } from '../twilio/numbers';
import { verifyModule } from '../twilio/verify';
import type { ResourceModule } from './context';

/** Every resource module of the Twilio mirror. */
export function twilioModules(): ResourceModule[] {
  return [numbersModule, messagingServicesModule, messagesModule, inboundModule, verifyModule];
}

/**
 * The Messaging Services resource family. This part seeds services and their sender pools; the
 * v1 API routes are registered beside it.
 */
import type { ResourceModule } from '../../server/context';
import { applyServicesSeed } from './seed';

/** The messaging services module. */
export const messagingServicesModule: ResourceModule = {
  name: 'messaging-services',
  applySeed: (_ctx, session) => applyServicesSeed(session, session.clock.now()),
};

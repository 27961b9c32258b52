/**
 * The phone-numbers resource family: AvailablePhoneNumbers (a deterministic inventory per country)
 * and IncomingPhoneNumbers (the numbers a session owns), plus the seed's `numbers` section.
 *
 * LIMITATIONS (see docs/numbers-services-inbound.md): inventory only for US, CA and GB (Local,
 * TollFree; Mobile in GB) with a fixed set of localities; no address/bundle enforcement on buying;
 * no number transfer between accounts (AccountSid update); a released number is for sale again at
 * once; voice settings are stored and rendered but no calls exist.
 */
import type { ResourceModule } from '../../server/context';
import { availableNumberRoutes } from './available-routes';
import { incomingNumberRoutes } from './routes';
import { applyNumbersSeed } from './seed';

/** The numbers module. */
export const numbersModule: ResourceModule = {
  name: 'numbers',
  routes: async (app) => {
    await availableNumberRoutes(app);
    await incomingNumberRoutes(app);
  },
  applySeed: (_ctx, session) => applyNumbersSeed(session, session.clock.now()),
};

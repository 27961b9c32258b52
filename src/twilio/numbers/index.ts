/**
 * The phone-numbers resource family: AvailablePhoneNumbers (a deterministic inventory per country)
 * and IncomingPhoneNumbers (the numbers a session owns), plus the seed's `numbers` section.
 *
 * LIMITATIONS (see docs/numbers-services-inbound.md): inventory only for US, CA and GB (Local,
 * TollFree; Mobile in GB) with a fixed set of localities; no address/bundle enforcement on buying;
 * no number transfer between accounts (AccountSid update); a released number is for sale again at
 * once; voice settings are stored and rendered but no calls exist.
 */
import type { ResourceModule } from '../../core/resource-module';
import { availableNumberRoutes } from './available-routes';
import { renderIncomingNumber } from './render';
import { numberReplay } from './replay';
import { incomingNumberRoutes } from './routes';
import { applyNumbersSeed } from './seed';
import { findOwnedNumber, INCOMING_NUMBERS, type IncomingNumberRecord } from './types';

/** The numbers module. */
export function numbersResource(): ResourceModule {
  return {
    name: 'numbers',
    domains: ['api'],
    async routes(api) {
      await availableNumberRoutes(api);
      await incomingNumberRoutes(api);
    },
    seed: (session) => applyNumbersSeed(session, session.clock.now()),
    replay: numberReplay,
    inspect: {
      detail: {
        // By SID or by the number itself: what a test asks is usually "do I own +1555…?".
        numbers: (session, key) => {
          const owned = key.startsWith('PN') ? session.collection<IncomingNumberRecord>(INCOMING_NUMBERS).get(key) : findOwnedNumber(session, key);
          return owned ? renderIncomingNumber(owned, session.accountSid) : undefined;
        },
      },
    },
  };
}

/**
 * The phone-numbers resource family. This part seeds owned numbers; the API routes for available
 * and incoming numbers are registered beside it.
 */
import type { ResourceModule } from '../../server/context';
import { applyNumbersSeed } from './seed';

/** The numbers module. */
export const numbersModule: ResourceModule = {
  name: 'numbers',
  applySeed: (_ctx, session) => applyNumbersSeed(session, session.clock.now()),
};

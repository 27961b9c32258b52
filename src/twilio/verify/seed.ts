/**
 * Applies the `verify` section of a seed: its services exist from the start (see policy.ts for the
 * section's format). The limits are read from the seed at request time, so they need no state.
 */
import type { Session } from '../../session/session';
import { readPolicy, readSeedServices } from './policy';
import { newVerifyService } from './services/model';
import { VERIFY_SERVICES, type VerifyServiceRecord } from './types';

/** Seeds the session's Verify services (and fails early on a bad `verify` section). */
export function applyVerifySeed(session: Session, now: number): void {
  readPolicy(session.seed);
  const services = session.collection<VerifyServiceRecord>(VERIFY_SERVICES);
  for (const input of readSeedServices(session.seed)) services.insert(newVerifyService(session.accountSid, input, now));
}

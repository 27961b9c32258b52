/**
 * The Verify v2 resource family (host verify.twilio.com): Services, Verifications and
 * VerificationCheck, the clock-driven expiry, the simulate events and the email/call inboxes.
 *
 * LIMITATIONS (where the mirror differs from Twilio; the README lists them in full): no `sna` or
 * `auto` channel, no templates, rate-limit, messaging-configuration, entity, webhook or access-token
 * sub-resources; Verify Events are not emitted; English message text only; fetch rate limits
 * (60/min per verification) and 60212 are not enforced.
 */
import type { MirraContext, ResourceModule } from '../../server/context';
import type { Session } from '../../session/session';
import './errors';
import { verifyControl, verifySimulate } from './control';
import { policyOf } from './policy';
import { applyVerifySeed } from './seed';
import { serviceRoutes } from './services/routes';
import { VERIFICATIONS, type VerificationRecord } from './types';
import { applyVerificationEffects, EXPIRE_TASK } from './verifications/effects';
import { advance } from './verifications/lifecycle';
import { verificationRoutes } from './verifications/routes';

/** The validity window ended: Twilio deletes the verification (404 from then on). */
function expire(ctx: MirraContext, session: Session, ref: { sid: string }, at: number): void {
  const v = session.collection<VerificationRecord>(VERIFICATIONS).get(ref.sid);
  if (!v || v.status === 'approved' || v.status === 'expired') return;
  const { next, effects } = advance(v, { type: 'expire' }, at, policyOf(session));
  applyVerificationEffects(ctx, session, next, effects);
}

/** The Verify module. */
export const verifyModule: ResourceModule = {
  name: 'verify',
  routes: async (app, ctx) => {
    await serviceRoutes(app);
    await verificationRoutes(app, ctx);
  },
  control: (app) => verifyControl(app),
  applySeed: (_ctx, session) => applyVerifySeed(session, session.clock.now()),
  tasks: { [EXPIRE_TASK]: expire },
  simulate: verifySimulate,
};

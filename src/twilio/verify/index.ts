/**
 * The Verify v2 resource family (host verify.twilio.com): Services, Verifications and
 * VerificationCheck, the clock-driven expiry, the simulate events, and what a served recording
 * does to its state. Codes reach the recipient's handset inbox (../handsets).
 *
 * LIMITATIONS (where the mirror differs from Twilio; the README lists them in full): no `sna` or
 * `auto` channel, no templates, rate-limit, messaging-configuration, entity, webhook or access-token
 * sub-resources; Verify Events are not emitted; English message text only; fetch rate limits
 * (60/min per verification) and 60212 are not enforced.
 */
import type { ResourceModule } from '../../core/resource-module';
import type { Session } from '../../session/session';
import { policyOf } from './policy';
import { verifyReplay } from './replay';
import { applyVerifySeed } from './seed';
import { serviceRoutes } from './services/routes';
import { verifySimulate } from './simulate';
import { VERIFICATIONS, type VerificationRecord } from './types';
import { applyVerificationEffects, EXPIRE_TASK, type VerifyPorts } from './verifications/effects';
import { advance } from './verifications/lifecycle';
import { describeVerification } from './verifications/render';
import { verificationRoutes } from './verifications/routes';

/** The Verify module. */
export function verifyResource(ports: VerifyPorts): ResourceModule {
  return {
    name: 'verify',
    domains: ['verify'],
    routes(api) {
      serviceRoutes(api);
      verificationRoutes(api, ports);
    },
    seed: (session) => applyVerifySeed(session, session.clock.now()),
    tasks: {
      // The validity window ended: Twilio deletes the verification (404 from then on).
      [EXPIRE_TASK]: (session: Session, ref: { sid: string }, at: number) => {
        const v = session.collection<VerificationRecord>(VERIFICATIONS).get(ref.sid);
        if (!v || v.status === 'approved' || v.status === 'expired') return;
        const { next, effects } = advance(v, { type: 'expire' }, at, policyOf(session));
        applyVerificationEffects(ports, session, next, effects);
      },
    },
    simulate: verifySimulate(ports),
    replay: verifyReplay,
    inspect: {
      detail: {
        verifications: (session, sid) => {
          const v = session.collection<VerificationRecord>(VERIFICATIONS).get(sid);
          return v ? describeVerification(v, session.clock.now()) : undefined;
        },
      },
    },
  };
}

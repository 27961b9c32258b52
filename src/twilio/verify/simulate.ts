/**
 * Verify's simulate events (`verify.check_failed`, `verify.expired`, `verify.delivery_failed`, each
 * with the verification's `sid`). What the recipient received shows in the handsets' views
 * (`GET /_mirra/messages|emails|calls?to=`).
 */
import type { SimulateHandler } from '../../core/resource-module';
import { MirraError } from '../../errors';
import type { Session } from '../../session/session';
import { policyOf } from './policy';
import { VERIFICATIONS, type VerificationRecord } from './types';
import { applyVerificationEffects, type VerifyPorts } from './verifications/effects';
import { advance, InvalidTransition, type VerificationEvent } from './verifications/lifecycle';
import { describeVerification } from './verifications/render';

function loadForSimulate(session: Session, body: Record<string, unknown>): VerificationRecord {
  const sid = String(body.sid ?? body.verificationSid ?? '');
  const v = session.collection<VerificationRecord>(VERIFICATIONS).get(sid);
  if (!v) throw new MirraError('MIRRA_ERR_NOT_FOUND', `verification ${sid}`);
  return v;
}

/** A simulate handler applying `event` to the verification named by `sid`. */
function simulateEvent(ports: VerifyPorts, event: VerificationEvent): SimulateHandler {
  return (session: Session, body: Record<string, unknown>) => {
    const v = loadForSimulate(session, body);
    const now = session.clock.now();
    try {
      const { next, effects } = advance(v, event, now, policyOf(session));
      applyVerificationEffects(ports, session, next, effects);
      return describeVerification(next, now);
    } catch (err) {
      if (err instanceof InvalidTransition) throw new MirraError('MIRRA_ERR_INVALID_TRANSITION', err.message);
      throw err;
    }
  };
}

/** The simulate events of Verify. */
export function verifySimulate(ports: VerifyPorts): Record<string, SimulateHandler> {
  return {
    'verify.check_failed': simulateEvent(ports, { type: 'fail-next-check' }),
    'verify.expired': simulateEvent(ports, { type: 'expire' }),
    'verify.delivery_failed': simulateEvent(ports, { type: 'delivery-failed' }),
  };
}

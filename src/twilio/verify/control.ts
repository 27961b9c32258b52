/**
 * Verify on the control plane: the simulate events (`verify.check_failed`, `verify.expired`,
 * `verify.delivery_failed`, each with the verification's `sid`) and the recipient views for the
 * channels the Messages inbox does not show (`GET /_mirra/emails?to=`, `GET /_mirra/calls?to=`).
 */
import type { FastifyInstance } from 'fastify';
import { MirraError } from '../../errors';
import type { MirraContext, SimulateHandler } from '../../server/context';
import type { Session } from '../../session/session';
import { readInbox, type InboxItem } from '../inbox';
import { toE164 } from '../phone';
import { policyOf } from './policy';
import { VERIFICATIONS, type VerificationRecord } from './types';
import { applyVerificationEffects } from './verifications/effects';
import { advance, InvalidTransition, type VerificationEvent } from './verifications/lifecycle';
import { describeVerification } from './verifications/render';

function loadForSimulate(session: Session, body: Record<string, unknown>): VerificationRecord {
  const sid = String(body.sid ?? body.verificationSid ?? '');
  const v = session.collection<VerificationRecord>(VERIFICATIONS).get(sid);
  if (!v) throw new MirraError('MIRRA_ERR_NOT_FOUND', `verification ${sid}`);
  return v;
}

/** A simulate handler applying `event` to the verification named by `sid`. */
function simulateEvent(event: VerificationEvent): SimulateHandler {
  return (ctx: MirraContext, session: Session, body: Record<string, unknown>) => {
    const v = loadForSimulate(session, body);
    const now = session.clock.now();
    try {
      const { next, effects } = advance(v, event, now, policyOf(session));
      applyVerificationEffects(ctx, session, next, effects);
      return describeVerification(next, now);
    } catch (err) {
      if (err instanceof InvalidTransition) throw new MirraError('MIRRA_ERR_INVALID_TRANSITION', err.message);
      throw err;
    }
  };
}

/** The simulate events of Verify. */
export const verifySimulate: Record<string, SimulateHandler> = {
  'verify.check_failed': simulateEvent({ type: 'fail-next-check' }),
  'verify.expired': simulateEvent({ type: 'expire' }),
  'verify.delivery_failed': simulateEvent({ type: 'delivery-failed' }),
};

function view(i: InboxItem): Record<string, unknown> {
  return { sid: i.sourceSid, to: i.to, from: i.from, body: i.body, channel: i.channel, received_at: new Date(i.receivedAt).toISOString() };
}

/** Registers GET /_mirra/emails and GET /_mirra/calls (the "phone" of an address or number). */
export async function verifyControl(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: { to?: string } }>('/_mirra/emails', async (request) => {
    const to = request.query.to?.trim() || undefined;
    return { emails: readInbox(request.session, to, ['email']).map(view) };
  });
  app.get<{ Querystring: { to?: string } }>('/_mirra/calls', async (request) => {
    const to = request.query.to ? (toE164(request.query.to) ?? request.query.to) : undefined;
    return { calls: readInbox(request.session, to, ['call']).map(view) };
  });
}

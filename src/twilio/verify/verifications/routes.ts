/**
 * Verification routes (twilio-api.md §2.7–2.8): start (201; a resend answers the same VE), fetch
 * and update by SID or To, and VerificationCheck (200 for right and wrong codes, as real traffic
 * shows). Routes parse, call the model, render.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sendJson } from '../../reply';
import { one } from '../../form';
import { formOf, originOf } from '../../http';
import { invalidParam, missingParam, verifyNotFound } from '../param-errors';
import { policyOf } from '../policy';
import { loadService, type ServiceParams } from '../services/routes';
import { applyVerificationEffects, type VerifyPorts } from './effects';
import { advance, VerificationGone } from './lifecycle';
import { checkVerification, findVerification, startVerification } from './model';
import { renderCheck, renderVerification } from './render';

type VerificationParams = ServiceParams & { Sid: string };

/** Runs `fn`, turning "the verification is gone" into Verify's 404 for this request. */
function orNotFound<T>(request: FastifyRequest, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof VerificationGone) throw verifyNotFound(request);
    throw err;
  }
}

/** Registers the Verification and VerificationCheck routes. */
export function verificationRoutes(app: FastifyInstance, ports: VerifyPorts): void {
  const base = '/v2/Services/:ServiceSid';

  app.post<{ Params: ServiceParams }>(`${base}/Verifications`, async (request, reply) => {
    const session = request.session;
    const service = loadService(request);
    const { next, effects, created } = startVerification(session, service, formOf(request), policyOf(session), session.clock.now());
    applyVerificationEffects(ports, session, next, effects, created);
    return sendJson(reply, 201, renderVerification(next, originOf(request)));
  });

  app.get<{ Params: VerificationParams }>(`${base}/Verifications/:Sid`, async (request, reply) => {
    const session = request.session;
    const service = loadService(request);
    const v = findVerification(session, service.sid, request.params.Sid, session.clock.now());
    if (!v) throw verifyNotFound(request);
    return sendJson(reply, 200, renderVerification(v, originOf(request)));
  });

  app.post<{ Params: VerificationParams }>(`${base}/Verifications/:Sid`, async (request, reply) => {
    const session = request.session;
    const service = loadService(request);
    const status = one(formOf(request), 'Status');
    if (!status) throw missingParam('Status');
    if (status !== 'approved' && status !== 'canceled') throw invalidParam('Status', status);
    const now = session.clock.now();
    const v = findVerification(session, service.sid, request.params.Sid, now);
    if (!v) throw verifyNotFound(request);
    const policy = policyOf(session);
    const { next, effects } = orNotFound(request, () => advance(v, { type: 'update', status }, now, policy));
    applyVerificationEffects(ports, session, next, effects);
    return sendJson(reply, 200, renderVerification(next, originOf(request)));
  });

  app.post<{ Params: ServiceParams }>(`${base}/VerificationCheck`, async (request, reply) => {
    const session = request.session;
    const service = loadService(request);
    const result = orNotFound(request, () => checkVerification(session, service, formOf(request), policyOf(session), session.clock.now()));
    if (!result) throw verifyNotFound(request);
    applyVerificationEffects(ports, session, result.next, result.effects);
    return sendJson(reply, 200, renderCheck(result.next));
  });
}

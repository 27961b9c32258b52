/**
 * Verify Service routes (twilio-api.md §2.6): create (201), list (`services`, v2 paging), fetch,
 * update (200) and delete (204). Routes parse, call the model, render.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { originOf } from '../../http';
import { sendJson, sendNoContent } from '../../reply';
import { formOf, pathOf, queryOf } from '../../http';
import { pageV1, readPageRequest, slicePage } from '../../pagination';
import { verifyNotFound } from '../param-errors';
import { VERIFY_SERVICES, findVerifyService, type VerifyServiceRecord } from '../types';
import { applyServiceParams, createServiceFromParams } from './model';
import { renderService } from './render';

/** Path params of a service's routes (one name for the segment, so every Verify route agrees). */
export type ServiceParams = { ServiceSid: string };

/** The service named in the path, or Verify's 404. */
export function loadService(request: FastifyRequest<{ Params: ServiceParams }>): VerifyServiceRecord {
  const service = findVerifyService(request.session, request.params.ServiceSid);
  if (!service) throw verifyNotFound(request);
  return service;
}

/** Registers the Service routes. */
export function serviceRoutes(app: FastifyInstance): void {
  app.post('/v2/Services', async (request, reply) => {
    const session = request.session;
    const service = createServiceFromParams(session.accountSid, formOf(request), session.clock.now());
    session.collection<VerifyServiceRecord>(VERIFY_SERVICES).insert(service);
    return sendJson(reply, 201, renderService(service, originOf(request)));
  });

  app.get('/v2/Services', async (request, reply) => {
    const page = readPageRequest(queryOf(request), 50);
    const origin = originOf(request);
    const slice = slicePage(request.session.collection<VerifyServiceRecord>(VERIFY_SERVICES).list(), page, (s) => s.sid);
    return sendJson(reply, 200, pageV1('services', slice, page, origin + pathOf(request), [], (s) => s.sid, (s) => renderService(s, origin)));
  });

  app.get<{ Params: ServiceParams }>('/v2/Services/:ServiceSid', async (request, reply) => {
    return sendJson(reply, 200, renderService(loadService(request), originOf(request)));
  });

  app.post<{ Params: ServiceParams }>('/v2/Services/:ServiceSid', async (request, reply) => {
    const session = request.session;
    const next = applyServiceParams(loadService(request), formOf(request), session.clock.now());
    session.collection<VerifyServiceRecord>(VERIFY_SERVICES).update(next);
    return sendJson(reply, 200, renderService(next, originOf(request)));
  });

  app.delete<{ Params: ServiceParams }>('/v2/Services/:ServiceSid', async (request, reply) => {
    const service = loadService(request);
    request.session.collection<VerifyServiceRecord>(VERIFY_SERVICES).delete(service.sid);
    return sendNoContent(reply);
  });
}

/**
 * Messaging Services v1 routes (messaging.twilio.com): services CRUD and the PhoneNumbers sender
 * pool (add, list, fetch, remove). Lists page 20 at a time, as the spec examples show.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { originOf } from '../http';
import { sendJson, sendNoContent } from '../reply';
import { notFound } from '../errors';
import { formOf, pathOf, queryOf } from '../http';
import { INCOMING_NUMBERS, type IncomingNumberRecord } from '../numbers/types';
import { pageV1, readPageRequest, slicePage } from '../pagination';
import { addToPool, createService, deleteService, findMember, removeFromPool, updateService } from './model';
import { renderPoolMember, renderService } from './render';
import { MESSAGING_SERVICES, poolOf, type MessagingServiceRecord, type PoolMemberRecord } from './types';

/** Default page size of the Messaging v1 lists (spec examples: `PageSize=20`). */
const PAGE_SIZE = 20;

type ServiceParams = { Sid: string };

function loadService(request: FastifyRequest, sid: string): MessagingServiceRecord {
  const s = request.session.collection<MessagingServiceRecord>(MESSAGING_SERVICES).get(sid);
  if (!s) throw notFound(pathOf(request));
  return s;
}

function loadMember(request: FastifyRequest, service: MessagingServiceRecord, sid: string): PoolMemberRecord {
  const m = findMember(request.session, service, sid);
  if (!m) throw notFound(pathOf(request));
  return m;
}

function memberJson(request: FastifyRequest, m: PoolMemberRecord): Record<string, unknown> {
  const number = request.session.collection<IncomingNumberRecord>(INCOMING_NUMBERS).get(m.sid);
  return renderPoolMember(m, number, request.session.accountSid, originOf(request));
}

/** Registers the Messaging Services routes. */
export async function serviceRoutes(app: FastifyInstance): Promise<void> {
  const base = '/v1/Services';

  app.post(base, async (request, reply) => {
    const session = request.session;
    const s = createService(session, formOf(request), session.clock.now());
    return sendJson(reply, 201, renderService(s, session.accountSid, originOf(request)));
  });

  app.get(base, async (request, reply) => {
    const page = readPageRequest(queryOf(request), PAGE_SIZE);
    const all = request.session.collection<MessagingServiceRecord>(MESSAGING_SERVICES).list();
    const slice = slicePage(all, page, (s) => s.sid);
    const origin = originOf(request);
    return sendJson(reply, 200, pageV1('services', slice, page, origin + pathOf(request), [], (s) => s.sid, (s) => renderService(s, request.session.accountSid, origin)));
  });

  app.get<{ Params: ServiceParams }>(`${base}/:Sid`, async (request, reply) => {
    return sendJson(reply, 200, renderService(loadService(request, request.params.Sid), request.session.accountSid, originOf(request)));
  });

  app.post<{ Params: ServiceParams }>(`${base}/:Sid`, async (request, reply) => {
    const session = request.session;
    const s = updateService(session, loadService(request, request.params.Sid), formOf(request), session.clock.now());
    return sendJson(reply, 200, renderService(s, session.accountSid, originOf(request)));
  });

  app.delete<{ Params: ServiceParams }>(`${base}/:Sid`, async (request, reply) => {
    deleteService(request.session, loadService(request, request.params.Sid));
    return sendNoContent(reply);
  });

  app.post<{ Params: ServiceParams }>(`${base}/:Sid/PhoneNumbers`, async (request, reply) => {
    const session = request.session;
    const member = addToPool(session, loadService(request, request.params.Sid), formOf(request), session.clock.now());
    return sendJson(reply, 201, memberJson(request, member));
  });

  app.get<{ Params: ServiceParams }>(`${base}/:Sid/PhoneNumbers`, async (request, reply) => {
    const service = loadService(request, request.params.Sid);
    const page = readPageRequest(queryOf(request), PAGE_SIZE);
    const slice = slicePage(poolOf(request.session, service.sid), page, (m) => m.sid);
    return sendJson(reply, 200, pageV1('phone_numbers', slice, page, originOf(request) + pathOf(request), [], (m) => m.sid, (m) => memberJson(request, m)));
  });

  app.get<{ Params: ServiceParams & { PhoneSid: string } }>(`${base}/:Sid/PhoneNumbers/:PhoneSid`, async (request, reply) => {
    const service = loadService(request, request.params.Sid);
    return sendJson(reply, 200, memberJson(request, loadMember(request, service, request.params.PhoneSid)));
  });

  app.delete<{ Params: ServiceParams & { PhoneSid: string } }>(`${base}/:Sid/PhoneNumbers/:PhoneSid`, async (request, reply) => {
    const service = loadService(request, request.params.Sid);
    removeFromPool(request.session, loadMember(request, service, request.params.PhoneSid));
    return sendNoContent(reply);
  });
}

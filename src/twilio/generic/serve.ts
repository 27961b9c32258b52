/**
 * The generic engine on the wire: a request no hand-built route answered, matched to a spec
 * operation and run over the session's store (with the hand-built overrides); a served recording
 * applied to that store; an instance planted through the control plane; one record for the
 * inspector. Required by ./index.ts on first use, so start-up never loads the engine.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServedAnswer } from '../../core/resource-module';
import { isFormBody } from '../../core/form-body';
import { MirraError } from '../../errors';
import type { Session } from '../../session/session';
import { TwilioError } from '../errors';
import { formOf, isTwilioHost, originOf, queryOf } from '../http';
import { sendJson, sendNoContent } from '../reply';
import { handleGeneric, type GenericOverrides, type GenericResponse } from './engine';
import { plantRecord, storedTypesOf } from './records';
import { renderRecord } from './render';
import { applyServed } from './replay-apply';
import { findOperation, type GenericMatch } from './route';
import { scopeOfSession } from './override-kit';
import { sessionGenericStore, type HandBuiltInstances } from './store';
import { allOperations } from './table';


/**
 * Where absolute URLs in the answer point: the domain's own host when the client used a Twilio
 * host name (the engine's default), else the mirror's origin plus the `/<domain>` prefix the
 * client used (base-URL mode), so paging and links stay on the mirror.
 */
function baseUrlOf(request: FastifyRequest, match: GenericMatch): string | undefined {
  return isTwilioHost(request.hostname) ? undefined : originOf(request) + match.prefix;
}

/** Sends an engine answer in Twilio's bytes (a 204 or a redirect has no body). */
export function sendAnswer(reply: FastifyReply, answer: GenericResponse): FastifyReply {
  for (const [name, value] of Object.entries(answer.headers ?? {})) reply.header(name, value);
  return answer.body === null ? sendNoContent(reply, answer.status) : sendJson(reply, answer.status, answer.body);
}

/** Answers `request` through the engine; false when no spec operation matches it. */
export async function serveGeneric(
  request: FastifyRequest,
  reply: FastifyReply,
  overrides: GenericOverrides,
  handBuilt: HandBuiltInstances,
  transaction: <T>(fn: () => T) => T,
): Promise<boolean> {
  const match = findOperation(request.method, request.headers.host, request.url);
  if (!match) return false;
  const isJson = !isFormBody(request.headers['content-type']) && /json/i.test(String(request.headers['content-type'] ?? ''));
  const answer = await transaction(() =>
    handleGeneric(
      match.operation,
      {
        pathParams: match.pathParams,
        query: queryOf(request),
        form: formOf(request),
        json: isJson ? request.body : undefined,
        path: match.path,
        baseUrl: baseUrlOf(request, match),
        headers: request.headers,
      },
      scopeOfSession(request.session, handBuilt),
      overrides,
    ),
  );
  sendAnswer(reply, answer);
  return true;
}

/** Applies a served answer to the generic store; false when no spec operation matches its path. */
export function applyGeneric(session: Session, served: ServedAnswer, handBuilt: HandBuiltInstances): boolean {
  const host = served.product ? `${served.product}.twilio.com` : undefined;
  const match = findOperation(served.method, host, served.path);
  if (!match) return false;
  applyServed(match.operation, match.pathParams, match.path, served.status, served.body, scopeOfSession(session, handBuilt));
  return true;
}

/**
 * Plants an instance Twilio's own activity would make (a Call's Notification, a Room's
 * Participant) at `url` (`https://video.twilio.com/v1/Rooms/RM…/Participants/PA…`, or a base-URL
 * path with its `/<domain>` prefix), addressed by `method`'s operation there; `data` sets
 * properties (snake_case). Answers `{ key, resource }`: its key and the instance as a fetch would.
 */
export function plantAt(session: Session, body: Record<string, unknown>, handBuilt: HandBuiltInstances): unknown {
  const url = typeof body.url === 'string' ? body.url : '';
  const method = typeof body.method === 'string' ? body.method : 'GET';
  const data = body.data && typeof body.data === 'object' && !Array.isArray(body.data) ? (body.data as Record<string, unknown>) : {};
  let host: string | undefined;
  let path = url;
  try {
    const parsed = new URL(url);
    host = parsed.host;
    path = parsed.pathname;
  } catch {
    /* a path */
  }
  const match = path.startsWith('/') ? findOperation(method, host, path) : undefined;
  if (!match || !match.operation.type) throw new MirraError('MIRRA_ERR_BAD_REQUEST', `no spec operation addresses ${method} ${url || '(no url)'}`);
  const scope = scopeOfSession(session, handBuilt);
  try {
    const planted = plantRecord(match.operation, match.pathParams, scope, data);
    const resource = renderRecord(match.operation.type, planted, { baseUrl: `https://${match.operation.domain.host}`, accountSid: scope.accountSid, enums: match.operation.domain.enums });
    return { key: planted.key, resource };
  } catch (err) {
    if (err instanceof TwilioError) throw new MirraError('MIRRA_ERR_NOT_FOUND', `${url}: ${err.message}`);
    throw err;
  }
}

/**
 * A generic record by SID, rendered as its type (for `GET /_mirra/inspect/generic/<sid>`): the
 * types whose key has the SID's prefix are searched, in every domain.
 */
export function inspectGeneric(session: Session, sid: string): unknown {
  const prefix = sid.slice(0, 2);
  const store = sessionGenericStore(session);
  const seen = new Set<string>();
  for (const op of allOperations()) {
    const type = storedTypesOf(op)[0];
    if (!type || type.x !== prefix || seen.has(type.n) || !op.type) continue;
    seen.add(type.n);
    const found = [...store.all(type.n)].find((r) => r.key === sid && !r.deleted);
    if (found) return { type: type.n, domain: op.domain.label, record: renderRecord(type, found, { baseUrl: `https://${op.domain.host}`, accountSid: session.accountSid, enums: op.domain.enums }) };
  }
  return undefined;
}

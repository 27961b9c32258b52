/**
 * The control plane (`/_mirra/*`): health, sessions, reset, the virtual clock, simulate events and
 * the delivery log. A request's session is `?session=`, else `X-Mirra-Session`, else the Basic-auth
 * AccountSid, else the default session.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { Delivery } from '../callbacks/dispatcher';
import { parseBasicAuth } from '../core/basic-auth';
import type { ResourceModule } from '../core/resource-module';
import { MirraError } from '../errors';
import { advanceClock, type AdvanceScheduler } from '../session/advance';
import type { Task } from '../session/scheduler';
import type { Session } from '../session/session';
import type { SessionManager } from '../session/sessions';
import { listBuiltinSeeds, loadSeed } from '../seeds/seed';
import { INVALID_JSON } from './body';
import type { PipelineStage } from './api-plugin';

/** What the control plane works with, built whole before it is registered. */
export interface ControlDeps {
  sessions: SessionManager;
  scheduler: AdvanceScheduler & { pending(session: Session): Task[] };
  outbox: { whenIdle(session: Session): Promise<void>; log(session: Session, filter?: (d: Delivery) => boolean): Delivery[] };
  /** The environment that routes a client to this mirror as `session`, reached at `baseUrl`. */
  env(baseUrl: string, session: Session): Record<string, string>;
  /** The API's own host names (the control plane is never served on them). */
  isApiHost(hostname: string): boolean;
  defaultSessionId: string;
  token: string | null;
  modules: ResourceModule[];
  stages: PipelineStage[];
}


/** The JSON object body of a control request, or mirra's 400. */
export function jsonBody(request: FastifyRequest): Record<string, unknown> {
  const body = request.body ?? {};
  if (typeof body !== 'object' || Array.isArray(body) || (body as Record<string, unknown>)[INVALID_JSON]) {
    throw new MirraError('MIRRA_ERR_BAD_REQUEST', 'the body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/** The session a control request is about. */
export function controlSession(deps: Pick<ControlDeps, 'sessions' | 'defaultSessionId'>, request: FastifyRequest): Session {
  const q = request.query as { session?: string };
  const header = request.headers['x-mirra-session'];
  const body = request.body as { session?: unknown } | undefined;
  const id = q?.session ?? (typeof header === 'string' ? header : undefined) ?? (typeof body?.session === 'string' ? body.session : undefined);
  if (id) return deps.sessions.require(id);
  const username = parseBasicAuth(request.headers.authorization)?.username;
  const byAuth = username ? deps.sessions.byAccountSid(username) : undefined;
  return byAuth ?? deps.sessions.require(deps.defaultSessionId);
}

/** The base URL clients use to reach this mirror. */
function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/** Describes a session for the control plane (with secrets only when `withSecrets`). */
export function describeSession(sessions: SessionManager, session: Session, url: string, withSecrets: boolean): Record<string, unknown> {
  const key = session.record.apiKeys[0];
  return {
    sessionId: session.id,
    accountSid: session.accountSid,
    ...(withSecrets ? { authToken: session.authToken, apiKeySid: key?.sid, apiKeySecret: key ? sessions.apiKeySecret(key.sid) : undefined } : {}),
    seed: session.seed.name,
    url,
  };
}

/** Registers the control plane. */
export async function controlPlane(app: FastifyInstance, deps: ControlDeps): Promise<void> {
  const { sessions } = deps;
  const simulate = new Map(deps.modules.flatMap((m) => Object.entries(m.simulate ?? {})));

  app.addHook('preHandler', async (request) => {
    // The control plane is mirra's own: never served on an intercepted API host.
    if (deps.isApiHost(request.hostname)) throw new MirraError('MIRRA_ERR_NOT_FOUND', request.url);
    // A stage's capture address is reached by the real API, which checks itself (signatures), not by the token.
    if (request.routeOptions.config && (request.routeOptions.config as { public?: boolean }).public) return;
    if (deps.token && !request.url.startsWith('/_mirra/health') && !hasControlToken(request, deps.token)) {
      throw new MirraError('MIRRA_ERR_UNAUTHORIZED', 'send X-Mirra-Token (see `mirra up` output or $MIRRA_TOKEN)');
    }
    if (request.url.startsWith('/_mirra/health') || request.url.startsWith('/_mirra/seeds')) return;
    if (/^\/_mirra\/sessions(\?|$)/.test(request.url) && request.method === 'POST') return;
    request.session = controlSession(deps, request);
  });

  app.get('/_mirra/health', async () => Object.assign({ status: 'ok', sessions: sessions.list().length }, ...deps.stages.map((s) => s.health?.() ?? {})));

  app.get('/_mirra/seeds', async () => ({ seeds: listBuiltinSeeds() }));

  app.post('/_mirra/sessions', async (request, reply) => {
    const body = jsonBody(request);
    const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
    if (str('id') !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(str('id')!)) throw new MirraError('MIRRA_ERR_BAD_REQUEST', 'id is 1-64 of [A-Za-z0-9_-]');
    if (str('accountSid') !== undefined && !/^AC[0-9a-f]{32}$/.test(str('accountSid')!)) throw new MirraError('MIRRA_ERR_BAD_REQUEST', 'accountSid is AC + 32 hex');
    const seed = loadSeed(body.seed as string | object | undefined);
    const session = sessions.create({ id: str('id'), accountSid: str('accountSid'), authToken: str('authToken'), seed });
    return reply.code(201).send(describeSession(sessions, session, baseUrl(request), true));
  });

  app.get('/_mirra/sessions', async (request) => ({
    sessions: sessions.list().map((s) => describeSession(sessions, s, baseUrl(request), false)),
  }));

  app.delete<{ Params: { id: string } }>('/_mirra/sessions/:id', async (request, reply) => {
    sessions.remove(request.params.id);
    return reply.code(204).send();
  });

  app.post('/_mirra/reset', async (request) => {
    const session = sessions.reset(request.session.id);
    return describeSession(sessions, session, baseUrl(request), false);
  });

  app.get('/_mirra/env', async (request) => deps.env(baseUrl(request), request.session));

  app.get('/_mirra/clock', async (request) => clockState(deps, request.session));

  app.post('/_mirra/clock', async (request) => {
    const body = jsonBody(request);
    const session = request.session;
    if (body.freeze === true) session.clock.freeze();
    if (body.freeze === false) session.clock.resume();
    let ms = 0;
    if (body.advanceMs !== undefined) {
      ms = Number(body.advanceMs);
      if (!Number.isFinite(ms) || ms < 0 || ms > 365 * 86_400_000) throw new MirraError('MIRRA_ERR_BAD_REQUEST', 'advanceMs is a number of milliseconds >= 0');
    }
    // Every task due in the window runs at its own time, retries booked on the way included; by
    // default the answer waits until the deliveries those steps caused have been attempted.
    await advanceClock(session, ms, deps, body.settle !== false);
    sessions.save(session);
    // By default the answer waits until the deliveries this step caused have been attempted, and
    // the tasks their answers booked at or before the new "now" have run.
    if (body.settle !== false) await settle(deps, session);
    else await deps.scheduler.runDue(session);
    return clockState(deps, session);
  });

  app.post('/_mirra/simulate', async (request) => {
    const body = jsonBody(request);
    const handler = simulate.get(String(body.event));
    if (!handler) throw new MirraError('MIRRA_ERR_UNKNOWN_EVENT', `${String(body.event)} (known: ${[...simulate.keys()].join(', ')})`);
    const result = await handler(request.session, body);
    if (body.settle !== false) await settle(deps, request.session);
    return result;
  });

  app.get<{ Querystring: { sid?: string; kind?: string } }>('/_mirra/callbacks', async (request) => {
    const { sid, kind } = request.query;
    const log = deps.outbox.log(request.session, (d) => (!kind || d.kind === kind) && (!sid || Object.values(d.refs ?? {}).includes(sid)));
    return { callbacks: log };
  });

  for (const mod of deps.modules) if (mod.control) await mod.control(app);
  for (const stage of deps.stages) stage.control?.(app);
  // Any other control path: mirra's own 404 (not the API's, whose catch-all would take it).
  app.all('/_mirra/*', async (request) => {
    throw new MirraError('MIRRA_ERR_NOT_FOUND', request.url.split('?')[0]);
  });
}

/** Most rounds of {@link settle}: a webhook answer that keeps booking due work is cut off, not followed forever. */
const MAX_SETTLE_ROUNDS = 10_000;

/**
 * Runs due tasks and waits for the deliveries they caused, again and again, until nothing is due
 * and nothing is in flight. A webhook's answer may book work at an instant the clock has already
 * passed (a voice call's TwiML answer books the end of its `<Say>` at the moment of the fetch),
 * and that work belongs to this step of the clock, not the next.
 */
async function settle(deps: Pick<ControlDeps, 'scheduler' | 'outbox'>, session: Session): Promise<void> {
  for (let round = 0; round < MAX_SETTLE_ROUNDS; round++) {
    await deps.scheduler.runDue(session);
    await deps.outbox.whenIdle(session);
    const now = session.clock.now();
    if ((deps.scheduler.nextDueAt(session) ?? Infinity) > now) return;
  }
}

function clockState(deps: Pick<ControlDeps, 'scheduler'>, session: Session): Record<string, unknown> {
  const now = session.clock.now();
  return { now: new Date(now).toISOString(), nowMs: now, frozen: session.clock.isFrozen(), pendingTasks: deps.scheduler.pending(session).length };
}

/** True when the request carries the mirror's token (`X-Mirra-Token`, `Bearer`, or `?token=`). */
function hasControlToken(request: FastifyRequest, token: string): boolean {
  const auth = String(request.headers.authorization ?? '');
  const given =
    (typeof request.headers['x-mirra-token'] === 'string' ? request.headers['x-mirra-token'] : undefined) ??
    (/^Bearer\s+(.+)$/i.exec(auth)?.[1]) ??
    (request.query as { token?: string } | undefined)?.token;
  if (!given) return false;
  const digest = (v: string) => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(given), digest(token));
}

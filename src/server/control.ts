/**
 * The control plane (`/_mirra/*`): health, sessions, reset, the virtual clock, simulate events and
 * the delivery log. A request's session is `?session=`, else `X-Mirra-Session`, else the Basic-auth
 * AccountSid, else the default session.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { timingSafeEqual, createHash } from 'node:crypto';
import { MirraError } from '../errors';
import { listBuiltinSeeds, loadSeed } from '../fixtures/seed';
import { parseBasicAuth } from '../twilio/auth';
import type { Session } from '../session/session';
import type { MirraContext, ResourceModule } from './context';
import { mirrorEnv } from './env';

/** The JSON object body of a control request, or mirra's 400. */
export function jsonBody(request: FastifyRequest): Record<string, unknown> {
  const body = request.body ?? {};
  if (typeof body !== 'object' || Array.isArray(body) || (body as { __invalidJson?: boolean }).__invalidJson) {
    throw new MirraError('MIRRA_ERR_BAD_REQUEST', 'the body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/** The session a control request is about. */
export function controlSession(ctx: MirraContext, request: FastifyRequest): Session {
  const q = request.query as { session?: string };
  const header = request.headers['x-mirra-session'];
  const body = request.body as { session?: unknown } | undefined;
  const id = q?.session ?? (typeof header === 'string' ? header : undefined) ?? (typeof body?.session === 'string' ? body.session : undefined);
  if (id) return ctx.sessions.require(id);
  const creds = parseBasicAuth(request.headers.authorization);
  const byAuth = creds ? ctx.sessions.byAccountSid(creds.username) : undefined;
  return byAuth ?? ctx.sessions.require(ctx.options.defaultSessionId);
}

/** The base URL clients use to reach this mirror. */
function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/** Describes a session for the control plane (with secrets only when `withSecrets`). */
export function describeSession(ctx: MirraContext, session: Session, url: string, withSecrets: boolean): Record<string, unknown> {
  const key = session.record.apiKeys[0];
  return {
    sessionId: session.id,
    accountSid: session.accountSid,
    ...(withSecrets ? { authToken: session.authToken, apiKeySid: key?.sid, apiKeySecret: key ? ctx.sessions.apiKeySecret(key.sid) : undefined } : {}),
    seed: session.seed.name,
    url,
  };
}

/** Registers the control plane. */
export async function controlPlane(app: FastifyInstance, ctx: MirraContext, modules: ResourceModule[]): Promise<void> {
  const simulate = new Map(modules.flatMap((m) => Object.entries(m.simulate ?? {})));

  app.addHook('preHandler', async (request) => {
    // The control plane is mirra's own: never served on an intercepted Twilio host.
    if (/(^|\.)twilio\.com$/i.test(request.hostname)) throw new MirraError('MIRRA_ERR_NOT_FOUND', request.url);
    if (ctx.options.token && !request.url.startsWith('/_mirra/health') && !hasControlToken(request, ctx.options.token)) {
      throw new MirraError('MIRRA_ERR_UNAUTHORIZED', 'send X-Mirra-Token (see `mirra up` output or $MIRRA_TOKEN)');
    }
    if (request.url.startsWith('/_mirra/health') || request.url.startsWith('/_mirra/seeds')) return;
    if (/^\/_mirra\/sessions(\?|$)/.test(request.url) && request.method === 'POST') return;
    request.session = controlSession(ctx, request);
  });

  app.get('/_mirra/health', async () => ({ status: 'ok', sessions: ctx.sessions.list().length }));

  app.get('/_mirra/seeds', async () => ({ seeds: listBuiltinSeeds() }));

  app.post('/_mirra/sessions', async (request, reply) => {
    const body = jsonBody(request);
    const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
    if (str('id') !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(str('id')!)) throw new MirraError('MIRRA_ERR_BAD_REQUEST', 'id is 1-64 of [A-Za-z0-9_-]');
    if (str('accountSid') !== undefined && !/^AC[0-9a-f]{32}$/.test(str('accountSid')!)) throw new MirraError('MIRRA_ERR_BAD_REQUEST', 'accountSid is AC + 32 hex');
    const seed = loadSeed(body.seed as string | object | undefined);
    const session = ctx.sessions.create({ id: str('id'), accountSid: str('accountSid'), authToken: str('authToken'), seed });
    return reply.code(201).send(describeSession(ctx, session, baseUrl(request), true));
  });

  app.get('/_mirra/sessions', async (request) => ({
    sessions: ctx.sessions.list().map((s) => describeSession(ctx, s, baseUrl(request), false)),
  }));

  app.delete<{ Params: { id: string } }>('/_mirra/sessions/:id', async (request, reply) => {
    ctx.sessions.remove(request.params.id);
    return reply.code(204).send();
  });

  app.post('/_mirra/reset', async (request) => {
    const session = ctx.sessions.reset(request.session.id);
    return describeSession(ctx, session, baseUrl(request), false);
  });

  app.get('/_mirra/env', async (request) => {
    const s = request.session;
    return mirrorEnv(baseUrl(request), s.accountSid, s.authToken ?? '', ctx.trust.caPath, ctx.trust.bundlePath, ctx.options.token);
  });

  app.get('/_mirra/clock', async (request) => clockState(ctx, request.session));

  app.post('/_mirra/clock', async (request) => {
    const body = jsonBody(request);
    const session = request.session;
    if (body.freeze === true) session.clock.freeze();
    if (body.freeze === false) session.clock.resume();
    if (body.advanceMs !== undefined) {
      const ms = Number(body.advanceMs);
      if (!Number.isFinite(ms) || ms < 0 || ms > 365 * 86_400_000) throw new MirraError('MIRRA_ERR_BAD_REQUEST', 'advanceMs is a number of milliseconds >= 0');
      session.clock.advance(ms);
    }
    ctx.sessions.save(session);
    await ctx.scheduler.runDue(session);
    // By default the answer waits until the deliveries this step caused have been attempted.
    if (body.settle !== false) await ctx.dispatcher.whenIdle(session);
    return clockState(ctx, session);
  });

  app.post('/_mirra/simulate', async (request) => {
    const body = jsonBody(request);
    const handler = simulate.get(String(body.event));
    if (!handler) throw new MirraError('MIRRA_ERR_UNKNOWN_EVENT', `${String(body.event)} (known: ${[...simulate.keys()].join(', ')})`);
    const result = await handler(ctx, request.session, body);
    if (body.settle !== false) await ctx.dispatcher.whenIdle(request.session);
    return result;
  });

  app.get<{ Querystring: { sid?: string; kind?: string } }>('/_mirra/callbacks', async (request) => {
    const { sid, kind } = request.query;
    const log = ctx.dispatcher.log(request.session, (d) => (!kind || d.kind === kind) && (!sid || Object.values(d.refs ?? {}).includes(sid)));
    return { callbacks: log };
  });

  for (const mod of modules) if (mod.control) await mod.control(app, ctx);
}

function clockState(ctx: MirraContext, session: Session): Record<string, unknown> {
  const now = session.clock.now();
  return { now: new Date(now).toISOString(), nowMs: now, frozen: session.clock.isFrozen(), pendingTasks: ctx.scheduler.pending(session).length };
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

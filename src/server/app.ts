/**
 * buildApp: the fastify application of a mirror (never listens by itself). Twilio API routes live in
 * one encapsulated plugin whose hooks authenticate the session and add Twilio's headers; the
 * control plane lives under /_mirra.
 */
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { monotonicMs } from '../clock';
import { MirraError } from '../errors';
import { notFound } from '../twilio/errors';
import { authenticate } from '../twilio/auth';
import { pathOf } from '../twilio/http';
import { assertAllowedForTestAccount } from '../twilio/test-credentials';
import { installInspector } from '../inspector';
import { controlPlane } from './control';
import type { MirraContext, ResourceModule } from './context';
import { handleError, isControlPath } from './errors';
import { twilioHeaders } from './reply';

/** Largest request body accepted (Twilio's own limit for form posts is of this order). */
export const BODY_LIMIT = 1024 * 1024;

/** Strips the origin of an absolute-form request target (a plain-HTTP forward-proxy request). */
function rewriteAbsoluteUrl(url: string | undefined): string {
  if (!url) return '/';
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url);
  if (!m) return url;
  const rest = url.slice(m[0].length);
  return rest.startsWith('/') ? rest : '/' + rest;
}

/** Offers a request no route serves to the interceptor (replay), once its credentials check out. */
async function interceptUnrouted(ctx: MirraContext, request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  try {
    request.session = authenticate(ctx.sessions, request, ctx.options.defaultSessionId);
  } catch {
    return false; // unauthenticated: the usual 404, as before
  }
  try {
    return await ctx.interceptor!(request, reply);
  } catch (err) {
    handleError(err, request, reply);
    return true;
  }
}

/**
 * mirra's routes declare no schemas, so fastify's default schema compilers (ajv and
 * fast-json-stringify: ~110 modules, 50–90 ms of every start-up) are loaded only if one ever does.
 * Each is resolved from fastify's own location, as fastify would.
 */
function lazySchemaCompilers(): FastifyServerOptions['schemaController'] {
  const fromFastify = (id: string) => require(require.resolve(id, { paths: [require.resolve('fastify')] }));
  type Factory = (...args: any[]) => any;
  let validator: Factory | undefined;
  let serializer: Factory | undefined;
  return {
    compilersFactory: {
      buildValidator: (externalSchemas: unknown, options: unknown) =>
        (validator ??= (fromFastify('@fastify/ajv-compiler') as () => Factory)())(externalSchemas, options),
      buildSerializer: (externalSchemas: unknown, options: unknown) =>
        (serializer ??= (fromFastify('@fastify/fast-json-stringify-compiler') as () => Factory)())(externalSchemas, options),
    },
  };
}

/** Builds the application for `ctx` serving `modules`. */
export async function buildApp(ctx: MirraContext, modules: ResourceModule[]): Promise<FastifyInstance> {
  const app = Fastify({
    logger: ctx.options.logLevel === 'silent' ? false : { level: ctx.options.logLevel },
    bodyLimit: BODY_LIMIT,
    rewriteUrl: (req) => rewriteAbsoluteUrl(req.url),
    forceCloseConnections: true,
    return503OnClosing: false,
    schemaController: lazySchemaCompilers(),
    // A path fastify cannot decode (e.g. a stray `%`) is an unknown resource to Twilio, not a crash.
    frameworkErrors: (err, request, reply) =>
      handleError(err.code === 'FST_ERR_BAD_URL' ? (isControlPath(request.url) ? new MirraError('MIRRA_ERR_NOT_FOUND', request.url) : notFound(request.url.split('?')[0])) : err, request, reply),
  });
  app.decorate('mirra', ctx);
  app.decorateRequest('session', null as never);
  // No answer leaves before the writes made so far are committed: with the LMDB store's group
  // commit, this is what keeps an answered request's effects safe from a crash.
  // Hooks here take callbacks, not promises: they run on every request, and an async hook costs a
  // promise and a microtask turn each (~2 µs, a tenth of a fetch's whole budget across six hooks).
  app.addHook('onSend', (_request, _reply, payload, done) => {
    if (!ctx.store.hasPending()) return done(null, payload);
    ctx.store.settled().then(() => done(null, payload), (err: Error) => done(err));
  });
  // Before any plugin, so the inspector's feed sees every answer (API, 404s, control plane).
  const inspector = installInspector(app, ctx);
  await app.register(formbody);
  // JSON is parsed for the control plane; for the Twilio API a JSON body counts as no params,
  // as it does on Twilio (21604 for a JSON message create). Bad JSON never fails the parse step.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (!text.trim()) return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch {
      done(null, { __invalidJson: true });
    }
  });
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, _body, done) => done(null, {}));
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(async (request, reply) => {
    if (isControlPath(request.url)) return handleError(new MirraError('MIRRA_ERR_NOT_FOUND', pathOf(request)), request, reply);
    // A replayed cassette may hold answers for routes the emulator does not have.
    if (ctx.interceptor && (await interceptUnrouted(ctx, request, reply))) return reply;
    return handleError(notFound(pathOf(request)), request, reply);
  });

  await app.register(async (api) => {
    const inFlight = new Map<string, number>();
    api.addHook('onRequest', (request, _reply, done) => {
      (request as unknown as { startedAt: number }).startedAt = monotonicMs();
      try {
        request.session = authenticate(ctx.sessions, request, ctx.options.defaultSessionId);
      } catch (err) {
        return done(err as Error);
      }
      inFlight.set(request.session.id, (inFlight.get(request.session.id) ?? 0) + 1);
      done();
    });
    api.addHook('preHandler', (request, reply, done) => {
      const accountSid = (request.params as { AccountSid?: string }).AccountSid;
      try {
        // A path naming another account is Twilio's 404, never the other account's data.
        if (accountSid !== undefined && accountSid !== request.session.accountSid) throw notFound(pathOf(request));
        assertAllowedForTestAccount(request);
      } catch (err) {
        return done(err as Error);
      }
      if (!ctx.interceptor) return done();
      // Replay: a request the cassette answers never reaches the emulator's handler.
      ctx.interceptor(request, reply).then(
        (answered) => (answered ? undefined : done()),
        (err: Error) => done(err),
      );
    });
    api.addHook('onSend', (request, reply, payload, done) => {
      const started = (request as unknown as { startedAt?: number }).startedAt ?? monotonicMs();
      const concurrent = request.session ? (inFlight.get(request.session.id) ?? 1) : 1;
      reply.headers(twilioHeaders(request, monotonicMs() - started, concurrent));
      done(null, payload);
    });
    api.addHook('onResponse', (request, _reply, done) => {
      if (request.session) inFlight.set(request.session.id, Math.max(0, (inFlight.get(request.session.id) ?? 1) - 1));
      done();
    });
    api.setErrorHandler(handleError);
    for (const mod of modules) if (mod.routes) await mod.routes(api, ctx);
  });

  await app.register(async (control) => controlPlane(control, ctx, [...modules, inspector]));
  return app;
}

/**
 * The API side of the one request pipeline. Every request to the emulated API — over a socket, the
 * CONNECT/TLS proxy or in-process `inject` — takes the same path through this plugin:
 *
 *   record stage (record mode: answer from the cassette, forward upstream, or refuse)
 *   → authenticate the session, guard the account
 *   → replay stage (replay mode: serve the recorded answer, or let it fall through)
 *   → the emulator (a resource's route, else the modules' fallbacks — the generic engine —,
 *     else the API's 404)
 *
 * A module that names its `domains` has its routes in a scope of their own: a request on another
 * domain's host (`chat.twilio.com/v1/Services`) goes to the fallbacks instead of its route. (In
 * base-URL mode, `/verify/v2/Services` reached the routes as `/v2/Services`: the server drops a
 * `/<domain>` prefix the rest of the path implies.)
 *
 * A stage is given the request and answers it itself or passes it on; no transport holds mode
 * logic. Hooks take callbacks, not promises, where they run on every request: an async hook costs
 * a promise and a microtask turn (~2 µs, a tenth of a fetch's budget).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { monotonicMs } from '../clock';
import type { ApiSurface } from '../core/api-surface';
import type { ReportError } from '../core/ports';
import type { ResourceModule, TaskHandler } from '../core/resource-module';
import type { SessionDirectory } from '../core/sessions';

/** A stage of the pipeline (record, replay). */
export interface PipelineStage {
  name: string;
  /** Runs before the session is authenticated (record: the app's credentials are for the real API). */
  beforeAuth?: boolean;
  /** Answers the request itself (resolves true), or leaves it to what follows (false). */
  handle(request: FastifyRequest, reply: FastifyReply): Promise<boolean>;
  /** Control-plane routes of the stage (its status, capture addresses). */
  control?(app: FastifyInstance): void;
  /** What `GET /_mirra/health` says of the stage. */
  health?(): Record<string, unknown>;
  /** Scheduler task handlers of the stage (replayed callbacks), by task kind. */
  tasks?: Record<string, TaskHandler>;
}

/** What the API plugin is made of. */
export interface ApiParts {
  surface: ApiSurface;
  sessions: SessionDirectory;
  defaultSessionId: string;
  modules: ResourceModule[];
  stages: PipelineStage[];
  report: ReportError;
}

type Done = (err?: Error) => void;

declare module 'fastify' {
  interface FastifyRequest {
    /** When the API plugin took the request (monotonic ms), for Twilio-Request-Duration. */
    apiStartedAt: number;
  }
}

/** Answers passed through as the upstream gave them (record): they carry its headers, not the emulator's. */
const passThrough = new WeakSet<FastifyReply>();

/** Marks `reply` as the upstream's own answer, sent with the upstream's headers only. */
export function markPassThrough(reply: FastifyReply): void {
  passThrough.add(reply);
}

/** Runs `stages` in order until one answers; `next` when none did. */
function runStages(stages: PipelineStage[], request: FastifyRequest, reply: FastifyReply, done: Done, next: () => void, i = 0): void {
  if (i === stages.length) return next();
  stages[i].handle(request, reply).then(
    (answered) => (answered ? undefined : runStages(stages, request, reply, done, next, i + 1)),
    (err: Error) => done(err),
  );
}

/** The API plugin: resource routes behind the pipeline's stages, Twilio's headers on every answer. */
export function apiPlugin(parts: ApiParts) {
  const { surface, sessions, defaultSessionId } = parts;
  const early = parts.stages.filter((s) => s.beforeAuth);
  const late = parts.stages.filter((s) => !s.beforeAuth);
  const authenticate = (request: FastifyRequest): void => {
    request.session = surface.authenticate(sessions, request, defaultSessionId);
  };
  return async (api: FastifyInstance): Promise<void> => {
    const inFlight = new Map<string, number>();
    const count = (request: FastifyRequest, delta: number) => {
      if (request.session) inFlight.set(request.session.id, Math.max(0, (inFlight.get(request.session.id) ?? 0) + delta));
    };
    /** After the session is known: the guard, then the stages that need a session, then the route. */
    const afterAuth = (request: FastifyRequest, reply: FastifyReply, done: Done): void => {
      try {
        surface.guard(request);
      } catch (err) {
        return done(err as Error);
      }
      if (late.length === 0) return done();
      runStages(late, request, reply, done, () => done());
    };

    api.decorateRequest('apiStartedAt', 0);
    api.addHook('onRequest', (request, _reply, done) => {
      request.apiStartedAt = monotonicMs();
      if (early.length > 0) return done();
      try {
        authenticate(request);
      } catch (err) {
        return done(err as Error);
      }
      count(request, 1);
      done();
    });

    api.addHook(
      'preHandler',
      early.length === 0
        ? (request, reply, done) => afterAuth(request, reply, done)
        : (request, reply, done) =>
            runStages(early, request, reply, done, () => {
              try {
                authenticate(request);
              } catch (err) {
                return done(err as Error);
              }
              count(request, 1);
              afterAuth(request, reply, done);
            }),
    );

    api.addHook('onSend', (request, reply, payload, done) => {
      if (passThrough.has(reply)) return done(null, payload);
      const concurrent = request.session ? (inFlight.get(request.session.id) ?? 1) : 1;
      reply.headers(surface.headers(request, monotonicMs() - request.apiStartedAt, concurrent));
      done(null, payload);
    });
    api.addHook('onResponse', (request, _reply, done) => {
      count(request, -1);
      done();
    });

    const fallbacks = parts.modules.flatMap((m) => (m.fallback ? [(request: FastifyRequest, reply: FastifyReply) => m.fallback!(request, reply)] : []));
    /** Asks the modules' fallbacks in order; true once one answered. */
    const answerByFallback = async (request: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
      for (const fallback of fallbacks) if (await fallback(request, reply)) return true;
      return false;
    };
    /** A module's routes, answering only for its own domains' hosts (any host in base-URL mode). */
    const ownDomainsOnly = (mod: ResourceModule) => async (scope: FastifyInstance) => {
      const own = new Set(mod.domains);
      // Runs on every request to the module's routes: one lower-casing and a set lookup.
      scope.addHook('preHandler', (request, reply, done) => {
        const domain = surface.domainOf(request.hostname);
        if (domain === undefined || own.has(domain)) return done();
        answerByFallback(request, reply).then((answered) => (answered ? undefined : done(surface.notFound(request.url.split('?')[0]))), done);
      });
      await mod.routes!(scope);
    };
    for (const mod of parts.modules) {
      if (!mod.routes) continue;
      if (!mod.domains) {
        await mod.routes(api);
        continue;
      }
      await api.register(ownDomainsOnly(mod));
    }
    // Every other path: a fallback (the generic engine) answers, or the emulator has no such
    // resource (the replay stage may have answered it already).
    api.all('/*', async (request, reply) => {
      if (await answerByFallback(request, reply)) return reply;
      throw surface.notFound(request.url.split('?')[0]);
    });
  };
}

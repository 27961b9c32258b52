/**
 * The generic resource module (issue #17): every operation of Twilio's 55 specs that no hand-built
 * resource serves, answered statefully by the spec-driven engine (docs/generic-engine.md).
 *
 * - It is the API's **fallback**: the API plugin asks it only for a request no hand-built route
 *   took (or one on a host a hand-built resource does not serve: `chat.twilio.com/v1/Services`).
 * - Hand-built resources take over **one operation at a time** through overrides keyed
 *   `<spec>.<operationId>` (the Account, Keys, Lookup v2, Conversations' webhooks): each source is
 *   a function the module calls on its first request, so the overrides' code loads lazily too.
 * - A served recording of any operation it recognises is **applied** to its store, so an
 *   unrecorded fetch or list afterwards agrees (replay).
 * - `POST /_mirra/generic/plant {url, method?, data?}` makes an instance only Twilio's own
 *   activity would make (a Call's Notification); `GET /_mirra/inspect/generic/<sid>` shows one.
 *
 * The engine and its 38 tables are required on first use: `mirra up` pays nothing for them.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Commit } from '../../core/ports';
import type { ResourceModule } from '../../core/resource-module';
import { MirraError } from '../../errors';
import { notFound } from '../errors';
import type { GenericHandler, GenericOverrides, OverrideSource } from './engine';
import type * as Serve from './serve';
import type { HandBuiltInstances } from './store';

export type { OverrideSource } from './engine';

const serve = () => require('./serve') as typeof Serve;

/** Every source's overrides in one map; an operation claimed twice is a wiring mistake. */
function mergeOverrides(sources: readonly OverrideSource[]): GenericOverrides {
  const merged = new Map<string, GenericHandler>();
  for (const source of sources) {
    for (const [id, handler] of Object.entries(source())) {
      if (merged.has(id)) throw new MirraError('MIRRA_ERR_INTERNAL', `two resources override ${id}`);
      merged.set(id, handler);
    }
  }
  return merged;
}

/** What the generic module is told about the hand-built resources. */
export interface HandBuiltParts {
  /** Where they keep the instances that are parents of operations the engine serves (a Verify Service's Entities). */
  instances: HandBuiltInstances;
  /**
   * Static paths of the specs that one of their parameter routes would take (`/v1/Services/Usecases`
   * is not a Messaging Service `Usecases`): routes of the engine's own, which fastify prefers.
   */
  staticPaths: readonly string[];
}

/** The generic module: registered last, after every hand-built resource. */
export function genericResource(ports: { commit: Commit }, sources: readonly OverrideSource[], hand: HandBuiltParts = { instances: {}, staticPaths: [] }): ResourceModule {
  const handBuilt = hand.instances;
  const claimed = hand.staticPaths;
  let overrides: GenericOverrides | undefined;
  const transaction = <T>(fn: () => T): T => ports.commit.transaction(fn);
  return {
    name: 'generic',
    fallback(request: FastifyRequest, reply: FastifyReply) {
      overrides ??= mergeOverrides(sources);
      return serve().serveGeneric(request, reply, overrides, handBuilt, transaction);
    },
    routes(api) {
      // Static paths of the specs that a hand-built route's parameter would take otherwise.
      for (const path of claimed) {
        api.all(path, async (request, reply) => {
          overrides ??= mergeOverrides(sources);
          if (await serve().serveGeneric(request, reply, overrides, handBuilt, transaction)) return reply;
          throw notFound(request.url.split('?')[0]);
        });
      }
    },
    control(app) {
      app.post('/_mirra/generic/plant', async (request, reply) => {
        const body = request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
        return reply.code(201).send(serve().plantAt(request.session, body, handBuilt));
      });
    },
    replay: { apply: (session, served) => serve().applyGeneric(session, served, handBuilt) },
    inspect: { detail: { generic: (session, sid) => serve().inspectGeneric(session, sid) } },
  };
}

/**
 * buildApp: the fastify application of a mirror (never listens by itself). The API lives in one
 * encapsulated plugin (./api-plugin.ts: the request pipeline); the control plane under /_mirra.
 * Nothing here knows which API is emulated: that comes in as an {@link ApiSurface} and modules.
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { ApiSurface } from '../core/api-surface';
import { withoutImpliedPrefix } from '../cassette/normalize';
import { isControlPath } from '../core/control-path';
import { MirraError } from '../errors';
import { apiPlugin, type ApiParts } from './api-plugin';
import { registerBodyParsers } from './body';
import { controlPlane, type ControlDeps } from './control';
import { errorHandler } from './errors';

/** Largest request body accepted (Twilio's own limit for form posts is of this order). */
export const BODY_LIMIT = 1024 * 1024;

/** What an app is built from, each part whole. */
export interface AppParts {
  logLevel: 'silent' | 'error' | 'warn' | 'info' | 'debug';
  surface: ApiSurface;
  api: ApiParts;
  control: ControlDeps;
  /** The inspector: its feed's hook and its routes. */
  inspector: { observe(app: FastifyInstance): void; routes(app: FastifyInstance): void };
  /** Writes not yet committed (the LMDB store's group commit). */
  store: { hasPending(): boolean; settled(): Promise<void> };
}

declare module 'http' {
  interface IncomingMessage {
    /** The host of an absolute-form request target (a plain-HTTP forward-proxy request), if it had one. */
    mirraTargetHost?: string;
  }
}

/**
 * Strips the origin of an absolute-form request target, noting the host it named; and a base-URL
 * `/<domain>` prefix the rest of the path implies (`/verify/v2/…` is `/v2/…`).
 */
function rewriteAbsoluteUrl(req: import('http').IncomingMessage): string {
  const url = req.url;
  if (!url) return '/';
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(url);
  if (!m) return withoutImpliedPrefix(url);
  req.mirraTargetHost = m[1];
  const rest = url.slice(m[0].length);
  return rest.startsWith('/') ? rest : '/' + rest;
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

/** Builds the application of a mirror from its parts. */
export async function buildApp(parts: AppParts): Promise<FastifyInstance> {
  const handleError = errorHandler(parts.surface);
  const app = Fastify({
    logger: parts.logLevel === 'silent' ? false : { level: parts.logLevel },
    bodyLimit: BODY_LIMIT,
    rewriteUrl: rewriteAbsoluteUrl,
    forceCloseConnections: true,
    return503OnClosing: false,
    schemaController: lazySchemaCompilers(),
    // A path fastify cannot decode (e.g. a stray `%`) is an unknown resource, not a crash.
    frameworkErrors: (err, request, reply) =>
      handleError(err.code === 'FST_ERR_BAD_URL' ? (isControlPath(request.url) ? new MirraError('MIRRA_ERR_NOT_FOUND', request.url) : parts.surface.notFound(request.url.split('?')[0])) : err, request, reply),
  });
  app.decorateRequest('session', null as never);
  // No answer leaves before the writes made so far are committed: with the LMDB store's group
  // commit, this is what keeps an answered request's effects safe from a crash.
  app.addHook('onSend', (_request, _reply, payload, done) => {
    if (!parts.store.hasPending()) return done(null, payload);
    parts.store.settled().then(() => done(null, payload), (err: Error) => done(err));
  });
  // Before any plugin, so the inspector's feed sees every answer (API, 404s, control plane).
  parts.inspector.observe(app);
  registerBodyParsers(app);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(async (request) => {
    throw isControlPath(request.url) ? new MirraError('MIRRA_ERR_NOT_FOUND', request.url.split('?')[0]) : parts.surface.notFound(request.url.split('?')[0]);
  });
  await app.register(apiPlugin(parts.api));
  await app.register(async (control) => {
    await controlPlane(control, parts.control);
    parts.inspector.routes(control);
  });
  return app;
}

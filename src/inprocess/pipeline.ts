/**
 * The in-process pipeline: an intercepted request goes through the mirror's own fastify app with
 * `app.inject` — the same routes, hooks, replay and emulator as a request over a socket, with no
 * port and no proxy.
 */
import type { FastifyInstance } from 'fastify';
import type { Pipeline } from './intercept';

type InjectMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** A pipeline that serves requests with `app`. */
export function injectPipeline(app: FastifyInstance): Pipeline {
  return async (request) => {
    const res = await app.inject({
      method: request.method as InjectMethod,
      url: request.path,
      // The Host header names the Twilio host the client addressed (routing and URLs use it).
      headers: { ...request.headers, host: request.host },
      payload: request.body === '' ? undefined : request.body,
    });
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.map(String) : String(v);
    return { statusCode: res.statusCode, headers, body: res.rawPayload };
  };
}

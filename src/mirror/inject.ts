/**
 * Requests without a socket: an intercepted API request (in-process mode) and a control-plane
 * call, both through the mirror's own app with `inject` — the same routes, hooks and pipeline as
 * a request over a socket.
 */
import type { FastifyInstance } from 'fastify';
import type { ControlAnswer, TransportRequest, TransportResponse } from '../core/transport';

type InjectMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** Serves one intercepted request with `app`. */
export async function injectRequest(app: FastifyInstance, request: TransportRequest): Promise<TransportResponse> {
  const res = await app.inject({
    method: request.method as InjectMethod,
    url: request.path,
    // The Host header names the API host the client addressed (routing and URLs use it).
    headers: { ...request.headers, host: request.host },
    payload: request.body.length === 0 ? undefined : request.body,
  });
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.map(String) : String(v);
  return { statusCode: res.statusCode, headers, body: res.rawPayload };
}

/** Sends one control-plane request to `app` (JSON in, JSON out), with the mirror's token when it has one. */
export async function controlRequest(app: FastifyInstance, method: string, path: string, body: unknown, token: string | null): Promise<ControlAnswer> {
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  // The caller holds the mirror itself: in-process calls never need to be told the token.
  if (token) headers['x-mirra-token'] = token;
  const res = await app.inject({ method: method as InjectMethod, url: path, headers, payload: body === undefined ? undefined : JSON.stringify(body) });
  let parsed: unknown = null;
  try {
    parsed = res.payload ? JSON.parse(res.payload) : null;
  } catch {
    parsed = res.payload;
  }
  return { status: res.statusCode, body: parsed };
}

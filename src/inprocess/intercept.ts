/**
 * The in-process transport: nock (its public API only) catches every HTTPS request this process
 * makes to a Twilio host (`api.twilio.com`, `verify.twilio.com`, `messaging.twilio.com`, regional
 * and edge hosts such as `api.dublin.ie1.twilio.com`) and hands it, as a transport-free request, to
 * a pipeline — the mirror's own request pipeline (`Mirror.inject`). Other traffic is left
 * alone: callbacks to the app's local receiver go out over the network as usual.
 *
 * nock is loaded only here, when interception starts: loading it patches Node's HTTP client for
 * the whole process, which nobody who merely imports mirra should pay for.
 */
import type { Interceptor, Scope } from 'nock';
import type { TransportRequest, TransportResponse } from '../core/transport';
import { MirraError } from '../errors';

export type { TransportRequest, TransportResponse } from '../core/transport';

/** Handles one intercepted request. */
export type Pipeline = (request: TransportRequest) => Promise<TransportResponse>;

/** A live interception; `close()` removes exactly the interceptors it added. */
export interface Interception {
  /** True while every interceptor of this interception is registered with nock. */
  isActive(): boolean;
  /** Registers the interceptors again if something removed them (e.g. a test's `nock.cleanAll()`); true when it had to. */
  ensure(): boolean;
  close(): void;
}

/**
 * The origins intercepted, as nock matches them: `https://HOST:443` when it picks the scope and
 * `METHOD https://HOST/path` when it matches an interceptor, so the pattern accepts both forms and
 * nothing but Twilio's domain (`twilio.com.example.org` and `eviltwilio.com` do not match).
 */
export const TWILIO_ORIGIN = /(^|\s)https:\/\/([a-z0-9-]+\.)*twilio\.com(:443)?(\/|$)/i;

/** Every method the Twilio API (and a stray client) may use. */
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/** Hop-by-hop headers of the pipeline's answer that must not be replayed to the client. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

type Nock = typeof import('nock');

/** Loads nock, or explains how to get it. */
export function loadNock(): Nock {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('nock') as Nock;
  } catch (err) {
    throw new MirraError('MIRRA_ERR_INTERNAL', `in-process mode needs the nock package, which could not be loaded (${(err as Error).message})`, "reinstall mirra's dependencies (`npm install`)");
  }
}

function flattenHeaders(raw: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

/** The answer as nock's reply function returns it: `[status, body, headers]`. */
function toNockReply(res: TransportResponse): [number, Buffer, Record<string, string | string[]>] {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(res.headers)) if (!HOP_BY_HOP.has(k.toLowerCase())) headers[k] = v;
  // Always a Content-Length: nock 14 ends a response without one only when the socket closes,
  // which never happens on the SDK's keep-alive connections (nock/nock#3001).
  headers['content-length'] = String(res.body.length);
  return [res.statusCode, res.body, headers];
}

/**
 * Starts intercepting Twilio's hosts in this process and serving them with `pipeline`.
 * Persisted interceptors: every request is served until `close()`.
 */
export function interceptTwilio(pipeline: Pipeline, nock: Nock = loadNock()): Interception {
  let scope: Scope | null = null;
  let interceptors: Interceptor[] = [];
  let closed = false;

  // A function (not an arrow): nock passes the request it intercepted as `this.req`.
  async function reply(this: { req: { method?: string; headers: Record<string, unknown> } }, uri: string, body: unknown): Promise<[number, Buffer, Record<string, string | string[]>]> {
    const headers = flattenHeaders(this.req.headers ?? {});
    const request: TransportRequest = {
      method: String(this.req.method ?? 'GET').toUpperCase(),
      host: (headers.host ?? 'api.twilio.com').replace(/:443$/, ''),
      path: uri,
      headers,
      // nock hands JSON bodies over parsed; the pipeline wants the bytes the client sent.
      body: body === undefined || body === null ? '' : typeof body === 'string' ? body : JSON.stringify(body),
    };
    return toNockReply(await pipeline(request));
  }

  const arm = () => {
    // allowUnmocked: once this interception is closed, its (then empty) scope lets requests through.
    scope = nock(TWILIO_ORIGIN, { allowUnmocked: true }).persist();
    interceptors = METHODS.map((method) => {
      const interceptor = scope!.intercept(/.*/, method);
      interceptor.reply(reply as never);
      return interceptor;
    });
  };
  const isActive = () => !closed && scope !== null && scope.activeMocks().length === METHODS.length;

  // A previous user (see releaseNockIfIdle) may have restored Node's HTTP client.
  if (!nock.isActive()) nock.activate();
  if (nock.activeMocks().some((key) => key.includes(TWILIO_ORIGIN.source))) {
    throw new MirraError(
      'MIRRA_ERR_BAD_REQUEST',
      'another in-process mirror is already intercepting Twilio in this process',
      'close() it first, or give each test its own session of one mirror (mirror.createSession())',
    );
  }
  arm();
  return {
    isActive,
    ensure() {
      if (closed || isActive()) return false;
      for (const interceptor of interceptors) nock.removeInterceptor(interceptor);
      arm();
      return true;
    },
    close() {
      if (closed) return;
      closed = true;
      for (const interceptor of interceptors) nock.removeInterceptor(interceptor);
      interceptors = [];
    },
  };
}

/**
 * Gives Node's HTTP client back (`nock.restore()`) when no interceptor of this nock is left. Under
 * Jest each test file loads its own nock, and a file's nock that stays active after the file ends
 * keeps sitting in front of every later file's requests (Jest 30 warns JEST-01 about it). Only
 * when idle: a test's own interceptors are never cut off. True when it restored.
 */
export function releaseNockIfIdle(nock: Nock = loadNock()): boolean {
  if (!nock.isActive() || nock.activeMocks().length > 0) return false;
  nock.restore();
  return true;
}

/**
 * Feeding the inspector: one `onSend` hook on the root app sees every answer — Twilio API routes,
 * replayed and unrouted (404) requests, and the control plane — and notes it in the session's
 * feed. Credentials never reach the feed: the Authorization header is not read beyond its
 * username, params named like secrets are masked, and the request's own password is scrubbed from
 * every value (a body may quote it).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isSecretName, REDACTED, Redactor } from '../cassette/redact';
import { answerValues } from '../core/answers';
import { parseBasicAuth } from '../core/basic-auth';
import { isControlPath } from '../core/control-path';
import type { ReportError } from '../core/ports';
import type { SessionDirectory } from '../core/sessions';
import type { Session } from '../session/session';
import type { EventFeed } from './feed';

/** What the feed's hook needs besides the feed. */
export interface ObserveDeps {
  sessions: SessionDirectory;
  defaultSessionId: string;
  report: ReportError;
}

function pathOf(request: FastifyRequest): string {
  const q = request.url.indexOf('?');
  return q === -1 ? request.url : request.url.slice(0, q);
}

/** Answers larger than this are not parsed for their SID or error (lists, mostly). */
const MAX_PARSED_ANSWER = 32 * 1024;

type Params = Record<string, string | string[]>;

/** A scalar param value as the feed shows it (secrets masked), or undefined for anything else. */
function cleanValue(value: unknown, secret: boolean, redactor: Redactor): string | undefined {
  if (value === undefined || value === null || typeof value === 'object') return undefined;
  return secret ? REDACTED : redactor.string(String(value));
}

/**
 * String-valued params of a parsed body or query, secrets masked, added to `out`. Every API
 * request passes here, so a single value takes no array on the way.
 */
function cleanParams(source: unknown, redactor: Redactor, out: Params = {}): Params {
  if (!source || typeof source !== 'object' || Array.isArray(source)) return out;
  for (const k in source as Record<string, unknown>) {
    if (!Object.hasOwn(source, k) || k.startsWith('__')) continue; // parser markers, e.g. __invalidJson
    const v = (source as Record<string, unknown>)[k];
    const secret = isSecretName(k);
    if (!Array.isArray(v)) {
      const one = cleanValue(v, secret, redactor);
      if (one !== undefined) out[k] = one;
      continue;
    }
    const many: string[] = [];
    for (const x of v) {
      const one = cleanValue(x, secret, redactor);
      if (one !== undefined) many.push(one);
    }
    if (many.length > 0) out[k] = many.length === 1 ? many[0] : many;
  }
  return out;
}

/** The JSON object of a small answer, if it is one: as rendered when known, else parsed back. */
function answerOf(reply: FastifyReply, payload: unknown): Record<string, unknown> | undefined {
  const value = answerValues.get(reply);
  if (value !== undefined) return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  return parseAnswer(payload);
}

/** The JSON object of a small answer, if it is one. */
function parseAnswer(payload: unknown): Record<string, unknown> | undefined {
  const text = Buffer.isBuffer(payload) ? (payload.length <= MAX_PARSED_ANSWER ? payload.toString('utf8') : '') : typeof payload === 'string' && payload.length <= MAX_PARSED_ANSWER ? payload : '';
  if (!text.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The session an API request concerns, also when its credentials were refused. */
function apiSession(deps: ObserveDeps, request: FastifyRequest): { session: Session | undefined; authenticated: boolean } {
  if (request.session) return { session: request.session, authenticated: true };
  const username = parseBasicAuth(request.headers.authorization)?.username;
  const session = (username ? (deps.sessions.byAccountSid(username) ?? deps.sessions.byApiKey(username)) : undefined) ?? deps.sessions.get(deps.defaultSessionId);
  return { session, authenticated: false };
}

/** Redactors by Authorization header: a client sends the same one on every request. */
const redactors = new Map<string, Redactor>();
const MAX_REDACTORS = 256;

/** A redactor that knows the secrets of `authorization` (built once per distinct header). */
function redactorFor(authorization: string | undefined): Redactor {
  const header = authorization ?? '';
  let redactor = redactors.get(header);
  if (!redactor) {
    redactor = new Redactor();
    redactor.addBasicAuth(authorization);
    if (redactors.size >= MAX_REDACTORS) redactors.clear();
    redactors.set(header, redactor);
  }
  return redactor;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

function noteApiRequest(deps: ObserveDeps, feed: EventFeed, request: FastifyRequest, reply: FastifyReply, payload: unknown): void {
  const { session, authenticated } = apiSession(deps, request);
  if (!session) return;
  const redactor = redactorFor(request.headers.authorization);
  const answer = answerOf(reply, payload);
  const status = reply.statusCode;
  const sid = str(answer?.sid);
  feed.add(session.id, {
    type: 'request',
    at: session.clock.now(),
    method: request.method,
    host: String(request.headers.host ?? ''),
    path: redactor.string(request.url),
    statusCode: status,
    durationMs: Math.round(reply.elapsedTime * 10) / 10,
    params: cleanParams(request.body, redactor, cleanParams(request.query, redactor)),
    error: status >= 400 && answer && answer.code !== undefined ? { code: answer.code as number | string, message: String(answer.message ?? '') } : undefined,
    resource: sid ? { sid, status: str(answer?.status), to: str(answer?.to), from: str(answer?.from) } : undefined,
    authenticated,
  });
}

/** What a control-plane request did, for the feed (reads only; GETs are not noted). */
function noteControl(deps: ObserveDeps, feed: EventFeed, request: FastifyRequest, reply: FastifyReply, payload: unknown): void {
  if (request.method === 'GET' || request.method === 'HEAD') return;
  const path = pathOf(request);
  const body = cleanParams(request.body, new Redactor());
  const statusCode = reply.statusCode;
  if (path === '/_mirra/sessions' && request.method === 'POST') {
    const id = str(parseAnswer(payload)?.sessionId);
    const session = id ? deps.sessions.get(id) : undefined;
    if (session) feed.add(session.id, { type: 'control', at: session.clock.now(), action: 'session created', statusCode, detail: { seed: session.seed.name } });
    return;
  }
  const removed = /^\/_mirra\/sessions\/([^/]+)$/.exec(path);
  if (removed && request.method === 'DELETE') {
    if (statusCode < 400) feed.clear(decodeURIComponent(removed[1]));
    return;
  }
  const session = request.session ? (deps.sessions.get(request.session.id) ?? request.session) : undefined;
  if (!session) return;
  const action = path.replace(/^\/_mirra\//, '');
  // A reset starts the session over: its timeline starts over too.
  if (action === 'reset' && statusCode < 400) feed.clear(session.id);
  feed.add(session.id, { type: 'control', at: session.clock.now(), action, statusCode, detail: body });
}

/**
 * Adds the hook that feeds `feed` to the root of `app` (so it sees every route, the 404 handler and
 * the control plane). Errors inside the hook are reported, never thrown into the answer.
 */
export function observeRequests(app: FastifyInstance, deps: ObserveDeps, feed: EventFeed): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    try {
      if (isControlPath(request.url)) noteControl(deps, feed, request, reply, payload);
      else noteApiRequest(deps, feed, request, reply, payload);
    } catch (err) {
      deps.report(err, `inspector feed (${request.method} ${pathOf(request)})`);
    }
    done(null, payload);
  });
}

/**
 * The session inspector on the control plane: `GET /_mirra/` serves a static page (plain HTML, CSS
 * and JS from the package's `inspector/` folder — nothing to build), which polls
 * `GET /_mirra/events?session=&q=` for the session's timeline and
 * `GET /_mirra/inspect/<resource>/:sid` for one resource's detail view (a message, ...), as the
 * resource's inspect hook renders it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Delivery } from '../callbacks/dispatcher';
import type { ResourceModule } from '../core/resource-module';
import { MirraError } from '../errors';
import type { Session } from '../session/session';
import type { EventFeed } from './feed';
import { buildTimeline, matchesFilter, type DeliveryViews, type TimelineEvent } from './timeline';

/** What the inspector reads, built whole before it is registered. */
export interface InspectorDeps {
  feed: EventFeed;
  modules: ResourceModule[];
  /** A session's delivery log (the dispatcher's). */
  deliveries(session: Session): Delivery[];
  /** The mirror's control-plane token (the page's assets need it in their URLs), or null. */
  token: string | null;
}

/** Where the page's files live: `<package>/inspector` (two levels above both src/inspector and dist/inspector). */
export const INSPECTOR_ASSETS_DIR = join(__dirname, '..', '..', 'inspector');

const ASSETS: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'inspector.js': 'text/javascript; charset=utf-8',
  'inspector.css': 'text/css; charset=utf-8',
};

/** How many rows `GET /_mirra/events` answers by default (the newest), and at most. */
const DEFAULT_LIMIT = 500;
const MAX_LIMIT = 5000;

/** How each kind of delivery reads, from every module's inspect hooks. */
function deliveryViews(modules: ResourceModule[]): DeliveryViews {
  return new Map(modules.flatMap((m) => Object.entries(m.inspect?.deliveries ?? {})));
}

/** The full timeline of a session. */
export function sessionTimeline(deps: InspectorDeps, session: Session, views = deliveryViews(deps.modules)): TimelineEvent[] {
  return buildTimeline({
    feed: deps.feed.entries(session.id),
    deliveries: deps.deliveries(session),
    rows: deps.modules.flatMap((m) => m.inspect?.rows?.(session) ?? []),
    views,
    accountSid: session.accountSid,
  });
}

/** A status the resource entered at this row: its creation (the API's answer) or a transition. */
function transitionOf(e: TimelineEvent, sid: string): { at: string; status: unknown; errorCode: unknown }[] {
  if (e.type === 'status') return [{ at: e.time, status: e.detail.status, errorCode: e.detail.errorCode }];
  const resource = e.detail.resource as { sid?: string; status?: string } | undefined;
  if (e.type === 'request' && e.detail.statusCode === 201 && resource?.sid === sid && resource.status) return [{ at: e.time, status: resource.status, errorCode: null }];
  return [];
}

function sendAsset(reply: FastifyReply, dir: string, name: string, token?: string): FastifyReply {
  let text: string;
  try {
    text = readFileSync(join(dir, name), 'utf8');
  } catch {
    throw new MirraError('MIRRA_ERR_NOT_FOUND', `inspector file ${name} is missing from ${dir}`, 'reinstall mirra (the package ships the page in inspector/)');
  }
  // A mirror with a token: the page was opened with `?token=` (so its opener knows it), and its
  // script and style need it too, as a <script src> cannot send a header.
  if (token) text = text.replace(/(\/_mirra\/inspector\/[a-z.]+)"/g, (_m, url: string) => `${url}?token=${encodeURIComponent(token)}"`);
  // The page is a debugging aid for this mirror only: nothing from elsewhere may load into it.
  return reply
    .header('content-type', ASSETS[name])
    .header('cache-control', 'no-store')
    .header('content-security-policy', "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'")
    .send(text);
}

/** Registers the inspector's control-plane routes. */
export function inspectorRoutes(app: FastifyInstance, deps: InspectorDeps, assetsDir = INSPECTOR_ASSETS_DIR): void {
  const views = deliveryViews(deps.modules);
  const details = new Map(deps.modules.flatMap((m) => Object.entries(m.inspect?.detail ?? {})));
  app.get('/_mirra', async (request, reply) => {
    const q = request.url.indexOf('?');
    return reply.redirect(`/_mirra/${q === -1 ? '' : request.url.slice(q)}`);
  });
  app.get<{ Querystring: { token?: string } }>('/_mirra/', async (request, reply) =>
    sendAsset(reply, assetsDir, 'index.html', deps.token ? request.query.token : undefined),
  );
  app.get<{ Params: { file: string } }>('/_mirra/inspector/:file', async (request, reply) => {
    if (!Object.hasOwn(ASSETS, request.params.file) || request.params.file === 'index.html') throw new MirraError('MIRRA_ERR_NOT_FOUND', request.url);
    return sendAsset(reply, assetsDir, request.params.file);
  });

  app.get<{ Querystring: { q?: string; limit?: string } }>('/_mirra/events', async (request) => {
    const session = request.session;
    const limit = request.query.limit === undefined ? DEFAULT_LIMIT : Number(request.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new MirraError('MIRRA_ERR_BAD_REQUEST', `limit is a whole number from 1 to ${MAX_LIMIT}`);
    const all = sessionTimeline(deps, session, views);
    const q = request.query.q ?? '';
    const matching = q ? all.filter((e) => matchesFilter(e, q)) : all;
    const now = session.clock.now();
    return {
      session: { id: session.id, accountSid: session.accountSid, seed: session.seed.name },
      clock: { now: new Date(now).toISOString(), nowMs: now, frozen: session.clock.isFrozen() },
      query: q,
      total: all.length,
      matching: matching.length,
      events: matching.slice(-limit),
    };
  });

  app.get<{ Params: { resource: string; sid: string } }>('/_mirra/inspect/:resource/:sid', async (request) => {
    const session = request.session;
    const { resource, sid } = request.params;
    const detail = details.get(resource);
    if (!detail) throw new MirraError('MIRRA_ERR_NOT_FOUND', `no inspector view of ${resource}`, `use one of: ${[...details.keys()].join(', ')}`);
    const record = detail(session, sid);
    const events = sessionTimeline(deps, session, views).filter((e) => e.sids.includes(sid));
    if (record === undefined && events.length === 0) {
      throw new MirraError('MIRRA_ERR_NOT_FOUND', `${resource} ${sid} in session ${session.id}`, 'open the session it belongs to (?session=ID; GET /_mirra/sessions lists them)');
    }
    return {
      sid,
      // `message` for the page's message view: the singular of the resource's name.
      [resource.replace(/s$/, '')]: record ?? null,
      transitions: events.flatMap((e) => transitionOf(e, sid)),
      callbacks: events.filter((e) => e.type === 'callback' || e.type === 'inbound-webhook'),
      events,
    };
  });
}

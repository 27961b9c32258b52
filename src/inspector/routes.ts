/**
 * The session inspector on the control plane: `GET /_mirra/` serves a static page (plain HTML, CSS
 * and JS from the package's `inspector/` folder — nothing to build), which polls
 * `GET /_mirra/events?session=&q=` for the session's timeline and
 * `GET /_mirra/inspect/messages/:sid` for a message's detail view.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { MirraError } from '../errors';
import type { MirraContext, ResourceModule } from '../server/context';
import type { Session } from '../session/session';
import { readInbox } from '../twilio/inbox';
import { viewAt } from '../twilio/messages/lifecycle';
import { renderMessage } from '../twilio/messages/render';
import { MESSAGES, type MessageRecord } from '../twilio/messages/types';
import type { EventFeed } from './feed';
import { buildTimeline, matchesFilter, type TimelineEvent } from './timeline';

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

/** The full timeline of a session. */
export function sessionTimeline(ctx: MirraContext, feed: EventFeed, session: Session): TimelineEvent[] {
  return buildTimeline({
    feed: feed.entries(session.id),
    deliveries: ctx.dispatcher.log(session),
    inbox: readInbox(session),
    accountSid: session.accountSid,
  });
}

/** A status the message entered at this row: its creation (the API's answer) or a transition. */
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

/** The inspector as a resource module (control-plane routes only), reading `feed`. */
export function inspectorModule(feed: EventFeed, assetsDir = INSPECTOR_ASSETS_DIR): ResourceModule {
  return {
    name: 'inspector',
    control: async (app: FastifyInstance, ctx: MirraContext) => {
      app.get('/_mirra', async (request, reply) => {
        const q = request.url.indexOf('?');
        return reply.redirect(`/_mirra/${q === -1 ? '' : request.url.slice(q)}`);
      });
      app.get<{ Querystring: { token?: string } }>('/_mirra/', async (request, reply) =>
        sendAsset(reply, assetsDir, 'index.html', ctx.options.token ? request.query.token : undefined),
      );
      app.get<{ Params: { file: string } }>('/_mirra/inspector/:file', async (request, reply) => {
        if (!Object.hasOwn(ASSETS, request.params.file) || request.params.file === 'index.html') throw new MirraError('MIRRA_ERR_NOT_FOUND', request.url);
        return sendAsset(reply, assetsDir, request.params.file);
      });

      app.get<{ Querystring: { q?: string; limit?: string } }>('/_mirra/events', async (request) => {
        const session = request.session;
        const limit = request.query.limit === undefined ? DEFAULT_LIMIT : Number(request.query.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new MirraError('MIRRA_ERR_BAD_REQUEST', `limit is a whole number from 1 to ${MAX_LIMIT}`);
        const all = sessionTimeline(ctx, feed, session);
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

      app.get<{ Params: { sid: string } }>('/_mirra/inspect/messages/:sid', async (request) => {
        const session = request.session;
        const sid = request.params.sid;
        const stored = session.collection<MessageRecord>(MESSAGES).get(sid);
        const record = stored ? viewAt(stored, session.clock.now()) : undefined;
        const events = sessionTimeline(ctx, feed, session).filter((e) => e.sids.includes(sid));
        if (!record && events.length === 0) {
          throw new MirraError('MIRRA_ERR_NOT_FOUND', `message ${sid} in session ${session.id}`, 'open the session it was sent in (?session=ID; GET /_mirra/sessions lists them)');
        }
        return {
          sid,
          message: record ? renderMessage(record) : null,
          transitions: events.flatMap((e) => transitionOf(e, sid)),
          callbacks: events.filter((e) => e.type === 'callback' || e.type === 'inbound-webhook'),
          events,
        };
      });
    },
  };
}

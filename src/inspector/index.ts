/**
 * The session inspector: a live timeline per session at `GET /_mirra/` (see ./routes.ts), fed by
 * a hook on every answer (./observe.ts) and by status changes (the context's observer).
 */
import type { FastifyInstance } from 'fastify';
import type { MirraContext, ResourceModule } from '../server/context';
import { EventFeed } from './feed';
import { observeRequests } from './observe';
import { inspectorModule } from './routes';

export { EventFeed, type FeedEntry } from './feed';
export { buildTimeline, matchesFilter, type TimelineEvent, type TimelineType } from './timeline';
export { INSPECTOR_ASSETS_DIR } from './routes';

/**
 * Installs the inspector's feed on `app` (call before any plugin is registered, so the hook sees
 * every route) and returns its control-plane module for the app's module list.
 */
export function installInspector(app: FastifyInstance, ctx: MirraContext): ResourceModule {
  const feed = new EventFeed();
  ctx.observer = feed;
  observeRequests(app, ctx, feed);
  return inspectorModule(feed);
}

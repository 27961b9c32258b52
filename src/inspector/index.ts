/**
 * The session inspector: a live timeline per session at `GET /_mirra/` (see ./routes.ts), fed by a
 * hook on every answer (./observe.ts) and by status changes (the feed is the resources'
 * StatusObserver port). It reads resources only through their inspect hooks.
 */
import type { FastifyInstance } from 'fastify';
import { observeRequests, type ObserveDeps } from './observe';
import { inspectorRoutes, type InspectorDeps } from './routes';

export { EventFeed, type FeedEntry } from './feed';
export { buildTimeline, matchesFilter, type TimelineEvent } from './timeline';
export { INSPECTOR_ASSETS_DIR, type InspectorDeps } from './routes';

/** The inspector of one mirror. */
export interface Inspector {
  /** Adds the feed's hook to the root app (before any plugin, so it sees every answer). */
  observe(app: FastifyInstance): void;
  /** Registers the inspector's control-plane routes. */
  routes(app: FastifyInstance): void;
}

/** The inspector over `deps`. */
export function createInspector(deps: InspectorDeps & ObserveDeps): Inspector {
  return {
    observe: (app) => observeRequests(app, deps, deps.feed),
    routes: (app) => inspectorRoutes(app, deps),
  };
}

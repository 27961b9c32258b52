/**
 * Answers kept for resources no emulated resource models: a served JSON resource is kept as the
 * representation last served at its path, and a later unrecorded GET of that path gets it back,
 * so a replay of an API the emulator lacks still agrees with itself.
 */
import type { ServedAnswer } from '../core/resource-module';
import type { Session } from '../session/session';

/** The collection of representations served for resources the emulator does not model. */
export const SERVED_RESOURCES = 'replay_served_resources';

/** A representation kept by path (`sid` is the path, to fit a collection). */
export interface ServedResource {
  sid: string;
  body: Record<string, unknown>;
}

/** The path of a resource from its own `url` (v1/v2) or `uri` (2010). */
function ownPath(body: Record<string, unknown>): string | null {
  if (typeof body.url === 'string') {
    try {
      return new URL(body.url).pathname;
    } catch {
      return null;
    }
  }
  return typeof body.uri === 'string' ? body.uri : null;
}

/** True for a plain JSON object (not an array or null). */
function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Keeps (or, for a delete, forgets) the representation a served answer shows. */
export function keepServed(session: Session, served: ServedAnswer): void {
  const kept = session.collection<ServedResource>(SERVED_RESOURCES);
  if (served.method === 'DELETE' && served.status >= 200 && served.status < 300) {
    kept.delete(served.path);
    return;
  }
  if (served.status < 200 || served.status >= 300 || !isObject(served.body) || typeof served.body.sid !== 'string') return;
  const path = ownPath(served.body) ?? (served.method === 'GET' ? served.path : null);
  if (path) kept.update({ sid: path, body: served.body });
}

/** The representation last served at `path`, for an unrecorded GET of a resource the emulator lacks. */
export function servedResource(session: Session, path: string): Record<string, unknown> | undefined {
  return session.collection<ServedResource>(SERVED_RESOURCES).get(path)?.body;
}

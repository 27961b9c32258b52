/**
 * Applying a served response to the emulator's state, so that what a replay answered and what the
 * emulator answers later (a fetch or list that was not recorded, a fall-through) agree. Each
 * resource family the emulator models has an applier; any other JSON resource is kept as the
 * representation last served at its path, and a later unrecorded GET of that path gets it back.
 */
import type { Pair } from '../cassette/types';
import type { Session } from '../session/session';
import { applyMessage } from './apply-messages';
import { applyNumber } from './apply-numbers';
import { applyVerify } from './apply-verify';

/** A served response, materialised for the session, with the request it answered. */
export interface Served {
  method: string;
  /** The request's real path (the session's SIDs). */
  path: string;
  /** The request's form and query pairs, as sent. */
  form: Pair[];
  status: number;
  body: unknown;
  /** Session-clock instant of the request. */
  now: number;
}

/** What applying may do beyond writing records. */
export interface ApplyEnv {
  /**
   * The cassette holds no callbacks (recorded without a public URL): a replayed message gets the
   * emulator's own timeline, whose status callbacks the emulator then sends.
   */
  synthesiseCallbacks: boolean;
  /** Schedules emulator work on the session clock (`ctx.scheduler.schedule`). */
  schedule(at: number, kind: string, ref: unknown): void;
}

/** Applies one resource family's part of a served response; false when it is not its route. */
export type Applier = (session: Session, served: Served, env: ApplyEnv) => boolean;

const APPLIERS: Applier[] = [applyMessage, applyNumber, applyVerify];

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

/** Applies `served` to the session's state. */
export function applyServed(session: Session, served: Served, env: ApplyEnv): void {
  for (const apply of APPLIERS) if (apply(session, served, env)) return;
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

/** `date_created` → `dateCreated`. */
export function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * A record updated from a JSON representation: every snake_case field whose camelCase name the
 * record has and whose value has the same type (or null) is copied; `date_*` strings become epoch
 * ms. Objects are left to the caller.
 */
export function overlay<T extends object>(base: T, json: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(json)) {
    const key = camel(k);
    if (!(key in out) || key === 'sid') continue;
    const current = out[key];
    if (key.startsWith('date') && typeof v === 'string') {
      const t = Date.parse(v);
      if (!Number.isNaN(t)) out[key] = t;
      continue;
    }
    if (v !== null && typeof v === 'object') continue;
    if (v === null || current === null || typeof current === typeof v) out[key] = v;
  }
  return out as T;
}

/** A date of a representation (RFC 2822 or ISO 8601), or `fallback`. */
export function dateOf(v: unknown, fallback: number): number;
export function dateOf(v: unknown, fallback: null): number | null;
export function dateOf(v: unknown, fallback: number | null): number | null {
  if (typeof v !== 'string') return fallback;
  const t = Date.parse(v);
  return Number.isNaN(t) ? fallback : t;
}

/** The first value of a request param. */
export function pairValue(pairs: Pair[], name: string): string | undefined {
  return pairs.find(([k]) => k === name)?.[1];
}

/** True for a 2xx status. */
export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** The objects of a list page under `key` (2010 array, or v1/v2 `meta.key`). */
export function listItems(body: unknown, key: string): Record<string, unknown>[] {
  if (!isObject(body)) return [];
  const items = body[key];
  return Array.isArray(items) ? items.filter(isObject) : [];
}

export { isObject };

/**
 * The inspector's live feed: what happened in each session that the store does not keep by itself —
 * API requests (method, path, status, error code, the form params with secrets masked; never the
 * Authorization header), control-plane actions (reset, clock, simulate) and status transitions.
 * Callbacks, inbox items and resources are read from the session's own data when the timeline is
 * built, so they never need copying here.
 *
 * The feed is a bounded in-memory buffer per session owned by one mirror (made with it): a
 * diagnostic view, not state. It is not persisted; a restarted mirror starts with an empty feed.
 */
import type { Session } from '../session/session';
import type { StatusChange, StatusObserver } from '../core/ports';

/** An API request as the feed keeps it. */
export interface RequestEntry {
  type: 'request';
  seq: number;
  at: number;
  method: string;
  host: string;
  path: string;
  statusCode: number;
  durationMs: number;
  /** Form and query params, secrets masked. */
  params: Record<string, string | string[]>;
  /** Twilio's error code and message when the answer was an error. */
  error?: { code: number | string; message: string };
  /** The resource the answer was about, when it named one (`sid`, and its `status`). */
  resource?: { sid: string; status?: string; to?: string; from?: string };
  /** How the session was found: false when the credentials were refused (401). */
  authenticated: boolean;
}

/** A status transition. */
export interface StatusEntry extends StatusChange {
  type: 'status';
  seq: number;
}

/** A control-plane action on the session (reset, clock, simulate, created). */
export interface ControlEntry {
  type: 'control';
  seq: number;
  at: number;
  action: string;
  statusCode: number;
  detail: Record<string, unknown>;
}

/** Anything the feed keeps. */
export type FeedEntry = RequestEntry | StatusEntry | ControlEntry;

/** An entry before the feed numbers it. */
export type NewFeedEntry = Omit<RequestEntry, 'seq'> | Omit<StatusEntry, 'seq'> | Omit<ControlEntry, 'seq'>;

/** How many entries a session keeps (older ones are dropped first). */
export const FEED_LIMIT = 2000;

/** The per-session feeds of one mirror. */
export class EventFeed implements StatusObserver {
  private readonly bySession = new Map<string, FeedEntry[]>();
  private seq = 0;

  constructor(private readonly limit = FEED_LIMIT) {}

  /** Appends an entry to a session's feed. */
  add(sessionId: string, entry: NewFeedEntry): FeedEntry {
    // Entries are built for the feed by their callers: numbered in place rather than copied.
    const numbered = entry as FeedEntry;
    numbered.seq = ++this.seq;
    let list = this.bySession.get(sessionId);
    if (!list) {
      list = [];
      this.bySession.set(sessionId, list);
    }
    list.push(numbered);
    // Trim in chunks (a quarter of the limit at a time) so a full feed does not shift its whole
    // array on every entry; readers see only the newest `limit` entries.
    if (list.length > this.limit + Math.max(1, this.limit >> 2)) list.splice(0, list.length - this.limit);
    return numbered;
  }

  /** {@link StatusObserver}: a resource of `session` entered a status. */
  statusChanged(session: Session, change: StatusChange): void {
    this.add(session.id, { type: 'status', ...change });
  }

  /** A session's entries, oldest first. */
  entries(sessionId: string): readonly FeedEntry[] {
    const list = this.bySession.get(sessionId) ?? [];
    return list.length > this.limit ? list.slice(list.length - this.limit) : list;
  }

  /** Forgets a session's entries (it was reset or removed). */
  clear(sessionId: string): void {
    this.bySession.delete(sessionId);
  }
}

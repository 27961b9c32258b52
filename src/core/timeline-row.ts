/**
 * A row of the inspector's timeline. Generic rows (requests, status changes, deliveries, control
 * actions) are built by the inspector; resources add their own (what a handset received) through
 * their inspect hooks, in the same shape.
 */

/** One row of a session's timeline. */
export interface TimelineRow {
  /** Stable across polls: `req-12`, `st-13`, `cb-4`, `in-<id>`. */
  id: string;
  /** Session-clock instant (epoch ms) and its ISO form. */
  at: number;
  time: string;
  /** What the row is about: `request`, `status`, `callback`, `inbound-webhook`, `control`, or a resource's own (`inbox`, `verify-code`). */
  type: string;
  /** One line for a person. */
  title: string;
  /** `ok`, `error` (a failure worth a look), `pending` or `info`. */
  tone: 'ok' | 'error' | 'pending' | 'info';
  /** SIDs and numbers (or addresses) the row concerns, for filtering and links. */
  sids: string[];
  numbers: string[];
  detail: Record<string, unknown>;
}

/** An instant as ISO 8601 (empty for a non-finite one). */
export function isoOf(at: number): string {
  return Number.isFinite(at) ? new Date(at).toISOString() : '';
}

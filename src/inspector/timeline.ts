/**
 * The inspector's timeline of a session, built from three sources: the feed (API requests,
 * control actions, status transitions), the dispatcher's delivery log (status callbacks and
 * inbound webhooks, each with its signature, attempts and the app's answer — read as each
 * resource says, through its inspect hooks) and the rows resources add (what handsets received).
 * Pure: the same input gives the same timeline, so it is tested without a server.
 */
import type { Delivery } from '../callbacks/dispatcher';
import type { DeliveryView } from '../core/resource-module';
import { isoOf, type TimelineRow } from '../core/timeline-row';
import type { FeedEntry } from './feed';

/** One row of the timeline. */
export type TimelineEvent = TimelineRow;

/** How a delivery reads, by kind (from the resources' inspect hooks). */
export type DeliveryViews = ReadonlyMap<string, (d: Delivery) => DeliveryView>;

/** Inputs of {@link buildTimeline}. */
export interface TimelineSources {
  feed: readonly FeedEntry[];
  deliveries: readonly Delivery[];
  /** Rows the resources add. */
  rows: readonly TimelineRow[];
  /** How each kind of delivery reads; a kind none describes reads as a callback. */
  views: DeliveryViews;
  /** The session's account SID (left out of `sids`: every row would match it). */
  accountSid: string;
}

/** Callback answers longer than this are cut in the timeline (the log keeps up to 64 KiB). */
const MAX_ANSWER_SHOWN = 4000;

const SID_RE = /\b[A-Z]{2}[0-9a-f]{32}\b/g;
/** Ordering of rows at the same instant: the cause before its effects (a resource's own rows come third). */
const RANK: Record<string, number> = { control: 0, request: 1, status: 2, callback: 4, 'inbound-webhook': 4 };
const rank = (type: string) => RANK[type] ?? 3;

function unique(values: (string | undefined | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length > 0))];
}

function sidsIn(text: string, accountSid: string): string[] {
  return [...text.matchAll(SID_RE)].map((m) => m[0]).filter((s) => s !== accountSid);
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

const iso = isoOf;

/** A request path for a title: no query, and the session's own AccountSid shortened (`AC1a2b…`). */
export function shortPath(path: string, accountSid: string): string {
  return path.split('?')[0].split(`/${accountSid}/`).join(`/${accountSid.slice(0, 6)}…/`);
}

function fromFeed(e: FeedEntry, accountSid: string): TimelineEvent {
  if (e.type === 'request') {
    const to = first(e.params.To) ?? e.resource?.to;
    const from = first(e.params.From) ?? e.resource?.from;
    const sids = unique([...sidsIn(e.path, accountSid), e.resource?.sid, ...Object.values(e.params).flat().flatMap((v) => sidsIn(v, accountSid))]).filter((s) => s !== accountSid);
    const outcome = e.error ? `${e.statusCode} ${e.error.code}` : String(e.statusCode);
    const what = e.resource ? ` ${e.resource.sid}${e.resource.status ? ` ${e.resource.status}` : ''}` : '';
    const who = to ? ` to ${to}` : '';
    return {
      id: `req-${e.seq}`,
      at: e.at,
      time: iso(e.at),
      type: 'request',
      title: `${e.method} ${shortPath(e.path, accountSid)} → ${outcome}${what}${who}${e.error?.message ? ` (${e.error.message})` : ''}`,
      tone: e.statusCode >= 400 ? 'error' : 'ok',
      sids,
      numbers: unique([to, from, first(e.params.PhoneNumber)]),
      detail: { host: e.host, path: e.path, statusCode: e.statusCode, durationMs: e.durationMs, params: e.params, error: e.error, resource: e.resource, authenticated: e.authenticated },
    };
  }
  if (e.type === 'status') {
    return {
      id: `st-${e.seq}`,
      at: e.at,
      time: iso(e.at),
      type: 'status',
      title: `${e.resource} ${e.sid} → ${e.status}${e.errorCode ? ` (error ${e.errorCode})` : ''}`,
      tone: e.status === 'failed' || e.status === 'undelivered' ? 'error' : 'info',
      sids: [e.sid],
      numbers: [],
      detail: { resource: e.resource, sid: e.sid, status: e.status, errorCode: e.errorCode ?? null },
    };
  }
  const detail = e.detail;
  const summary = Object.entries(detail).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`).join(' ');
  return {
    id: `ctl-${e.seq}`,
    at: e.at,
    time: iso(e.at),
    type: 'control',
    title: `${e.action}${summary ? ` ${summary}` : ''}${e.statusCode >= 400 ? ` → ${e.statusCode}` : ''}`,
    tone: e.statusCode >= 400 ? 'error' : 'info',
    sids: unique(Object.values(detail).flatMap((v) => sidsIn(String(v), accountSid))),
    numbers: unique([typeof detail.to === 'string' ? detail.to : undefined, typeof detail.from === 'string' ? detail.from : undefined]),
    detail: { action: e.action, statusCode: e.statusCode, ...detail },
  };
}

/** A delivery's outcome in words: `200`, `failed: 11205 ECONNREFUSED after 3 attempts`, `pending`. */
function deliveryOutcome(d: Delivery): string {
  const last = d.attempts[d.attempts.length - 1];
  const raw = last ? (last.statusCode !== undefined ? String(last.statusCode) : (last.error ?? 'no answer')) : 'not sent yet';
  // Twilio's debugger code first (11200 family), as its console shows a failed webhook.
  const answer = last?.errorCode !== undefined ? `${last.errorCode} ${raw}` : raw;
  const tries = d.attempts.length > 1 ? ` after ${d.attempts.length} attempts` : '';
  if (d.state === 'pending') return d.attempts.length === 0 ? 'pending' : `retrying (last: ${answer})${tries}`;
  return `${d.state === 'failed' ? 'failed: ' : ''}${answer}${tries}`;
}

/** How a delivery reads when no resource describes its kind. */
function plainView(d: Delivery): DeliveryView {
  return { type: 'callback', label: d.kind.replace(/[-.]/g, ' ') };
}

function fromDelivery(d: Delivery, view: DeliveryView, at: number, accountSid: string): TimelineEvent {
  const label = view.label;
  const response = d.response ? { ...d.response, body: d.response.body !== undefined && d.response.body.length > MAX_ANSWER_SHOWN ? d.response.body.slice(0, MAX_ANSWER_SHOWN) + '…' : d.response.body } : undefined;
  const errors = d.errors ?? [];
  return {
    id: `cb-${d.seq}`,
    at,
    time: iso(at),
    type: view.type,
    title: `${label} → ${d.method} ${d.url}: ${deliveryOutcome(d)}${errors.length > 0 ? ` (${errors.map((x) => x.code).join(', ')})` : ''}`,
    tone: d.state === 'failed' || errors.length > 0 ? 'error' : d.state === 'pending' ? 'pending' : 'ok',
    sids: unique([...Object.values(d.refs ?? {}), ...Object.values(d.params).flat().flatMap((v) => sidsIn(v, accountSid))]),
    numbers: unique([first(d.params.To), first(d.params.From)]),
    detail: {
      kind: d.kind,
      queuedAt: iso(d.enqueuedAt),
      method: d.method,
      url: d.url,
      state: d.state,
      signature: d.signature,
      params: d.params,
      attempts: d.attempts,
      retries: Math.max(0, d.attempts.length - 1),
      response,
      errors,
      fallbackUrl: d.fallbackUrl ?? null,
      usingFallback: d.usingFallback,
    },
  };
}

/**
 * Where a status callback belongs: right after the transition it reports. A stepped clock runs
 * several transitions in one `advance`, and their callbacks are all queued at the clock's new
 * "now"; placed at that instant they would all trail the last transition.
 */
function anchorOf(d: Delivery, view: DeliveryView, transitions: Map<string, number>): number {
  const at = view.anchor ? transitions.get(`${view.anchor.sid}|${view.anchor.status}`) : undefined;
  return at !== undefined && at <= d.enqueuedAt ? at : d.enqueuedAt;
}

/** The session's timeline, oldest first; at one instant, causes come before their effects. */
export function buildTimeline(src: TimelineSources): TimelineEvent[] {
  const transitions = new Map<string, number>();
  for (const e of src.feed) if (e.type === 'status') transitions.set(`${e.sid}|${e.status}`, e.at);
  const rows: { event: TimelineEvent; at: number; order: number }[] = [
    ...src.feed.map((e) => ({ event: fromFeed(e, src.accountSid), at: e.at, order: e.seq })),
    ...src.deliveries.map((d) => {
      const view = src.views.get(d.kind)?.(d) ?? plainView(d);
      const at = anchorOf(d, view, transitions);
      return { event: fromDelivery(d, view, at, src.accountSid), at, order: d.seq };
    }),
    ...src.rows.map((row, n) => ({ event: row, at: row.at, order: n })),
  ];
  rows.sort((a, b) => a.at - b.at || rank(a.event.type) - rank(b.event.type) || a.order - b.order);
  return rows.map((r) => r.event);
}

/**
 * True when `event` concerns `query`: a SID (or part of one, any case), a phone number in any
 * format (compared by digits, so `+1 (555) 123-4567` finds `+15551234567`) or an email address.
 */
export function matchesFilter(event: TimelineEvent, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  if (event.sids.some((s) => s.toLowerCase().includes(q))) return true;
  if (event.numbers.some((n) => n.toLowerCase().includes(q))) return true;
  const digits = q.replace(/\D/g, '');
  return /^[+\d\s().-]+$/.test(q) && digits.length >= 3 && event.numbers.some((n) => n.replace(/\D/g, '').includes(digits));
}

/**
 * The inspector's timeline of a session, built from three sources: the feed (API requests,
 * control actions, status transitions), the dispatcher's delivery log (status callbacks and
 * inbound webhooks, each with its signature, attempts and the app's answer) and the inbox (what
 * handsets received: delivered messages and Verify codes). Pure: the same input gives the same
 * timeline, so it is tested without a server.
 */
import type { Delivery } from '../callbacks/dispatcher';
import type { InboxItem } from '../twilio/inbox';
import type { FeedEntry } from './feed';

/** What a timeline row is about. */
export type TimelineType = 'request' | 'status' | 'callback' | 'inbound-webhook' | 'verify-code' | 'inbox' | 'control';

/** One row of the timeline. */
export interface TimelineEvent {
  /** Stable across polls: `req-12`, `st-13`, `cb-4`, `in-<id>`. */
  id: string;
  /** Session-clock instant (epoch ms) and its ISO form. */
  at: number;
  time: string;
  type: TimelineType;
  /** One line for a person. */
  title: string;
  /** `ok`, `error` (a failure worth a look), `pending` or `info`. */
  tone: 'ok' | 'error' | 'pending' | 'info';
  /** SIDs and numbers (or addresses) the row concerns, for filtering and links. */
  sids: string[];
  numbers: string[];
  detail: Record<string, unknown>;
}

/** Inputs of {@link buildTimeline}. */
export interface TimelineSources {
  feed: readonly FeedEntry[];
  deliveries: readonly Delivery[];
  inbox: readonly InboxItem[];
  /** The session's account SID (left out of `sids`: every row would match it). */
  accountSid: string;
}

/** Callback answers longer than this are cut in the timeline (the log keeps up to 64 KiB). */
const MAX_ANSWER_SHOWN = 4000;

const SID_RE = /\b[A-Z]{2}[0-9a-f]{32}\b/g;
/** Kinds of delivery that are inbound-message webhooks (src/twilio/inbound/execute.ts). */
const INBOUND_KINDS = new Set(['inbound-message']);
/** Ordering of rows at the same instant: the cause before its effects. */
const RANK: Record<TimelineType, number> = { control: 0, request: 1, status: 2, inbox: 3, 'verify-code': 3, callback: 4, 'inbound-webhook': 4 };

function unique(values: (string | undefined | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length > 0))];
}

function sidsIn(text: string, accountSid: string): string[] {
  return [...text.matchAll(SID_RE)].map((m) => m[0]).filter((s) => s !== accountSid);
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function iso(at: number): string {
  return Number.isFinite(at) ? new Date(at).toISOString() : '';
}

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

function fromDelivery(d: Delivery, at: number, accountSid: string): TimelineEvent {
  const inbound = INBOUND_KINDS.has(d.kind);
  const status = d.params.MessageStatus ?? d.params.SmsStatus;
  const label = inbound ? 'inbound webhook' : `${d.kind.replace(/-/g, ' ')}${status ? ` (${first(status)})` : ''}`;
  const response = d.response ? { ...d.response, body: d.response.body !== undefined && d.response.body.length > MAX_ANSWER_SHOWN ? d.response.body.slice(0, MAX_ANSWER_SHOWN) + '…' : d.response.body } : undefined;
  const errors = d.errors ?? [];
  return {
    id: `cb-${d.seq}`,
    at,
    time: iso(at),
    type: inbound ? 'inbound-webhook' : 'callback',
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

function fromInbox(i: InboxItem): TimelineEvent {
  const verify = i.sourceSid.startsWith('VE');
  return {
    id: `in-${i.sid}`,
    at: i.receivedAt,
    time: iso(i.receivedAt),
    type: verify ? 'verify-code' : 'inbox',
    title: verify ? `Verify code to ${i.to} by ${i.channel}: ${i.body}` : `${i.to} received ${i.channel.toUpperCase()}${i.from ? ` from ${i.from}` : ''}: ${i.body}`,
    tone: 'ok',
    sids: [i.sourceSid],
    numbers: unique([i.to, i.from]),
    detail: { to: i.to, from: i.from, channel: i.channel, body: i.body, sourceSid: i.sourceSid, mediaUrls: i.mediaUrls },
  };
}

/**
 * Where a status callback belongs: right after the transition it reports. A stepped clock runs
 * several transitions in one `advance`, and their callbacks are all queued at the clock's new
 * "now"; placed at that instant they would all trail the last transition.
 */
function anchorOf(d: Delivery, transitions: Map<string, number>): number {
  const sid = d.refs?.messageSid;
  const status = first(d.params.MessageStatus);
  const at = sid && status ? transitions.get(`${sid}|${status}`) : undefined;
  return at !== undefined && at <= d.enqueuedAt ? at : d.enqueuedAt;
}

/** The session's timeline, oldest first; at one instant, causes come before their effects. */
export function buildTimeline(src: TimelineSources): TimelineEvent[] {
  const transitions = new Map<string, number>();
  for (const e of src.feed) if (e.type === 'status') transitions.set(`${e.sid}|${e.status}`, e.at);
  const rows: { event: TimelineEvent; at: number; order: number }[] = [
    ...src.feed.map((e) => ({ event: fromFeed(e, src.accountSid), at: e.at, order: e.seq })),
    ...src.deliveries.map((d) => {
      const at = anchorOf(d, transitions);
      return { event: fromDelivery(d, at, src.accountSid), at, order: d.seq };
    }),
    ...src.inbox.map((i, n) => ({ event: fromInbox(i), at: i.receivedAt, order: n })),
  ];
  rows.sort((a, b) => a.at - b.at || RANK[a.event.type] - RANK[b.event.type] || a.order - b.order);
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

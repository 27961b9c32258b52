/**
 * The inspector's timeline is a pure merge of the feed, the delivery log and the rows resources add (the inbox): causes
 * before effects at one instant, status callbacks next to the transition they report, Verify codes
 * recognised, and a filter that finds a SID or a number in any format. The feed stays bounded.
 */
import type { Delivery } from '../../src/callbacks/dispatcher';
import { EventFeed, type FeedEntry } from '../../src/inspector/feed';
import { buildTimeline, matchesFilter, shortPath } from '../../src/inspector/timeline';
import { inboxRow } from '../../src/twilio/handsets';
import type { InboxItem } from '../../src/twilio/handsets/inbox';
import { statusCallbackView } from '../../src/twilio/messages';

const AC = 'AC' + 'a'.repeat(32);
const SM = 'SM' + '1'.repeat(32);
const VE = 'VE' + '2'.repeat(32);

function delivery(over: Partial<Delivery>): Delivery {
  return {
    id: 'd', seq: 1, kind: 'status-callback', url: 'http://127.0.0.1:9/cb', method: 'POST', params: {}, orderKey: SM, idempotencyToken: 't',
    enqueuedAt: 0, firstAttemptAt: null, usingFallback: false, state: 'delivered', signature: 'sig=', attempts: [], refs: { messageSid: SM }, ...over,
  };
}

describe('buildTimeline', () => {
  const feed: FeedEntry[] = [
    { type: 'request', seq: 1, at: 1000, method: 'POST', host: 'api.twilio.com', path: `/2010-04-01/Accounts/${AC}/Messages.json`, statusCode: 201, durationMs: 2, params: { To: '+15551234567', From: '+15555550123', Body: 'x' }, resource: { sid: SM, status: 'queued' }, authenticated: true },
    { type: 'status', seq: 2, at: 1500, resource: 'message', sid: SM, status: 'sending' },
    { type: 'status', seq: 3, at: 2000, resource: 'message', sid: SM, status: 'sent' },
    { type: 'control', seq: 4, at: 3000, action: 'clock', statusCode: 200, detail: { advanceMs: '2000' } },
  ];
  // Both callbacks were queued when the clock step ended (3000), after both transitions.
  const deliveries = [
    delivery({ seq: 7, enqueuedAt: 3000, params: { MessageStatus: 'sending', MessageSid: SM, To: '+15551234567' }, attempts: [{ at: 3000, url: 'u', statusCode: 200, durationMs: 1 }], response: { statusCode: 200, body: '' } }),
    delivery({ seq: 8, enqueuedAt: 3000, params: { MessageStatus: 'sent', MessageSid: SM }, state: 'failed', attempts: [{ at: 3000, url: 'u', error: 'ECONNREFUSED', durationMs: 1 }, { at: 4000, url: 'u', error: 'ECONNREFUSED', durationMs: 1 }] }),
  ];
  const inbox: InboxItem[] = [{ sid: 'i1', to: '+15551230100', from: null, body: 'Your code is 123456', channel: 'sms', sourceSid: VE, mediaUrls: [], receivedAt: 2500 }];
  // What the resources contribute: how a message's callbacks read, and what handsets received.
  const rows = buildTimeline({ feed, deliveries, rows: inbox.map(inboxRow), views: new Map([['status-callback', statusCallbackView]]), accountSid: AC });

  it('puts each status callback right after the transition it reports', () => {
    expect(rows.map((r) => r.id)).toEqual(['req-1', 'st-2', 'cb-7', 'st-3', 'cb-8', 'in-i1', 'ctl-4']);
    expect(rows.find((r) => r.id === 'cb-7')!.detail.queuedAt).toBe(new Date(3000).toISOString());
  });

  it('says what happened in one line, with failures marked', () => {
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId['req-1'].title).toBe(`POST /2010-04-01/Accounts/ACaaaa…/Messages.json → 201 ${SM} queued to +15551234567`);
    expect(byId['cb-7']).toMatchObject({ type: 'callback', tone: 'ok', title: 'status callback (sending) → POST http://127.0.0.1:9/cb: 200' });
    expect(byId['cb-8']).toMatchObject({ tone: 'error', title: 'status callback (sent) → POST http://127.0.0.1:9/cb: failed: ECONNREFUSED after 2 attempts' });
    expect(byId['cb-8'].detail).toMatchObject({ retries: 1, signature: 'sig=' });
    expect(byId['in-i1']).toMatchObject({ type: 'verify-code', title: 'Verify code to +15551230100 by sms: Your code is 123456', sids: [VE] });
    // The session's own account is not a SID to filter by: every row would match it.
    expect(byId['req-1'].sids).toEqual([SM]);
  });

  it('filters by SID (any case, any part) and by number in any format', () => {
    const ids = (q: string) => rows.filter((r) => matchesFilter(r, q)).map((r) => r.id);
    expect(ids(SM)).toEqual(['req-1', 'st-2', 'cb-7', 'st-3', 'cb-8']);
    expect(ids(SM.slice(0, 10).toLowerCase())).toEqual(ids(SM));
    expect(ids('(555) 123-4567')).toEqual(['req-1', 'cb-7']);
    expect(ids('+1 555 123 0100')).toEqual(['in-i1']);
    expect(ids('')).toHaveLength(rows.length);
    expect(ids('999')).toEqual([]);
    expect(ids('SM' + '9'.repeat(32))).toEqual([]);
  });

  it('shortens only the session’s own AccountSid in paths', () => {
    expect(shortPath(`/2010-04-01/Accounts/${AC}/Messages/${SM}.json?x=1`, AC)).toBe(`/2010-04-01/Accounts/ACaaaa…/Messages/${SM}.json`);
  });
});

describe('EventFeed', () => {
  it('keeps a bounded, per-session buffer and forgets a session on request', () => {
    const feed = new EventFeed(3);
    for (let i = 0; i < 5; i++) feed.add('a', { type: 'control', at: i, action: `n${i}`, statusCode: 200, detail: {} });
    feed.add('b', { type: 'control', at: 0, action: 'other', statusCode: 200, detail: {} });
    expect(feed.entries('a').map((e) => (e as { action: string }).action)).toEqual(['n2', 'n3', 'n4']);
    expect(feed.entries('b')).toHaveLength(1);
    feed.clear('a');
    expect(feed.entries('a')).toEqual([]);
    expect(feed.entries('b')).toHaveLength(1);
  });
});

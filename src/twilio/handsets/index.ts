/**
 * Handsets: what each phone number (or email address) received — the mirror's stand-in for a
 * person reading their phone. Delivered messages and Verify codes land in the inbox (./inbox.ts);
 * this module shows it on the control plane (`GET /_mirra/messages|emails?to=`) and in the
 * inspector's timeline. Calls are the calls module's (`GET /_mirra/calls`: each call's transcript).
 */
import type { ResourceModule } from '../../core/resource-module';
import { isoOf, type TimelineRow } from '../../core/timeline-row';
import { toE164 } from '../phone';
import { readInbox, type InboxItem } from './inbox';

/** A received item as the control plane shows it. */
function view(i: InboxItem): Record<string, unknown> {
  return { sid: i.sourceSid, to: i.to, from: i.from, body: i.body, channel: i.channel, received_at: isoOf(i.receivedAt) };
}

/** A number in any format (`+1 555…`, `5551230000`) as the inbox keys it. */
function numberOf(to: string | undefined): string | undefined {
  return to ? (toE164(to) ?? to) : undefined;
}

/** An inbox item as a timeline row: a Verify code (its source is a `VE…`) or a received message. */
export function inboxRow(i: InboxItem): TimelineRow {
  const verify = i.sourceSid.startsWith('VE');
  return {
    id: `in-${i.sid}`,
    at: i.receivedAt,
    time: isoOf(i.receivedAt),
    type: verify ? 'verify-code' : 'inbox',
    title: verify ? `Verify code to ${i.to} by ${i.channel}: ${i.body}` : `${i.to} received ${i.channel.toUpperCase()}${i.from ? ` from ${i.from}` : ''}: ${i.body}`,
    tone: 'ok',
    sids: [i.sourceSid],
    numbers: [...new Set([i.to, i.from].filter((v): v is string => !!v))],
    detail: { to: i.to, from: i.from, channel: i.channel, body: i.body, sourceSid: i.sourceSid, mediaUrls: i.mediaUrls },
  };
}

/** The handsets module. */
export function handsetsResource(): ResourceModule {
  return {
    name: 'handsets',
    control(app) {
      app.get<{ Querystring: { to?: string } }>('/_mirra/messages', async (request) => ({
        messages: readInbox(request.session, numberOf(request.query.to), ['sms', 'mms', 'whatsapp']).map((i) => ({ ...view(i), media_urls: i.mediaUrls })),
      }));
      app.get<{ Querystring: { to?: string } }>('/_mirra/emails', async (request) => ({
        emails: readInbox(request.session, request.query.to?.trim() || undefined, ['email']).map(view),
      }));
    },
    inspect: { rows: (session) => readInbox(session).map(inboxRow) },
  };
}

/**
 * Message and Media as the 2010 API renders them: 2023 key order (twilio-real-traffic.md), RFC 2822
 * dates, numeric-looking fields as strings, relative `uri`s ending in `.json`.
 */
import { rfc2822 } from '../wire';
import type { MediaRecord, MessageRecord } from './types';

/** Path of a message's resource. */
export function messagePath(accountSid: string, sid: string): string {
  return `/2010-04-01/Accounts/${accountSid}/Messages/${sid}`;
}

/** A message as JSON. */
export function renderMessage(m: MessageRecord): Record<string, unknown> {
  const base = messagePath(m.accountSid, m.sid);
  const subresources: Record<string, string> = { media: `${base}/Media.json` };
  if (m.messagingServiceSid) subresources.feedback = `${base}/Feedback.json`;
  return {
    body: m.body,
    num_segments: String(m.numSegments),
    direction: m.direction,
    from: m.from,
    date_updated: rfc2822(m.dateUpdated),
    price: m.price,
    error_message: m.errorMessage,
    uri: `${base}.json`,
    account_sid: m.accountSid,
    num_media: String(m.media.length),
    to: m.to,
    date_created: rfc2822(m.dateCreated),
    status: m.status,
    sid: m.sid,
    date_sent: rfc2822(m.dateSent),
    messaging_service_sid: m.messagingServiceSid,
    error_code: m.errorCode,
    price_unit: m.priceUnit,
    api_version: '2010-04-01',
    subresource_uris: subresources,
  };
}

/** A media item as JSON. */
export function renderMedia(m: MessageRecord, media: MediaRecord): Record<string, unknown> {
  return {
    account_sid: m.accountSid,
    content_type: media.contentType,
    date_created: rfc2822(media.dateCreated),
    date_updated: rfc2822(media.dateCreated),
    parent_sid: m.sid,
    sid: media.sid,
    uri: `${messagePath(m.accountSid, m.sid)}/Media/${media.sid}.json`,
  };
}

const CONTENT_TYPES: Record<string, string> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp',
  mp4: 'video/mp4', mp3: 'audio/mpeg', ogg: 'audio/ogg', pdf: 'application/pdf', vcf: 'text/vcard',
  txt: 'text/plain', csv: 'text/csv',
};

/** Content type Twilio would record for a media URL, guessed from its extension. */
export function contentTypeOf(url: string): string {
  const ext = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase();
  return (ext && CONTENT_TYPES[ext]) || 'image/jpeg';
}

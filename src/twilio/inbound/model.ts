/**
 * Receiving a message (the `message.inbound` simulate event): validation, the stored Message
 * (direction `inbound`, status `received`, in the Messages list like any other), and the opt-out
 * state a keyword changes. Effects (webhook, automatic reply) are carried out by the caller.
 */
import { MirraError } from '../../errors';
import type { Session } from '../../session/session';
import { isOptedOut, setOptOut } from '../messages/opt-out';
import { contentTypeOf } from '../messages/render';
import { MESSAGES, type MessageRecord } from '../messages/types';
import { poolOf, serviceOfNumber, type MessagingServiceRecord } from '../messaging-services/types';
import { findOwnedNumber, type IncomingNumberRecord } from '../numbers/types';
import { isWebhookUrl } from '../numbers/model';
import { toE164 } from '../phone';
import { countSegments } from '../segments';
import { newSid, SID_PREFIX } from '../sid';
import { keywordOf, type KeywordKind } from './keywords';

/** What a simulated handset sends. */
export interface InboundInput {
  from: string;
  to: string;
  body: string;
  mediaUrls: string[];
  /** Content types of the media, by position (guessed from the URL when absent). */
  mediaContentTypes: string[];
}

/** A received message with what it concerns. */
export interface Received {
  message: MessageRecord;
  number: IncomingNumberRecord;
  service: MessagingServiceRecord | undefined;
  keyword: KeywordKind | null;
  /** Whether the sender was opted out of this number before this message. */
  wasOptedOut: boolean;
}

const MAX_MEDIA = 10;

function strings(value: unknown, name: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new MirraError('MIRRA_ERR_BAD_REQUEST', `${name} is a list of strings`);
  return value as string[];
}

/** Reads the simulate body `{from, to, body, mediaUrls, mediaContentTypes}`. */
export function readInboundInput(body: Record<string, unknown>): InboundInput {
  if (typeof body.from !== 'string' || typeof body.to !== 'string') throw new MirraError('MIRRA_ERR_BAD_REQUEST', 'message.inbound needs "from" and "to" phone numbers');
  if (body.body !== undefined && typeof body.body !== 'string') throw new MirraError('MIRRA_ERR_BAD_REQUEST', '"body" is a string');
  const mediaUrls = strings(body.mediaUrls, 'mediaUrls');
  if (mediaUrls.length > MAX_MEDIA || mediaUrls.some((u) => !isWebhookUrl(u))) {
    throw new MirraError('MIRRA_ERR_BAD_REQUEST', `mediaUrls holds at most ${MAX_MEDIA} http(s) URLs`);
  }
  return { from: body.from, to: body.to, body: (body.body as string | undefined) ?? '', mediaUrls, mediaContentTypes: strings(body.mediaContentTypes, 'mediaContentTypes') };
}

/**
 * Every sender a recipient's keyword applies to: the number itself and, when it is in a messaging
 * service, the service and all its pool numbers ("the user is also opted out of all messages sent
 * from that Messaging Service").
 */
function optOutScope(session: Session, number: IncomingNumberRecord, service: MessagingServiceRecord | undefined): string[] {
  if (!service) return [number.phoneNumber];
  return [number.phoneNumber, service.sid, ...poolOf(session, service.sid).map((m) => m.phoneNumber)];
}

/** Stores an inbound message to one of the session's numbers and applies its keyword, if any. */
export function receiveInbound(session: Session, input: InboundInput, now: number): Received {
  const to = toE164(input.to);
  const from = toE164(input.from);
  if (!from) throw new MirraError('MIRRA_ERR_BAD_REQUEST', `"from" ${input.from} is not a phone number`);
  const number = to ? findOwnedNumber(session, to) : undefined;
  if (!number) throw new MirraError('MIRRA_ERR_NOT_FOUND', `"to" ${input.to} is not a number of this account`);
  const withMedia = input.mediaUrls.length > 0;
  if (!(withMedia ? number.capabilities.mms : number.capabilities.sms)) {
    throw new MirraError('MIRRA_ERR_BAD_REQUEST', `${number.phoneNumber} cannot receive ${withMedia ? 'MMS' : 'SMS'}`);
  }
  if (!input.body && !withMedia) throw new MirraError('MIRRA_ERR_BAD_REQUEST', 'an inbound message needs a body or media');
  const service = serviceOfNumber(session, number.sid);
  const messages = session.collection<MessageRecord>(MESSAGES);
  const message: MessageRecord = {
    sid: messages.mintSid(withMedia ? SID_PREFIX.mediaMessage : SID_PREFIX.message),
    accountSid: session.accountSid,
    to: number.phoneNumber,
    from,
    senderOnQueue: null,
    messagingServiceSid: service?.sid ?? null,
    body: input.body,
    status: 'received',
    direction: 'inbound',
    numSegments: Math.max(1, countSegments(input.body)),
    price: null,
    priceUnit: 'USD',
    errorCode: null,
    errorMessage: null,
    dateCreated: now,
    dateUpdated: now,
    dateSent: now,
    statusCallback: null,
    media: input.mediaUrls.map((url, i) => ({
      sid: newSid(SID_PREFIX.media),
      url,
      contentType: input.mediaContentTypes[i] ?? contentTypeOf(url),
      dateCreated: now,
    })),
    plan: [],
  };
  messages.insert(message);
  const wasOptedOut = isOptedOut(session, number.phoneNumber, from, service?.sid ?? null);
  const keyword = keywordOf(input.body);
  // The block is recorded even when the number has no webhook configured (Twilio docs).
  if (keyword === 'opt-out' || keyword === 'opt-in') {
    for (const sender of optOutScope(session, number, service)) setOptOut(session, sender, from, keyword === 'opt-out');
  }
  return { message, number, service, keyword, wasOptedOut };
}

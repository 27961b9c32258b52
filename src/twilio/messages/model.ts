/**
 * Creating and changing messages: Twilio's validation rules and error codes (twilio-api.md §2.1,
 * §4, §7), the test-credential magic numbers, sender choice, rate limits, and the timeline plan.
 */
import type { Session } from '../../session/session';
import type { OutcomeRule, TimelineStep } from '../../seeds/seed';
import { twilioError, type TwilioErrorCode } from '../errors';
import { many, one, type Params } from '../form';
import { findOwnedNumber } from '../numbers/types';
import { findService } from '../messaging-services/types';
import { pickSender } from '../messaging-services/sender';
import { isShortCodeOrAlpha, maskNumber, parseNumber, toE164 } from '../phone';
import { countSegments } from '../segments';
import { newSid, SID_PREFIX } from '../sid';
import { isTestAccount } from '../test-credentials';
import { planTimeline } from './lifecycle';
import { contentTypeOf } from './render';
import { MESSAGES, type MessageRecord, type PlannedStep } from './types';

/** The default timeline after `queued`: sending, sent, delivered within two seconds. */
export const DEFAULT_TIMELINE: TimelineStep[] = [
  { status: 'sending', afterMs: 500 },
  { status: 'sent', afterMs: 500 },
  { status: 'delivered', afterMs: 1000 },
];

/** Test-credential magic `From` numbers and the error each gives (docs/iam/test-credentials). */
const MAGIC_FROM: Record<string, TwilioErrorCode> = { '+15005550001': 21212, '+15005550007': 21606, '+15005550008': 21611 };
/** Test-credential magic `To` numbers and the error each gives. */
const MAGIC_TO: Record<string, TwilioErrorCode> = {
  '+15005550001': 21211, '+15005550002': 21612, '+15005550003': 21408, '+15005550004': 21610, '+15005550009': 21614,
};
/** The magic `From` that always succeeds. */
export const MAGIC_VALID_FROM = '+15005550006';

const MAX_BODY = 1600;
const MAX_MEDIA = 10;

/** Checks for opt-outs (STOP); provided by the inbound module, a no-op when absent. */
export type OptOutCheck = (session: Session, sender: string, to: string, serviceSid: string | null) => boolean;

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

function matchesPattern(pattern: string, value: string): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*') + '$');
  return re.test(value);
}

/** The outcome a seed's rules give a recipient, if any. */
export function outcomeFor(rules: OutcomeRule[] | undefined, to: string): OutcomeRule | undefined {
  return rules?.find((r) => matchesPattern(r.to, to));
}

/** Enforces the seed's per-minute send limit (429/20429, like a trial account). */
function enforceRateLimit(session: Session, now: number): void {
  const limit = session.seed.messages?.rateLimitPerMinute;
  if (!limit) return;
  const recent = (session.getMeta<number[]>('message-sends') ?? []).filter((t) => t > now - 60_000);
  if (recent.length >= limit) throw twilioError(20429);
  session.setMeta('message-sends', [...recent, now]);
}

/**
 * Validates a create request and stores the new message (`direction` is `outbound-reply` for an
 * answer to an inbound message); returns it, its timeline still to be scheduled.
 */
export function createMessage(
  session: Session,
  params: Params,
  now: number,
  isOptedOut: OptOutCheck,
  direction: 'outbound-api' | 'outbound-reply' = 'outbound-api',
): MessageRecord {
  const rawTo = one(params, 'To');
  if (!rawTo) throw twilioError(21604);
  const rawFrom = one(params, 'From');
  // A bare national `To` is read in the sender's country (real traffic: `75…` from a UK number became +44…).
  const to = toE164(rawTo, (rawFrom && parseNumber(rawFrom)?.country) || undefined);
  if (!to) throw twilioError(21211, { to: maskNumber(rawTo) });
  const serviceSid = one(params, 'MessagingServiceSid') || null;
  if (!rawFrom && !serviceSid) throw twilioError(21603);
  const body = one(params, 'Body') ?? '';
  const mediaUrls = many(params, 'MediaUrl');
  if (!body && mediaUrls.length === 0 && !one(params, 'ContentSid')) throw twilioError(serviceSid ? 21619 : 21602);
  if (body.length > MAX_BODY) throw twilioError(21617);
  if (mediaUrls.length > MAX_MEDIA || mediaUrls.some((u) => !isHttpUrl(u))) throw twilioError(21620);
  const statusCallback = one(params, 'StatusCallback') || null;
  if (statusCallback && !isHttpUrl(statusCallback)) throw twilioError(21609);

  let from: string | null = null;
  if (rawFrom) {
    from = toE164(rawFrom) ?? (isShortCodeOrAlpha(rawFrom) ? rawFrom : null);
    if (!from) throw twilioError(21212, { from: rawFrom });
    if (MAGIC_FROM[from]) throw twilioError(MAGIC_FROM[from], { from, to });
  }
  if (MAGIC_TO[to]) throw twilioError(MAGIC_TO[to], { to, from: from ?? '' });

  const service = serviceSid ? findService(session, serviceSid) : undefined;
  if (serviceSid && !service) throw twilioError(21701, { sid: serviceSid });
  if (from && from !== MAGIC_VALID_FROM) {
    const owned = findOwnedNumber(session, from);
    if (!owned || (!owned.capabilities.sms && !owned.capabilities.mms)) throw twilioError(21606, { from });
  }
  // A service message shows `from: null` while accepted; its sender is chosen now and revealed on queueing.
  const senderOnQueue = service && !from ? pickSender(session, service, to) : null;
  if (service && !from && !senderOnQueue) throw twilioError(21704);
  if (isOptedOut(session, from ?? senderOnQueue ?? '', to, serviceSid)) throw twilioError(21610);
  enforceRateLimit(session, now);

  const seedMessages = session.seed.messages ?? {};
  const steps = (seedMessages.timeline ?? DEFAULT_TIMELINE) as PlannedStep[];
  const plan = planTimeline(steps, outcomeFor(seedMessages.outcomes, to), service !== undefined);
  const messages = session.collection<MessageRecord>(MESSAGES);
  const sid = messages.mintSid(mediaUrls.length > 0 ? SID_PREFIX.mediaMessage : SID_PREFIX.message);
  const message: MessageRecord = {
    sid,
    accountSid: session.accountSid,
    to,
    from,
    senderOnQueue,
    messagingServiceSid: service?.sid ?? null,
    body,
    status: service ? 'accepted' : 'queued',
    direction,
    numSegments: service && !from ? 0 : countSegments(body) || (mediaUrls.length > 0 ? 1 : 0),
    price: null,
    priceUnit: service ? null : 'USD',
    errorCode: null,
    errorMessage: null,
    dateCreated: now,
    dateUpdated: now,
    dateSent: null,
    statusCallback: statusCallback ?? service?.statusCallback ?? null,
    media: mediaUrls.map((url) => ({ sid: newSid(SID_PREFIX.media), url, contentType: contentTypeOf(url), dateCreated: now })),
    plan,
  };
  // Test credentials change no state and fire no callbacks: the message is answered, not kept.
  if (isTestAccount(session)) return { ...message, plan: [] };
  return messages.insert(message);
}

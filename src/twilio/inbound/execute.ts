/**
 * Executing the answer to an inbound webhook (the dispatcher's final response): TwiML for
 * text/xml, application/xml and text/html, a plain-text reply for text/plain (docs "TwiML Message:
 * Your Response"), Twilio's 12300 for any other type. Problems never throw: they go to the
 * delivery's log entry with Twilio's debugger code (11200, 12100, 12200, 12300, 141xx, or the
 * Messages API's own code when a reply is refused, e.g. 21610).
 */
import type { AttemptResult } from '../../callbacks/send';
import type { Delivery } from '../../callbacks/dispatcher';
import type { Outbox, Schedule } from '../../core/ports';
import type { Session } from '../../session/session';
import { TwilioError } from '../errors';
import type { Params } from '../form';
import { isShortCodeOrAlpha, toE164 } from '../phone';
import { isDocumentFailure } from '../twiml/document';
import { sendReply } from './reply';
import { interpretTwiml, type MessageAction, type RedirectAction, type TwimlPlan } from './twiml';

/** Name of the response handler registered by the inbound module. */
export const TWIML_RESPONSE = 'inbound.twiml';
/** Delivery kind of inbound-message webhooks (and their redirects and fallbacks). */
export const INBOUND_KIND = 'inbound-message';

/** Content types Twilio reads as TwiML. */
const XML_TYPES = new Set(['text/xml', 'application/xml', 'text/html']);
/** `<Redirect>` hops followed for one inbound message before giving up. */
const MAX_REDIRECTS = 10;

type Note = (code: number, message: string) => void;

/** The ports executing a webhook's answer uses. */
export interface InboundPorts {
  outbox: Outbox;
  schedule: Schedule;
}

/** The URL the answered request went to (the fallback's when it was used), for relative URLs. */
function documentUrl(delivery: Delivery): string {
  return delivery.usingFallback && delivery.fallbackUrl ? delivery.fallbackUrl : delivery.url;
}

function resolveUrl(url: string, base: string): string | null {
  try {
    const u = new URL(url, base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : null;
  } catch {
    return null;
  }
}

function planOf(result: AttemptResult, body: string, note: Note): TwimlPlan | null {
  const type = (result.contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'text/plain') {
    return { actions: [{ verb: 'Message', to: null, from: null, body, mediaUrls: [], statusCallback: null }], issues: [] };
  }
  if (XML_TYPES.has(type) || (type === '' && body.startsWith('<'))) return interpretTwiml(result.body ?? '');
  note(12300, `Invalid Content-Type: ${type || '(none)'} (TwiML needs text/xml or application/xml)`);
  return null;
}

function sendMessage(ports: InboundPorts, session: Session, delivery: Delivery, action: MessageAction, note: Note): void {
  const params = delivery.params;
  const inboundFrom = String(params.From ?? '');
  const inboundTo = String(params.To ?? '');
  const to = action.to === null ? inboundFrom : toE164(action.to);
  if (!to) return note(14101, `Invalid "To" attribute: ${action.to}`);
  const from = action.from === null ? inboundTo : (toE164(action.from) ?? (isShortCodeOrAlpha(action.from) ? action.from : null));
  if (!from) return note(14102, `Invalid "From" attribute: ${action.from}`);
  const base = documentUrl(delivery);
  const form: Params = { To: to, From: from };
  if (action.body) form.Body = action.body;
  if (action.mediaUrls.length) form.MediaUrl = action.mediaUrls.map((u) => resolveUrl(u, base) ?? u);
  if (action.statusCallback !== null) {
    const callback = resolveUrl(action.statusCallback, base);
    if (callback) form.StatusCallback = callback;
    else note(14105, `Invalid statusCallback attribute: ${action.statusCallback}`);
  }
  // A reply from the receiving number of a service number stays in that service.
  if (action.from === null && typeof params.MessagingServiceSid === 'string') form.MessagingServiceSid = params.MessagingServiceSid;
  try {
    sendReply(ports, session, String(delivery.refs?.messageSid ?? ''), form);
  } catch (err) {
    if (!(err instanceof TwilioError)) throw err;
    note(err.code, err.message);
  }
}

function redirect(ports: InboundPorts, session: Session, delivery: Delivery, action: RedirectAction, note: Note): void {
  const hops = Number(delivery.refs?.redirects ?? '0');
  if (hops >= MAX_REDIRECTS) return note(11215, `HTTP too many redirects: more than ${MAX_REDIRECTS} <Redirect> hops`);
  const url = resolveUrl(action.url, documentUrl(delivery));
  if (!url) return note(11100, `Invalid URL format in <Redirect>: ${action.url}`);
  ports.outbox.enqueue(session, {
    kind: INBOUND_KIND,
    url,
    method: action.method,
    params: delivery.params,
    orderKey: delivery.orderKey,
    cookieJar: delivery.cookieJar,
    onResponse: TWIML_RESPONSE,
    refs: { ...delivery.refs, redirects: String(hops + 1) },
  });
}

/**
 * Tries the fallback URL after a document Twilio could not use (12100-family, 12300), as it does for
 * "an error retrieving or executing the TwiML" — unless this answer already came from it.
 */
function fallBack(ports: InboundPorts, session: Session, delivery: Delivery): void {
  if (delivery.usingFallback || !delivery.fallbackUrl) return;
  ports.outbox.enqueue(session, {
    kind: INBOUND_KIND,
    url: delivery.fallbackUrl,
    method: delivery.fallbackMethod ?? 'POST',
    params: delivery.params,
    orderKey: delivery.orderKey,
    cookieJar: delivery.cookieJar,
    onResponse: TWIML_RESPONSE,
    refs: { ...delivery.refs, fallbackFor: delivery.id },
  });
}

/** The response handler of inbound webhooks (registered as {@link TWIML_RESPONSE}). */
export async function handleTwimlResponse(ports: InboundPorts, session: Session, delivery: Delivery, result: AttemptResult): Promise<void> {
  const note: Note = (code, message) => ports.outbox.recordError(session, delivery, { code, message });
  if (result.failure) {
    // Retries and the fallback URL have already been tried by the dispatcher.
    note(11200, `HTTP retrieval failure: ${result.error ?? `status ${result.statusCode}`}`);
    return;
  }
  const body = (result.body ?? '').trim();
  if (!body) return; // an empty answer means "no reply"
  const plan = planOf(result, body, note);
  if (plan) plan.issues.forEach((i) => note(i.code, i.message));
  if (!plan || plan.issues.some((i) => isDocumentFailure(i.code))) return fallBack(ports, session, delivery);
  for (const action of plan.actions) {
    if (action.verb === 'Message') sendMessage(ports, session, delivery, action, note);
    else redirect(ports, session, delivery, action, note);
  }
}

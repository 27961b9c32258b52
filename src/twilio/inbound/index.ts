/**
 * Inbound messages: `POST /_mirra/simulate {"event":"message.inbound","from","to","body","mediaUrls"}`
 * stores a received message, applies Twilio's default opt-out keywords (with their automatic
 * replies), and sends the signed inbound webhook to the number's SmsUrl (or its service's
 * inbound_request_url), falling back to the fallback URL; the answer's TwiML is then executed.
 *
 * LIMITATIONS (see docs/numbers-services-inbound.md): media URLs are passed through as given (Twilio
 * re-hosts them on api.twilio.com); no ErrorCode/ErrorUrl on
 * fallback requests; no Advanced Opt-Out (custom keywords, OptOutType); <Message action> is used as
 * the reply's status callback only.
 */
import type { ReportError } from '../../core/ports';
import type { ResourceModule } from '../../core/resource-module';
import type { Session } from '../../session/session';
import { TwilioError } from '../errors';
import { renderMessage } from '../messages/render';
import { handleTwimlResponse, INBOUND_KIND, TWIML_RESPONSE, type InboundPorts } from './execute';
import { DEFAULT_REPLIES } from './keywords';
import { readInboundInput, receiveInbound, type Received } from './model';
import { repliesTo, sendReply } from './reply';
import type { InboundRouter } from './router';
import { inboundWebhookParams, webhookTarget } from './webhook';

/**
 * Twilio's automatic answer to a keyword: the STOP confirmation goes out although the sender has
 * just opted out; HELP is not answered to a sender who is opted out.
 */
function autoReply(ports: InboundPorts & { report: ReportError }, session: Session, r: Received): void {
  if (!r.keyword || r.message.from === null) return;
  if (r.keyword === 'help' && r.wasOptedOut) return;
  const params = { To: r.message.from, From: r.number.phoneNumber, Body: DEFAULT_REPLIES[r.keyword] };
  try {
    sendReply(ports, session, r.message.sid, params, () => false);
  } catch (err) {
    // Twilio's own answer is not the app's request: a refusal (e.g. a seed's rate limit) must not
    // lose the inbound message or its webhook, so it is reported and the webhook still goes out.
    if (!(err instanceof TwilioError)) throw err;
    ports.report(err, `automatic ${r.keyword} reply to ${r.message.from}`);
  }
}

async function simulateInbound(ports: InboundPorts & { report: ReportError }, route: InboundRouter | undefined, session: Session, body: Record<string, unknown>): Promise<unknown> {
  const received = receiveInbound(session, readInboundInput(body), session.clock.now());
  const { message, number, service } = received;
  autoReply(ports, session, received);
  // A message another resource takes (a conversation's SMS participant) is not the number's to answer.
  const taken = message.from !== null && message.media.length === 0 ? await route?.(session, { sid: message.sid, from: message.from, to: message.to, body: message.body }) : undefined;
  const target = taken === undefined ? webhookTarget(number, service) : null;
  if (target) {
    ports.outbox.enqueue(session, {
      kind: INBOUND_KIND,
      url: target.url,
      method: target.method,
      params: inboundWebhookParams(message),
      // One conversation's webhooks arrive in order, and share its cookie (§13).
      orderKey: `inbound:${message.to}:${message.from}`,
      cookieJar: `sms:${message.to}|${message.from}`,
      fallbackUrl: target.fallbackUrl,
      fallbackMethod: target.fallbackMethod,
      onResponse: TWIML_RESPONSE,
      refs: { messageSid: message.sid },
    });
  }
  // Wait for the webhook and its TwiML so the answer can list the replies it produced.
  if (body.settle !== false) await ports.outbox.whenIdle(session);
  return {
    message: renderMessage(message),
    webhook: target ? { url: target.url, method: target.method, source: target.source } : null,
    replies: repliesTo(session, message.sid).map(renderMessage),
    ...(taken === undefined ? {} : { conversationMessage: taken }),
  };
}

/**
 * The inbound-messages module. `route` lets another resource take an inbound SMS before the
 * number's webhook (Conversations' SMS participants).
 */
export function inboundResource(ports: InboundPorts & { report: ReportError }, route?: InboundRouter): ResourceModule {
  return {
    name: 'inbound',
    simulate: { 'message.inbound': (session, body) => simulateInbound(ports, route, session, body) },
    responses: { [TWIML_RESPONSE]: (session, delivery, result) => handleTwimlResponse(ports, session, delivery, result) },
    inspect: { deliveries: { [INBOUND_KIND]: () => ({ type: 'inbound-webhook', label: 'inbound webhook' }) } },
  };
}

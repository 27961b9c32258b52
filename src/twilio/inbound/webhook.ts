/**
 * The inbound-message webhook (twilio-api.md §5, twilio-real-traffic.md "Inbound webhook"): its form
 * fields, and where it goes — the messaging service's `inbound_request_url` when the receiving
 * number is in a service that does not defer to its numbers, else the number's `SmsUrl`. Pure.
 */
import type { FormParams } from '../../signing/signature';
import type { MessageRecord } from '../messages/types';
import type { MessagingServiceRecord } from '../messaging-services/types';
import { webhookGeo } from '../numbers/geo';
import type { IncomingNumberRecord } from '../numbers/types';

/** Where an inbound webhook is sent. */
export interface WebhookTarget {
  url: string;
  method: 'GET' | 'POST';
  fallbackUrl: string | null;
  fallbackMethod: 'GET' | 'POST';
  /** Whose configuration it is. */
  source: 'service' | 'number';
}

const method = (m: string | null | undefined): 'GET' | 'POST' => (m?.toUpperCase() === 'GET' ? 'GET' : 'POST');

/**
 * The webhook target of a message to `number`, or null when nothing is configured (the message is
 * still received and stored, as on Twilio).
 */
export function webhookTarget(number: IncomingNumberRecord, service: MessagingServiceRecord | undefined): WebhookTarget | null {
  if (service && !service.useInboundWebhookOnNumber && service.inboundRequestUrl) {
    return {
      url: service.inboundRequestUrl,
      method: method(service.inboundMethod),
      fallbackUrl: service.fallbackUrl || null,
      fallbackMethod: method(service.fallbackMethod),
      source: 'service',
    };
  }
  if (!number.smsUrl) return null;
  return {
    url: number.smsUrl,
    method: method(number.smsMethod),
    fallbackUrl: number.smsFallbackUrl || null,
    fallbackMethod: method(number.smsFallbackMethod),
    source: 'number',
  };
}

/**
 * The form fields of the inbound webhook for `m`, in the order of a real 2021 capture; media as
 * `MediaContentType{N}`/`MediaUrl{N}`; geography fields empty when unknown.
 */
export function inboundWebhookParams(m: MessageRecord): FormParams {
  const from = webhookGeo(m.from ?? '');
  const to = webhookGeo(m.to);
  const p: FormParams = {
    ToCountry: to.country,
    ToState: to.state,
    SmsMessageSid: m.sid,
    NumMedia: String(m.media.length),
  };
  m.media.forEach((media, i) => {
    p[`MediaContentType${i}`] = media.contentType;
    p[`MediaUrl${i}`] = media.url;
  });
  Object.assign(p, {
    ToCity: to.city,
    FromZip: from.zip,
    SmsSid: m.sid,
    FromState: from.state,
    SmsStatus: 'received',
    FromCity: from.city,
    Body: m.body,
    FromCountry: from.country,
    To: m.to,
  });
  if (m.messagingServiceSid) p.MessagingServiceSid = m.messagingServiceSid;
  Object.assign(p, {
    ToZip: to.zip,
    NumSegments: String(m.numSegments),
    MessageSid: m.sid,
    AccountSid: m.accountSid,
    From: m.from ?? '',
    ApiVersion: '2010-04-01',
  });
  return p;
}

/**
 * Verify's error codes: a static table, gathered with the others in
 * ../error-catalogue.ts. Codes, statuses and wordings follow
 * ../shared/twilio-api.md §4/§6 and twilio-real-traffic.md §8–9 (429 for 60202/60203; 60200's
 * "Invalid parameter `To`: <raw value>"; Verify's 404 wording without `/v2`).
 */
import type { TwilioErrorSpec } from '../error-spec';

export const VERIFY_ERRORS = {
  60200: { status: 400, message: 'Invalid parameter `{param}`: {value}' },
  60202: { status: 429, message: 'Max check attempts reached' },
  60203: { status: 429, message: 'Max send attempts reached' },
  60204: { status: 403, message: 'Service does not support this feature' },
  60205: { status: 403, message: 'SMS is not supported by landline phone number' },
  60223: { status: 400, message: 'Delivery channel disabled: {channel}' },
  // An unsupported `Locale` override: the docs say 404; the code and title are the catalogue's
  // "Template translation was not found" (which exact code Twilio sends is UNCONFIRMED).
  60229: { status: 404, message: 'Template translation was not found' },
  60410: { status: 403, message: 'Verification delivery attempt blocked' },
  60605: { status: 403, message: 'Verification delivery attempt blocked' },
} satisfies Record<number, TwilioErrorSpec>;

/**
 * Verify's error codes, added to Twilio's catalogue at import. Codes, statuses and wordings follow
 * ../shared/twilio-api.md §4/§6 and twilio-real-traffic.md §8–9 (429 for 60202/60203; 60200's
 * "Invalid parameter `To`: <raw value>"; Verify's 404 wording without `/v2`).
 */
import type { FastifyRequest } from 'fastify';
import { notFound, registerTwilioErrors, twilioError, type TwilioError } from '../errors';
import { pathOf } from '../http';

registerTwilioErrors({
  // Twilio's generic "required parameter missing" of the v1/v2 APIs (Service FriendlyName).
  20001: { status: 400, message: 'Missing required parameter {param} in the post body' },
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
});

/** 60200 for a parameter with a bad value: "Invalid parameter `To`: +1abc". */
export function invalidParam(param: string, value: string): TwilioError {
  return twilioError(60200, { param, value });
}

/** 60200 for a missing parameter, in the catalogue's wording: "Invalid parameter: To". */
export function missingParam(param: string): TwilioError {
  return twilioError(60200, { param }, { message: 'Invalid parameter: {param}' });
}

/**
 * Verify's 404: "The requested resource /Services/VA…/VerificationCheck was not found". Real
 * Verify messages name the path without the `/v2` prefix (2019–2022 captures).
 */
export function verifyNotFound(request: FastifyRequest): TwilioError {
  return notFound(pathOf(request).replace(/^\/v2(?=\/)/, ''));
}

/**
 * Error codes of the phone-number resources, added to the catalogue at import. Titles come from
 * twilio.com/docs/api/errors/<code>. 21421 and 21422 use the wording of Twilio's recorded docs
 * outputs (TwilioDevEd/api-snippets rest/test-credentials: "+15005550000 is not available",
 * "33 is not a valid number" — the raw value echoed); 21451/21452 wording is UNCONFIRMED.
 */
import { registerTwilioErrors } from '../errors';

registerTwilioErrors({
  // The generic "missing parameter" answer of Twilio's APIs.
  20001: { status: 400, message: 'Missing required parameter {param} in the post body' },
  // 21402/21403: "You attempted to update the URL handler / HTTP method associated with a phone number".
  21402: { status: 400, message: 'Invalid Url: {param} must be a fully qualified http or https URL, got {value}' },
  21403: { status: 400, message: 'Invalid Method: {param} must be GET or POST, got {value}' },
  21421: { status: 400, message: '{value} is not a valid number' },
  21422: { status: 400, message: '{phoneNumber} is not available' },
  21451: { status: 400, message: 'Invalid area code: {areaCode}' },
  21452: { status: 400, message: 'No phone numbers found in area code {areaCode}' },
  21457: { status: 400, message: 'AreaCode Parameter not Supported' },
});

/** Codes this module answers with (documented in docs/numbers-services-inbound.md). */
export const NUMBER_ERROR_CODES = [20001, 21402, 21403, 21421, 21422, 21451, 21452, 21457] as const;

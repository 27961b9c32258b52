/**
 * Error codes of the phone-number resources: a static table, gathered in ../error-catalogue.ts.
 * Titles come from twilio.com/docs/api/errors/<code>. 21421 and 21422 use the wording of Twilio's
 * recorded docs outputs (TwilioDevEd/api-snippets rest/test-credentials: "+15005550000 is not
 * available", "33 is not a valid number" — the raw value echoed); 21451/21452 wording is UNCONFIRMED.
 */
import type { TwilioErrorSpec } from '../error-spec';

export const NUMBER_ERRORS = {
  // 21402/21403: "You attempted to update the URL handler / HTTP method associated with a phone number".
  21402: { status: 400, message: 'Invalid Url: {param} must be a fully qualified http or https URL, got {value}' },
  21403: { status: 400, message: 'Invalid Method: {param} must be GET or POST, got {value}' },
  21421: { status: 400, message: '{value} is not a valid number' },
  21422: { status: 400, message: '{phoneNumber} is not available' },
  21451: { status: 400, message: 'Invalid area code: {areaCode}' },
  21452: { status: 400, message: 'No phone numbers found in area code {areaCode}' },
  21457: { status: 400, message: 'AreaCode Parameter not Supported' },
} satisfies Record<number, TwilioErrorSpec>;

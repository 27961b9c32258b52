/**
 * The errors the generic engine answers with: Twilio's 20001 for request validation and 20404
 * for what does not exist (both in the shared table, ../api-errors.ts, and the README's list).
 *
 * Wordings: "Missing required parameter Identity in the post body" (code 20001, status 400) is
 * what real Twilio answered (twilio/twilio-chat-demo-android#147, nash-md/twilio-contact-center#18).
 * For a value of the wrong type or outside an enum real 20001 bodies vary ("Bad request",
 * "invalid literal for int() with base 10: ''"); mirra uses the "Invalid parameter X: value"
 * wording its Messaging Services already answer with (UNCONFIRMED for the generic case).
 */
import { twilioError, type TwilioError } from '../errors';

/** 400/20001 for a required parameter that is absent: in the post body, or in the query string of a GET. */
export function missingParameter(param: string, where: 'body' | 'query'): TwilioError {
  return where === 'body'
    ? twilioError(20001, { param })
    : twilioError(20001, { param }, { message: 'Missing required parameter {param} in the query string' });
}

/** 400/20001 for a parameter whose value has the wrong type or is not one of its enum values. */
export function invalidParameter(param: string, value: string): TwilioError {
  return twilioError(20001, { param, value }, { message: 'Invalid parameter {param}: {value}' });
}

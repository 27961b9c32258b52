/**
 * The Calls API's answers worded as real Calls answers are, built from the catalogue.
 */
import { twilioError, type TwilioError } from '../errors';

/** 21205 for a missing `Url` (the wording of a 2017 answer to a create without Url/ApplicationSid). */
export function urlRequired(): TwilioError {
  return twilioError(21205, {}, { message: 'Url parameter is required. For more information, see http://www.twilio.com/docs/api/twiml' });
}

/** 21212 in the Calls API's wording: "From is not a valid phone number: +0800918468". */
export function invalidCallFrom(from: string): TwilioError {
  return twilioError(21212, {}, { message: `From is not a valid phone number: ${from}` });
}

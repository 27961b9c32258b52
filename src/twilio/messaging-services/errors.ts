/**
 * Error codes of the Messaging Service resources, added to the catalogue at import. Titles from
 * twilio.com/docs/api/errors/<code>; the 409s for pool conflicts are from real traffic
 * (twilio-real-traffic.md "Messaging Service PhoneNumber").
 */
import { registerTwilioErrors } from '../errors';

registerTwilioErrors({
  20001: { status: 400, message: 'Missing required parameter {param} in the post body' },
  // Same wording as buying an invalid number (one catalogue entry per code): "33 is not a valid number".
  21421: { status: 400, message: '{value} is not a valid number' },
  21710: { status: 409, message: 'Phone Number Already Exists in Messaging Service' },
  21712: { status: 409, message: 'Phone Number or Short Code is associated with another Messaging Service.' },
  21714: { status: 400, message: 'Messaging Service Number Pool size limit reached' },
  21715: { status: 400, message: 'Phone Number Does Not Have Correct Messaging Service Capabilities' },
});

/** The invalid-parameter answer of the v1 API (code 20001 with the parameter named). */
export const INVALID_PARAMETER = (param: string, value: string) => ({ message: `Invalid parameter ${param}: ${value}` });

/** Codes this module answers with (documented in docs/numbers-services-inbound.md). */
export const SERVICE_ERROR_CODES = [20001, 20404, 21421, 21710, 21712, 21714, 21715] as const;

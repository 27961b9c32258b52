/**
 * Error codes of the Messaging Service resources: a static table, gathered in
 * ../error-catalogue.ts. Titles from
 * twilio.com/docs/api/errors/<code>; the 409s for pool conflicts are from real traffic
 * (twilio-real-traffic.md "Messaging Service PhoneNumber").
 */
import type { TwilioErrorSpec } from '../error-spec';

export const SERVICE_ERRORS = {
  21710: { status: 409, message: 'Phone Number Already Exists in Messaging Service' },
  21712: { status: 409, message: 'Phone Number or Short Code is associated with another Messaging Service.' },
  21714: { status: 400, message: 'Messaging Service Number Pool size limit reached' },
  21715: { status: 400, message: 'Phone Number Does Not Have Correct Messaging Service Capabilities' },
} satisfies Record<number, TwilioErrorSpec>;

/** The invalid-parameter answer of the v1 API (code 20001 with the parameter named). */
export const INVALID_PARAMETER = (param: string, value: string) => ({ message: `Invalid parameter ${param}: ${value}` });

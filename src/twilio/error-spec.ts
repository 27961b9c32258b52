/**
 * The shape of a catalogue entry, shared by every resource's static error table (a leaf module:
 * tables import nothing else, so gathering them creates no import cycle).
 */

/** One catalogue entry. `message` may use `{name}` placeholders filled by `twilioError`. */
export interface TwilioErrorSpec {
  status: number;
  message: string;
  /** Extra `detail` field, as real 401s carry. */
  detail?: string;
}

/**
 * A debugger alert: a problem Twilio reports on a delivery or a call rather than in an API answer
 * (11200 for a webhook that failed, 12100 for a malformed TwiML document, ...).
 */
export interface TwilioAlertSpec {
  message: string;
}

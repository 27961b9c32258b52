/**
 * Twilio's error catalogue: every error code the mirror returns, with its HTTP status and message.
 * Codes, statuses and wordings come from ../shared/twilio-api.md §4 and twilio-real-traffic.md §8;
 * a test fails when a code here is not documented in the README.
 */

/** One catalogue entry. `message` may use `{name}` placeholders filled by {@link twilioError}. */
export interface TwilioErrorSpec {
  status: number;
  message: string;
  /** Extra `detail` field, as real 401s carry. */
  detail?: string;
}

export const TWILIO_ERRORS = {
  20003: { status: 401, message: 'Authenticate', detail: 'Your AccountSid or AuthToken was incorrect.' },
  20007: { status: 400, message: 'Page size too large. The maximum page size is 1000.' },
  20008: { status: 403, message: 'Resource not accessible with Test Account Credentials' },
  20009: { status: 400, message: 'Cannot delete this resource before it is complete' },
  20404: { status: 404, message: 'The requested resource {path} was not found' },
  20429: { status: 429, message: 'Too Many Requests' },
  21211: { status: 400, message: "The 'To' number {to} is not a valid phone number." },
  21212: { status: 400, message: "The 'From' number {from} is not a valid phone number, shortcode, or alphanumeric sender ID." },
  21400: { status: 400, message: 'Invalid parameter {param}: {value}' },
  21408: { status: 400, message: 'Permission to send an SMS has not been enabled for the region indicated by the \'To\' number: {to}.' },
  21602: { status: 400, message: 'Message body is required.' },
  21603: { status: 400, message: "A 'From' phone number is required." },
  21604: { status: 400, message: "A 'To' phone number is required." },
  21606: { status: 400, message: 'The From phone number {from} is not a valid, SMS-capable inbound phone number or short code for your account.' },
  21609: { status: 400, message: 'Invalid StatusCallback url' },
  21610: { status: 400, message: 'Attempt to send to unsubscribed recipient' },
  21611: { status: 429, message: 'SMS queue is full.' },
  21612: { status: 400, message: "The 'To' phone number: {to}, is not currently reachable using the 'From' phone number: {from} via SMS." },
  21614: { status: 400, message: "To number: {to}, is not a mobile number" },
  21617: { status: 400, message: 'The concatenated message body exceeds the 1600 character limit.' },
  21619: { status: 400, message: 'A text message body or media urls must be specified.' },
  21620: { status: 400, message: 'Invalid media URL(s)' },
  21701: { status: 400, message: 'The Messaging Service Sid {sid} is invalid.' },
  21704: { status: 400, message: 'The Messaging Service contains no phone numbers' },
  30409: { status: 400, message: 'Message cannot be canceled: only messages in the scheduled status can be canceled.' },
} satisfies Record<number, TwilioErrorSpec>;

/** A code present in the catalogue. */
export type TwilioErrorCode = keyof typeof TWILIO_ERRORS;

/** Codes other modules add to the catalogue at start-up (Verify, numbers, ...). */
const extraErrors = new Map<number, TwilioErrorSpec>();

/** Adds resource-family error codes to the catalogue (called once per module, at import). */
export function registerTwilioErrors(entries: Record<number, TwilioErrorSpec>): void {
  for (const [code, spec] of Object.entries(entries)) extraErrors.set(Number(code), spec);
}

/** Every known code, for documentation checks. */
export function allTwilioErrorCodes(): number[] {
  return [...Object.keys(TWILIO_ERRORS).map(Number), ...extraErrors.keys()].sort((a, b) => a - b);
}

/** The JSON body of a Twilio error. */
export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
  detail?: string;
}

/** An error the API answers with, in Twilio's shape. Thrown by models, rendered by the error handler. */
export class TwilioError extends Error {
  constructor(
    readonly code: number,
    readonly status: number,
    message: string,
    readonly detail?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'TwilioError';
  }

  /** The response body: `code`, `message`, `more_info`, `status` (and `detail` where Twilio adds it). */
  toBody(): TwilioErrorBody {
    const body: TwilioErrorBody = {
      code: this.code,
      message: this.message,
      more_info: `https://www.twilio.com/docs/errors/${this.code}`,
      status: this.status,
    };
    if (this.detail !== undefined) body.detail = this.detail;
    return body;
  }
}

/** Builds a catalogued error, filling `{placeholders}` in its message from `vars`. */
export function twilioError(code: number, vars: Record<string, string> = {}, override?: Partial<TwilioErrorSpec>): TwilioError {
  const spec: TwilioErrorSpec | undefined = (TWILIO_ERRORS as Record<number, TwilioErrorSpec>)[code] ?? extraErrors.get(code);
  if (!spec) throw new Error(`twilio error ${code} is not in the catalogue`);
  const merged = { ...spec, ...override };
  const message = merged.message.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');
  return new TwilioError(code, merged.status, message, merged.detail);
}

/** The 404 Twilio answers for an unknown resource or path. */
export function notFound(path: string): TwilioError {
  return twilioError(20404, { path });
}

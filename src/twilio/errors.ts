/**
 * Errors in Twilio's shape: `TwilioError` (thrown by models, rendered by the error handler) and
 * `twilioError(code)`, which builds one from the catalogue (./error-catalogue.ts).
 */
import { TWILIO_ERRORS, type TwilioErrorCode } from './error-catalogue';
import type { TwilioErrorSpec } from './error-spec';

export type { TwilioErrorSpec } from './error-spec';
export type { TwilioErrorCode } from './error-catalogue';

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

/** Options of {@link twilioError} beyond the catalogue's entry. */
export interface TwilioErrorOverride extends Partial<TwilioErrorSpec> {
  headers?: Record<string, string>;
}

/** Builds a catalogued error, filling `{placeholders}` in its message from `vars`. */
export function twilioError(code: TwilioErrorCode, vars: Record<string, string> = {}, override: TwilioErrorOverride = {}): TwilioError {
  const spec: TwilioErrorSpec = { ...TWILIO_ERRORS[code], ...override };
  const message = spec.message.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');
  return new TwilioError(code, spec.status, message, spec.detail, override.headers);
}

/** The 404 Twilio answers for an unknown resource or path. */
export function notFound(path: string): TwilioError {
  return twilioError(20404, { path });
}

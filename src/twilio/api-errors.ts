/**
 * Errors every Twilio API answers with, whatever the resource: authentication, unknown paths,
 * paging, the generic parameter errors and the test-credentials refusal (twilio-api.md §4,
 * twilio-real-traffic.md §8). Resource-specific codes live in each resource's `errors.ts`.
 */
import type { TwilioErrorSpec } from './error-spec';

export const API_ERRORS = {
  // The generic "required parameter missing" / "invalid parameter" answer of the v1/v2 APIs.
  20001: { status: 400, message: 'Missing required parameter {param} in the post body' },
  20003: { status: 401, message: 'Authenticate', detail: 'Your AccountSid or AuthToken was incorrect.' },
  20007: { status: 400, message: 'Page size too large. The maximum page size is 1000.' },
  20008: { status: 403, message: 'Resource not accessible with Test Account Credentials' },
  20404: { status: 404, message: 'The requested resource {path} was not found' },
  20429: { status: 429, message: 'Too Many Requests' },
  20500: { status: 500, message: 'Internal Server Error' },
  21400: { status: 400, message: 'Invalid parameter {param}: {value}' },
} satisfies Record<number, TwilioErrorSpec>;

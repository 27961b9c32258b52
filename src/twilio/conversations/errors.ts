/**
 * Conversations' error codes: a static table, gathered with the others in ../error-catalogue.ts.
 *
 * - 50365 "Invalid conversation webhook filter" is Twilio's (docs/api/errors/50365).
 * - 20403: which error an API client gets when a pre-event webhook refuses its action is
 *   UNCONFIRMED (§11: "The SDK client gets an error; the code is UNCONFIRMED"); mirra answers
 *   Twilio's generic 403 code, naming the event and the webhook's status.
 */
import type { TwilioErrorSpec } from '../error-spec';

export const CONVERSATION_ERRORS = {
  20403: { status: 403, message: 'The {event} pre-event webhook refused the action (HTTP {status})' },
  50365: { status: 400, message: 'Invalid conversation webhook filter: {filter}' },
} satisfies Record<number, TwilioErrorSpec>;

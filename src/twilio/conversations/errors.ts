/**
 * Conversations' error codes: a static table, gathered with the others in ../error-catalogue.ts.
 *
 * - 50365 "Invalid conversation webhook filter", 50353 "Conversation with provided unique name
 *   already exists" and 50390 (a unique name shaped like a Conversation SID) are Twilio's
 *   (docs/api/errors/…); their HTTP statuses (409, 400) are UNCONFIRMED.
 * - 20403: which error an API client gets when a pre-event webhook refuses its action is
 *   UNCONFIRMED (§11: "The SDK client gets an error; the code is UNCONFIRMED"); mirra answers
 *   Twilio's generic 403 code, naming the event and the webhook's status.
 */
import type { TwilioErrorSpec } from '../error-spec';

export const CONVERSATION_ERRORS = {
  20403: { status: 403, message: 'The {event} pre-event webhook refused the action (HTTP {status})' },
  50353: { status: 409, message: 'Conversation with provided unique name already exists' },
  50365: { status: 400, message: 'Invalid conversation webhook filter: {filter}' },
  50390: { status: 400, message: 'Unique name should not match conversation sid pattern' },
} satisfies Record<number, TwilioErrorSpec>;

/**
 * Twilio's error catalogue: every code the mirror answers with, gathered explicitly from each
 * resource's static table (no registration by import). A code sits in exactly one table; a test
 * fails when a catalogued code is never used, or when the README does not document it.
 */
import { API_ERRORS } from './api-errors';
import { CALL_ERRORS } from './calls/errors';
import { CONVERSATION_ERRORS } from './conversations/errors';
import type { TwilioErrorSpec } from './error-spec';
import { MESSAGE_ERRORS } from './messages/errors';
import { SERVICE_ERRORS } from './messaging-services/errors';
import { NUMBER_ERRORS } from './numbers/errors';
import { VERIFY_ERRORS } from './verify/errors';

/** The tables, by owner (tests check that no code is in two of them). */
export const ERROR_TABLES = {
  api: API_ERRORS,
  messages: MESSAGE_ERRORS,
  numbers: NUMBER_ERRORS,
  'messaging-services': SERVICE_ERRORS,
  verify: VERIFY_ERRORS,
  calls: CALL_ERRORS,
  conversations: CONVERSATION_ERRORS,
} as const;

/** Every catalogued code with its status and message. */
export const TWILIO_ERRORS = {
  ...API_ERRORS,
  ...MESSAGE_ERRORS,
  ...NUMBER_ERRORS,
  ...SERVICE_ERRORS,
  ...VERIFY_ERRORS,
  ...CALL_ERRORS,
  ...CONVERSATION_ERRORS,
} satisfies Record<number, TwilioErrorSpec>;

/** A code of the catalogue: `twilioError` takes nothing else, so an uncatalogued code does not compile. */
export type TwilioErrorCode = keyof typeof TWILIO_ERRORS;

/**
 * The Messages API's errors (twilio-api.md §4; wording from real traffic where it was recorded).
 */
import type { TwilioErrorSpec } from '../error-spec';

export const MESSAGE_ERRORS = {
  20009: { status: 400, message: 'Cannot delete this resource before it is complete' },
  21211: { status: 400, message: "The 'To' number {to} is not a valid phone number." },
  21212: { status: 400, message: "The 'From' number {from} is not a valid phone number, shortcode, or alphanumeric sender ID." },
  21408: { status: 400, message: "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: {to}." },
  21602: { status: 400, message: 'Message body is required.' },
  21603: { status: 400, message: "A 'From' phone number is required." },
  21604: { status: 400, message: "A 'To' phone number is required." },
  21606: { status: 400, message: 'The From phone number {from} is not a valid, SMS-capable inbound phone number or short code for your account.' },
  21609: { status: 400, message: 'Invalid StatusCallback url' },
  21610: { status: 400, message: 'Attempt to send to unsubscribed recipient' },
  21611: { status: 429, message: 'SMS queue is full.' },
  21612: { status: 400, message: "The 'To' phone number: {to}, is not currently reachable using the 'From' phone number: {from} via SMS." },
  21614: { status: 400, message: 'To number: {to}, is not a mobile number' },
  21617: { status: 400, message: 'The concatenated message body exceeds the 1600 character limit.' },
  21619: { status: 400, message: 'A text message body or media urls must be specified.' },
  21620: { status: 400, message: 'Invalid media URL(s)' },
  21701: { status: 400, message: 'The Messaging Service Sid {sid} is invalid.' },
  21704: { status: 400, message: 'The Messaging Service contains no phone numbers' },
  30409: { status: 400, message: 'Message cannot be canceled: only messages in the scheduled status can be canceled.' },
} satisfies Record<number, TwilioErrorSpec>;

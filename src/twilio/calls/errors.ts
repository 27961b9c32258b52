/**
 * The Voice API's error codes (Calls, Recordings, Conferences), a static table gathered in
 * ../error-catalogue.ts (twilio-voice-and-more.md §1.2; all HTTP 400). Wordings seen in real
 * answers are used as is: 21205 (both forms), 21210 and 21212 (2015 logs), 21215 (2016–2021 logs),
 * 21217 and 21220 (§1.2; for recordings "Requested resource is not eligible for recording", the
 * wording of live captures, ./recordings/lifecycle.ts). The others are the public catalogue's
 * titles (UNCONFIRMED as REST wording, and the 16xxx codes' HTTP status too). 21211 (invalid
 * `To`) is in the shared catalogue already. 21626 (a bad `StatusCallbackEvent`) is not here:
 * Twilio still answers 201 and only drops the callbacks.
 */
import type { TwilioErrorSpec } from '../error-spec';

export const CALL_ERRORS = {
  21201: { status: 400, message: "No 'To' number is specified" },
  21205: { status: 400, message: '{param} is not a valid URL: {url}' },
  21206: { status: 400, message: 'Invalid SendDigits: {value}' },
  21208: { status: 400, message: 'Invalid Timeout: {value}' },
  21209: { status: 400, message: 'Invalid Method: {value}' },
  21210: {
    status: 400,
    message: "The source phone number provided, {from}, is not yet verified for your account. You may only make calls from phone numbers that you've verified or purchased from Twilio.",
  },
  21213: { status: 400, message: "No 'From' number is specified" },
  21214: { status: 400, message: "'To' phone number cannot be reached" },
  21215: {
    status: 400,
    message: 'Account not authorized to call {to}. Perhaps you need to enable some international permissions: https://www.twilio.com/console/voice/calls/geo-permissions/low-risk',
  },
  21216: { status: 400, message: 'Call blocked by Twilio blocklist: {to}' },
  21217: { status: 400, message: 'The phone number you are attempting to call, {to}, is not valid.' },
  21218: { status: 400, message: 'Invalid ApplicationSid' },
  21220: { status: 400, message: 'Call is not in-progress. Cannot redirect.' },
  21234: { status: 400, message: 'Invalid Machine Detection configuration value: {param}' },
  // Conferences and their participants (errors/16022–16028).
  16022: { status: 400, message: 'Conference does not exist or is completed' },
  16024: { status: 400, message: "Invalid participant label, must not exceed 128 characters, must not be a CallSid, must not contain '/'" },
  16026: { status: 400, message: 'Participant label is in use by another participant' },
  16028: { status: 400, message: 'Participant to be whispered is not present in the conference' },
  // Recordings (errors/16108): `Twilio.CURRENT` names more than one live recording.
  16108: { status: 400, message: 'Voice Recording: Request failed due to concurrent recordings' },
} satisfies Record<number, TwilioErrorSpec>;

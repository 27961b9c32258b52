/**
 * The Call resource as mirra keeps it (schema `api.v2010.account.call`, twilio-voice-and-more.md
 * §1–§3). Times are epoch ms on the session clock; `duration` is whole seconds; rendering turns
 * them into Twilio's RFC 2822 dates and strings.
 */

/** REST statuses (spec `call_enum_status`). `initiated` is only ever a callback value. */
export type CallStatus = 'queued' | 'ringing' | 'in-progress' | 'completed' | 'busy' | 'failed' | 'no-answer' | 'canceled';

/** Directions: API-created, a `<Dial>` leg, or a call to one of the account's numbers. */
export type CallDirection = 'inbound' | 'outbound-api' | 'outbound-dial';

/** Status callback events a caller can subscribe to (spec `call_enum_event`). */
export type CallEvent = 'initiated' | 'ringing' | 'answered' | 'completed';

/** Every {@link CallEvent}, in the order a call passes them. */
export const CALL_EVENTS: readonly CallEvent[] = ['initiated', 'ringing', 'answered', 'completed'];

/** HTTP methods Twilio uses for webhooks. */
export type HttpMethod = 'GET' | 'POST';

/** `AnsweredBy` values of answering machine detection (§8). */
export type AnsweredBy =
  | 'human' | 'machine_start' | 'machine_end_beep' | 'machine_end_silence' | 'machine_end_other' | 'fax' | 'unknown';

/** Answering machine detection as requested at create (§8). */
export interface MachineDetection {
  mode: 'Enable' | 'DetectMessageEnd';
  timeoutSec: number;
  /** `AsyncAmd=true`: TwiML runs at once and the result is POSTed here (null: no callback). */
  asyncCallback: { url: string | null; method: HttpMethod } | null;
}

/** A recording made for the whole call (`Record=true`), reported in the `completed` callback. */
export interface CallRecordingRef {
  sid: string;
  url: string;
  durationSec: number;
}

/** Geography of a number as webhooks carry it (empty strings when unknown). */
export interface WebhookGeo {
  city: string;
  state: string;
  zip: string;
  country: string;
}

/** A call. */
export interface CallRecord {
  sid: string;
  accountSid: string;
  parentCallSid: string | null;
  /** E.164, `client:…` or `sip:…`. */
  to: string;
  from: string;
  toGeo: WebhookGeo;
  fromGeo: WebhookGeo;
  phoneNumberSid: string | null;
  status: CallStatus;
  direction: CallDirection;
  /** True once dialing started (the `initiated` event); the REST status is still `queued`. */
  initiated: boolean;
  answeredBy: AnsweredBy | null;
  callerName: string | null;
  forwardedFrom: string | null;
  dateCreated: number;
  dateUpdated: number;
  /** Set when dialing starts (§2: already set while ringing). */
  startTime: number | null;
  endTime: number | null;
  /** Seconds: null at create, 0 from dialing until the end, then end − start (0 if never answered). */
  duration: number | null;
  price: string | null;
  priceUnit: string;
  /** The SIP code of the end (200, 486 busy, 487 no-answer), sent as `SipResponseCode`. */
  sipResponseCode: number | null;
  statusCallback: string | null;
  statusCallbackMethod: HttpMethod;
  statusCallbackEvents: CallEvent[];
  /** The next callback's `SequenceNumber` (counts every event, subscribed or not: §3). */
  sequence: number;
  machineDetection: MachineDetection | null;
  recording: CallRecordingRef | null;
  /**
   * The Verify verification whose code the call reads out: Verify calls from Twilio's own numbers,
   * so the call is not the account's (not in its Calls list) but is in `GET /_mirra/calls`.
   */
  verificationSid?: string;
}

/** Statuses after which nothing more happens to a call. */
export const TERMINAL_CALL_STATUSES: ReadonlySet<CallStatus> = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

/** The collection name of calls in a session. */
export const CALLS = 'calls';

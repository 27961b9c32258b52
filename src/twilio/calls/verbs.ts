/**
 * Voice TwiML verbs as the interpreter runs them: every attribute validated and defaulted per the
 * verb's doc page (docs/voice/twiml/<verb>, twilio-voice-and-more.md §5). URLs are kept as
 * written (maybe relative); the interpreter resolves them against the document's URL.
 */
import type { CallEvent, HttpMethod } from './types';

/** `<Say>`: text to speak (SSML markup reduced to its text). `loop` 0 means 1,000. */
export interface SayVerb {
  verb: 'Say';
  text: string;
  voice: string;
  language: string;
  loop: number;
}

/** `<Play>`: an audio URL, or DTMF `digits` (`w` waits 0.5 s). `loop` 0 means 1,000. */
export interface PlayVerb {
  verb: 'Play';
  url: string | null;
  digits: string | null;
  loop: number;
}

/** `<Pause>`: silence for `length` seconds. */
export interface PauseVerb {
  verb: 'Pause';
  length: number;
}

/** What may nest in `<Gather>`. */
export type PromptVerb = SayVerb | PlayVerb | PauseVerb;

/** `<Gather>` (docs/voice/twiml/gather, §5.3). */
export interface GatherVerb {
  verb: 'Gather';
  /** null: the current document's URL. */
  action: string | null;
  method: HttpMethod;
  input: { dtmf: boolean; speech: boolean };
  /** Seconds to wait for the first/next digit, after the prompt. */
  timeout: number;
  /** `''` disables it. */
  finishOnKey: string;
  numDigits: number | null;
  speechTimeout: number | 'auto';
  language: string;
  actionOnEmptyResult: boolean;
  partialResultCallback: string | null;
  partialResultCallbackMethod: HttpMethod;
  prompt: PromptVerb[];
}

/** `<Redirect>`: continue with the document at `url`. */
export interface RedirectVerb {
  verb: 'Redirect';
  url: string;
  method: HttpMethod;
}

/** `<Hangup>`. */
export interface HangupVerb {
  verb: 'Hangup';
}

/** `<Reject>`: refuse an unanswered call (busy → `busy`, rejected → `no-answer`). */
export interface RejectVerb {
  verb: 'Reject';
  reason: 'rejected' | 'busy';
}

/** Callback settings a dialled `<Number>`/`<Client>`/`<Sip>` leg carries. */
export interface LegSettings {
  /** Whisper TwiML run on the callee before bridging. */
  url: string | null;
  method: HttpMethod;
  statusCallback: string | null;
  statusCallbackMethod: HttpMethod;
  statusCallbackEvents: CallEvent[];
}

/** A `<Dial>` target. */
export type DialTarget =
  | ({ kind: 'number'; number: string; sendDigits: string | null } & LegSettings)
  | ({ kind: 'client'; identity: string; parameters: Record<string, string> } & LegSettings)
  | ({ kind: 'sip'; uri: string; username: string | null; password: string | null; sendDigits: string | null } & LegSettings)
  | {
      kind: 'conference';
      name: string;
      muted: boolean;
      beep: 'true' | 'false' | 'onEnter' | 'onExit';
      startConferenceOnEnter: boolean;
      endConferenceOnExit: boolean;
      waitUrl: string | null;
      waitMethod: HttpMethod;
      maxParticipants: number;
      statusCallback: string | null;
      statusCallbackMethod: HttpMethod;
      statusCallbackEvents: string[];
      /** `record="record-from-start"`. Optional: documents parsed before mirra recorded conferences lack it. */
      record?: boolean;
      recordingStatusCallback?: string | null;
      recordingStatusCallbackMethod?: HttpMethod;
      recordingStatusCallbackEvents?: string[];
      participantLabel?: string | null;
    }
  | { kind: 'queue'; name: string; url: string | null; method: HttpMethod };

/** `record` values of `<Dial>` (`true`/`false` are aliases of the first two). */
export type DialRecordMode =
  | 'do-not-record' | 'record-from-answer' | 'record-from-ringing' | 'record-from-answer-dual' | 'record-from-ringing-dual';

/** Recording status callback settings (`<Dial>`, `<Record>`). */
export interface RecordingCallbackSettings {
  recordingStatusCallback: string | null;
  recordingStatusCallbackMethod: HttpMethod;
  recordingStatusCallbackEvents: string[];
}

/** `<Dial>` (docs/voice/twiml/dial, §5.4). */
export interface DialVerb extends RecordingCallbackSettings {
  verb: 'Dial';
  action: string | null;
  method: HttpMethod;
  /** Seconds each leg rings (5–600). */
  timeout: number;
  hangupOnStar: boolean;
  timeLimit: number;
  /** null: the caller's number. Checked against the account when dialled (13214). */
  callerId: string | null;
  record: DialRecordMode;
  trim: 'trim-silence' | 'do-not-trim';
  answerOnBridge: boolean;
  sequential: boolean;
  targets: DialTarget[];
}

/** `<Record>` (docs/voice/twiml/record, §5.5). */
export interface RecordVerb extends RecordingCallbackSettings {
  verb: 'Record';
  /** null: the current document's URL. */
  action: string | null;
  method: HttpMethod;
  /** Seconds of silence that end it; 0 disables. */
  timeout: number;
  finishOnKey: string;
  maxLength: number;
  playBeep: boolean;
  trim: 'trim-silence' | 'do-not-trim';
  transcribe: boolean;
  transcribeCallback: string | null;
}

/** `<Enqueue>` (docs/voice/twiml/enqueue, §5.6). */
export interface EnqueueVerb {
  verb: 'Enqueue';
  name: string;
  action: string | null;
  method: HttpMethod;
  waitUrl: string | null;
  waitUrlMethod: HttpMethod;
  workflowSid: string | null;
}

/** `<Leave>`: leave the queue (in wait-URL TwiML). */
export interface LeaveVerb {
  verb: 'Leave';
}

/** `<Sms>` in a call (deprecated, §5.7): `to` defaults to the caller, `from` to the called number. */
export interface SmsVerb {
  verb: 'Sms';
  to: string | null;
  from: string | null;
  body: string;
  action: string | null;
  method: HttpMethod;
  statusCallback: string | null;
}

/** A real Twilio verb mirra parses but does not emulate (`<Connect>`, `<Pay>`, …): skipped, noted. */
export interface UnsupportedVerb {
  verb: 'Unsupported';
  name: string;
}

/** A verb of a voice document. */
export type VoiceVerb =
  | SayVerb | PlayVerb | PauseVerb | GatherVerb | RedirectVerb | HangupVerb | RejectVerb | DialVerb | RecordVerb
  | EnqueueVerb | LeaveVerb | SmsVerb | UnsupportedVerb;

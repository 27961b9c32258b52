/**
 * The voice TwiML interpreter's state, the events it takes and the effects it asks for (see
 * interpreter.ts). Everything here is plain data, so a state can be stored with its call and a
 * step replayed.
 */
import type { FormParams } from '../../signing/signature';
import type { HttpMethod } from './types';
import type { DialRecordMode, DialTarget, DialVerb, EnqueueVerb, GatherVerb, RecordVerb, SmsVerb, VoiceVerb } from './verbs';

/** Tunables of the interpreter: estimates of how long audio lasts, and loop protection. */
export interface InterpreterOptions {
  /** `<Say>` speed for the duration estimate: characters per second (about 150 words a minute). */
  sayCharsPerSecond: number;
  /** Assumed length of one play of an audio file, ms (mirra does not fetch audio). */
  playMs: number;
  /** Documents in a row that may run no audio, pause, input or call before mirra ends the loop. */
  maxIdleDocuments: number;
  /** `<Message>` in a voice document: a 12200 warning, or run as `<Sms>` (§5.7, UNCONFIRMED). */
  messageVerb: 'warn' | 'sms';
}

/** Where a call's TwiML comes from. `inline` (the `Twiml` parameter) has no document URL. */
export type TwimlSource = { kind: 'url'; url: string; method: HttpMethod } | { kind: 'inline'; xml: string };

/** What a fetch is for (the transcript and the runner's log show it). */
export type FetchPurpose = 'url' | 'fallback' | 'redirect' | 'update' | 'Gather' | 'Dial' | 'Record' | 'Sms' | 'Enqueue';

/** What the interpreter is waiting for. Tokens tie answers and timers to the wait that asked. */
export type InterpreterWait =
  | { kind: 'start' }
  | { kind: 'fetch'; token: number; url: string; method: HttpMethod; params: FormParams; isFallback: boolean }
  | { kind: 'audio'; token: number }
  | { kind: 'gather'; token: number; verb: GatherVerb; prompt: number; listening: boolean; digits: string }
  | { kind: 'dial'; token: number; verb: DialVerb }
  | { kind: 'record'; token: number; verb: RecordVerb; startedAt: number; silenceToken: number; heard: string[] }
  | { kind: 'record-saving'; token: number; verb: RecordVerb; digits: string | null; hungUp: boolean }
  | { kind: 'sms'; token: number; verb: SmsVerb }
  | { kind: 'enqueue'; token: number; verb: EnqueueVerb }
  | { kind: 'ended' };

/** A call's interpreter: its document, where it is in it, and what it waits for. */
export interface InterpreterState {
  /** The call's parties, for `<Sms>` defaults (to the caller, from the called number). */
  call: { from: string; to: string };
  source: TwimlSource;
  fallback: { url: string; method: HttpMethod } | null;
  options: InterpreterOptions;
  /** False while an inbound call rings; the first answering verb answers it. */
  answered: boolean;
  verbs: VoiceVerb[];
  /** The URL the current document came from (base of relative URLs, default action); null for inline TwiML. */
  documentUrl: string | null;
  /** Index of the next verb to run. */
  pc: number;
  wait: InterpreterWait;
  /** The last token handed out. */
  seq: number;
  idleDocuments: number;
}

/** `DialCallStatus` values (§5.4). */
export type DialCallStatus = 'completed' | 'answered' | 'busy' | 'no-answer' | 'failed' | 'canceled';

/** A recording the runner made (for `<Dial record>` results and `<Record>`). */
export interface RecordingInfo {
  sid: string;
  url: string;
  durationSec: number;
}

/** What can happen to a running call. Results carry the `token` of the effect they answer. */
export type InterpreterEvent =
  /** An outbound call was answered: fetch its `Url` (or run its `Twiml`). */
  | { type: 'answered' }
  /** An inbound call arrived and rings: fetch the number's voice URL. */
  | { type: 'incoming' }
  | { type: 'twiml-fetched'; token: number; body: string; contentType?: string }
  | { type: 'twiml-fetch-failed'; token: number; code: number; message?: string }
  /** A `<Say>`/`<Play>`/`<Pause>` (or Gather prompt item) finished. */
  | { type: 'elapsed'; token: number }
  | { type: 'gather-timeout'; token: number }
  /** `<Record>` heard `timeout` seconds of silence (its silence token) or reached `maxLength` (its token). */
  | { type: 'record-timeout'; token: number }
  /** The caller pressed keys. */
  | { type: 'digits'; digits: string }
  /** The caller said something: a Gather's speech result, or talk into a `<Record>` (restarts its silence clock). */
  | { type: 'speech'; text: string; confidence?: number }
  | { type: 'dial-result'; token: number; status: DialCallStatus; callSid?: string; durationSec?: number; recording?: RecordingInfo }
  | { type: 'record-finished'; token: number; recording: RecordingInfo }
  | { type: 'sms-result'; token: number; sid: string; status: 'sending' | 'sent' | 'failed' | 'invalid' }
  | { type: 'queue-result'; token: number; result: string; queueSid: string; queueTimeSec: number }
  /** REST update with `Url` or `Twiml` (§1.3): stop what runs and continue there. */
  | { type: 'update'; source: TwimlSource }
  /** The caller (or the API) hung up. */
  | { type: 'hangup' };

/** One line of what happened on the call, in order (what `GET /_mirra/calls` shows). */
export type TranscriptLine =
  | { kind: 'say'; text: string; voice: string; language: string; loop: number }
  | { kind: 'play'; url: string | null; digits: string | null; loop: number }
  | { kind: 'pause'; seconds: number }
  | { kind: 'gather'; digits: string | null; speech: string | null; finishedOnKey: string | null }
  | { kind: 'dial'; to: string[] }
  | { kind: 'dial-result'; status: DialCallStatus; durationSec: number | null }
  | { kind: 'record'; playBeep: boolean }
  | { kind: 'recorded'; durationSec: number; digits: string | null }
  | { kind: 'sms'; to: string; body: string }
  | { kind: 'enqueue'; queue: string }
  | { kind: 'fetch'; purpose: FetchPurpose; url: string; method: HttpMethod }
  | { kind: 'hangup'; by: 'twiml' | 'caller' | 'end-of-twiml' | 'application-error' | 'loop' }
  | { kind: 'reject'; reason: 'rejected' | 'busy' }
  | { kind: 'note'; text: string };

/** A transcript line with the virtual time it happened at. */
export type TranscriptEntry = TranscriptLine & { at: number };

/** A `<Dial>` leg to place; legs of one `<Dial>` share its token and ring together (or in turn). */
export interface DialLeg {
  target: DialTarget;
  /** Position in the `<Dial>` and how many legs it has. */
  index: number;
  of: number;
  /** null: the caller's number. */
  callerId: string | null;
  timeout: number;
  timeLimit: number;
  record: DialRecordMode;
  /** True: the (inbound) parent is still ringing; answer it when a leg answers. */
  answerOnBridge: boolean;
  sequential: boolean;
  hangupOnStar: boolean;
}

/** What the runner must do. `wait` is virtual time: schedule `then` at now + ms. */
export type InterpreterEffect =
  | { type: 'fetch-twiml'; token: number; url: string; method: HttpMethod; params: FormParams; purpose: FetchPurpose; ignoreResponse: boolean }
  | { type: 'wait'; ms: number; then: InterpreterEvent }
  /** Answer the (inbound) call now: the first answering verb runs. */
  | { type: 'answer' }
  | ({ type: 'dial-leg'; token: number } & DialLeg)
  | { type: 'end-dial'; token: number; reason: 'hangup-on-star' | 'caller-hangup' | 'update' }
  | { type: 'start-recording'; token: number; verb: RecordVerb }
  /** `speech`: what the caller said into it (for a transcription), or null. */
  | { type: 'stop-recording'; token: number; durationSec: number; digits: string | null; speech: string | null }
  | { type: 'send-message'; token: number; to: string; from: string; body: string; statusCallback: string | null; awaitResult: boolean }
  | { type: 'enqueue'; token: number; queue: string; waitUrl: string | null; waitUrlMethod: HttpMethod; workflowSid: string | null }
  | { type: 'leave-queue' }
  | { type: 'hang-up'; reason: 'twiml' | 'end-of-twiml' | 'application-error' | 'loop' }
  | { type: 'reject'; reason: 'rejected' | 'busy' }
  /** A debugger alert for the call's log (12200, 13xxx, 11200, …). */
  | { type: 'alert'; code: number; message: string }
  | { type: 'transcript'; entry: TranscriptEntry };

/** A step: the state after it, and what it asks for. */
export interface InterpreterStep {
  next: InterpreterState;
  effects: InterpreterEffect[];
}

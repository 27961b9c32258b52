/**
 * Names the calls runner shares with the scheduler, the outbox and the inspector: task kinds,
 * delivery kinds and the response handler of TwiML fetches.
 */
import type { CallLifecycleEvent } from '../lifecycle';
import type { InterpreterEvent } from '../interpreter-types';

/** Scheduler task: a step of a call's own timeline (dialing, ringing, the callee's answer or hang-up). */
export const STEP_TASK = 'calls.step';
/** Scheduler task: a virtual-time wait of a call's TwiML (a `<Say>` ending, a `<Gather>` timing out). */
export const WAIT_TASK = 'calls.wait';
/** Response handler of TwiML fetches (the document's answer is run). */
export const TWIML_RESPONSE = 'calls.twiml';
/** Response handler of status callbacks (a 4xx/5xx answer raises alert 15003). */
export const STATUS_RESPONSE = 'calls.status-answer';

/** Delivery kinds. */
export const KIND = {
  status: 'call-status-callback',
  twiml: 'call-twiml',
  amd: 'call-amd-callback',
  recording: 'recording-status-callback',
  transcription: 'transcription-callback',
  conference: 'conference-status-callback',
} as const;

/** What a {@link STEP_TASK} does. */
export type CallStep =
  | { step: 'initiate' | 'ring' | 'answer' | 'busy' | 'no-answer' | 'fail' | 'hangup' | 'amd' }
  /** Synchronous answering machine detection is done: the TwiML starts. */
  | { step: 'run-twiml' };

/** The ref of a {@link STEP_TASK}. */
export type StepRef = { sid: string } & CallStep;

/** The ref of a {@link WAIT_TASK}. */
export interface WaitRef {
  sid: string;
  event: InterpreterEvent;
}

/** A lifecycle event that ends an answered call. */
export function endsAnsweredCall(event: CallLifecycleEvent): boolean {
  return event.type === 'hangup' || event.type === 'complete';
}

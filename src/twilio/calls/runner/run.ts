/**
 * What the runner keeps next to each call (collection `call_runs`, keyed by the call's SID): its
 * TwiML interpreter, the virtual instant of each fetch in flight, the transcript and alerts, and
 * the call's part in a `<Dial>`, a conference or a queue. Plain data, so it survives a restart.
 */
import type { Delivery } from '../../../callbacks/dispatcher';
import type { Session } from '../../../session/session';
import { newSid, SID_PREFIX } from '../../sid';
import type { ConferenceJoin } from '../conferences/model';
import type { DialLeg, InterpreterState, TranscriptEntry } from '../interpreter-types';
import type { DialRecordMode } from '../verbs';
import type { CallOutcome } from './settings';

/**
 * A debugger alert raised on the call (12100, 12200, 13xxx, 11200, …), served as the call's
 * Notification (`GET …/Calls/{Sid}/Notifications`): its SID, and the webhook request it is about.
 */
export interface CallAlert {
  /** Absent on alerts kept before they were served as Notifications. */
  sid?: string;
  code: number;
  message: string;
  at: number;
  level: 'error' | 'warning';
  request?: { url: string; method: 'GET' | 'POST'; params: Record<string, string | string[]> } | null;
}

/** A new alert, about `delivery`'s request when there is one. */
export function newAlert(code: number, message: string, at: number, level: CallAlert['level'], delivery?: Delivery): CallAlert {
  const request = delivery ? { url: delivery.url, method: delivery.method, params: delivery.params as Record<string, string | string[]> } : null;
  return { sid: newSid(SID_PREFIX.notification), code, message, at, level, request };
}

/** Recording the whole call (`Record=true` at create). */
export interface CallRecordingSettings {
  statusCallback: string | null;
  statusCallbackMethod: 'GET' | 'POST';
  channels: 1 | 2;
  /** `RecordingStatusCallbackEvent` (absent on runs kept before it was read: `completed` and `absent`). */
  statusCallbackEvents?: string[];
  /** `RecordingTrack` (default `both`). */
  track?: 'inbound' | 'outbound' | 'both';
}

/** A call running a `<Dial>`: its legs, and the one bridged. */
export interface DialRun {
  token: number;
  /** Legs of a sequential `<Dial>` not rung yet. */
  queued: DialLeg[];
  /** Every leg placed, in order. */
  legs: string[];
  bridged: string | null;
  bridgedAt: number | null;
  record: DialRecordMode;
  /** `<Dial><Conference>`: the conference joined. */
  conferenceSid?: string;
  /** `<Dial><Queue>`: the waiting caller bridged. */
  queueMember?: string;
}

/** A call that is a `<Dial>` leg of another. */
export interface LegRun {
  parentSid: string;
  token: number;
  timeLimitSec: number;
  answerOnBridge: boolean;
}

/** A call waiting in a queue (`<Enqueue>`). */
export interface QueueRun {
  name: string;
  queueSid: string;
  since: number;
  /** The agent's call it is bridged with (`<Dial><Queue>`). */
  bridgedWith: string | null;
}

/** A call placed to add a participant to a conference by REST: it joins when answered, and runs no TwiML. */
export interface ParticipantRun {
  conferenceSid: string;
  join: ConferenceJoin;
}

/** The runner's state of one call. */
export interface CallRun {
  sid: string;
  /** null: a call that runs no TwiML (a `<Dial>` leg). */
  interp: InterpreterState | null;
  /** TwiML fetches in flight, by delivery id: the token they answer and the virtual instant they were made (their answer applies then). */
  fetchAt: Record<string, { token: number; at: number }>;
  transcript: TranscriptEntry[];
  alerts: CallAlert[];
  outcome: CallOutcome;
  timeoutSec: number;
  timeLimitSec: number;
  sendDigits: string | null;
  /** `Record=true`: how the call-level recording reports. */
  record: CallRecordingSettings | null;
  answeredAt: number | null;
  dial: DialRun | null;
  leg: LegRun | null;
  queue: QueueRun | null;
  /** Set for a participant added by REST (absent on runs kept before there were any). */
  participant?: ParticipantRun | null;
}

/** The collection name of call runs. */
export const CALL_RUNS = 'call_runs';

/** The run of call `sid`, if any. */
export function getRun(session: Session, sid: string): CallRun | undefined {
  return session.collection<CallRun>(CALL_RUNS).get(sid);
}

/** Stores a run (new or changed). */
export function saveRun(session: Session, run: CallRun): void {
  const runs = session.collection<CallRun>(CALL_RUNS);
  if (runs.has(run.sid)) runs.update(run);
  else runs.insert(run);
}

/** Changes the run of `sid` with `fn` and stores it; returns it (undefined when there is none). */
export function updateRun(session: Session, sid: string, fn: (run: CallRun) => CallRun): CallRun | undefined {
  const run = getRun(session, sid);
  if (!run) return undefined;
  const next = fn(run);
  saveRun(session, next);
  return next;
}

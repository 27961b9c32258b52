/**
 * The life of a live recording (docs/voice/api/recording, "Update a Recording resource";
 * twilio-voice-and-more.md §6): it starts `in-progress`, may be `paused` and resumed, and ends
 * `completed` (or `absent`, when under a second) when it is stopped or its call or conference ends.
 * Its length is the time it ran on the session clock; time paused with `PauseBehavior=skip` is left
 * out, time paused with `silence` (the default) counts, as Twilio fills it with silence. Each
 * change sends the recording status callback when its `RecordingStatusCallbackEvent`s name it
 * (`in-progress`, `completed`, `absent`; default `completed`). Pure: the SID and the instant come in.
 */
import type { FormParams } from '../../../signing/signature';
import { twilioError, type TwilioError } from '../../errors';
import { recordingCallbackParams } from './model';
import { isLive, type PauseBehavior, type RecordingCallbackTarget, type RecordingRecord, type RecordingSource } from './types';

/** What a new live recording needs. */
export interface NewLiveRecording {
  sid: string;
  accountSid: string;
  callSid: string;
  conferenceSid?: string | null;
  source: RecordingSource;
  channels: 1 | 2;
  track?: RecordingRecord['track'];
  callback: RecordingCallbackTarget | null;
}

/** What can happen to a live recording: the REST `Status` values, and its call or conference ending (`stop`). */
export type RecordingEvent = { type: 'pause'; behavior: PauseBehavior } | { type: 'resume' } | { type: 'stop' };

/** A status callback to send. */
export interface RecordingEffect {
  type: 'callback';
  url: string;
  method: 'GET' | 'POST';
  params: FormParams;
}

/** A transition: the recording after it, and the callbacks it sends. */
export interface RecordingTransition {
  next: RecordingRecord;
  effects: RecordingEffect[];
}

/** Recordings shorter than this are `absent` ("too short", error 16101; the threshold is UNCONFIRMED). */
export const MIN_RECORDING_MS = 1000;

/** 21220 as Twilio words it for recordings (live captures: "Requested resource is not eligible for recording"). */
export function notEligibleForRecording(): TwilioError {
  return twilioError(21220, {}, { message: 'Requested resource is not eligible for recording' });
}

function callbackFor(r: RecordingRecord): RecordingEffect[] {
  const cb = r.callback;
  if (!cb || !cb.events.includes(r.status)) return [];
  return [{ type: 'callback', url: cb.url, method: cb.method, params: recordingCallbackParams(r) }];
}

/** A recording that starts now, `in-progress`, and its `in-progress` callback. */
export function startRecording(init: NewLiveRecording, now: number): RecordingTransition {
  const next: RecordingRecord = {
    sid: init.sid,
    accountSid: init.accountSid,
    callSid: init.callSid,
    conferenceSid: init.conferenceSid ?? null,
    dateCreated: now,
    dateUpdated: now,
    startTime: now,
    durationSec: 0,
    status: 'in-progress',
    channels: init.channels,
    source: init.source,
    track: init.track ?? 'both',
    callback: init.callback,
    skippedMs: 0,
    pausedAt: null,
    pauseBehavior: null,
  };
  return { next, effects: callbackFor(next) };
}

/** Milliseconds of `skip` pause up to `now`, the current pause included. */
function skipped(r: RecordingRecord, now: number): number {
  const current = r.status === 'paused' && r.pauseBehavior === 'skip' && r.pausedAt != null ? now - r.pausedAt : 0;
  return (r.skippedMs ?? 0) + current;
}

/**
 * Applies `event` to recording `r` at `now`. Pausing a paused recording or resuming a running one
 * changes nothing; any event on a recording that is no longer live is 21220 (UNCONFIRMED wording).
 */
export function advance(r: RecordingRecord, event: RecordingEvent, now: number): RecordingTransition {
  if (!isLive(r)) throw notEligibleForRecording();
  switch (event.type) {
    case 'pause':
      if (r.status === 'paused') return { next: r, effects: [] };
      return { next: { ...r, status: 'paused', pausedAt: now, pauseBehavior: event.behavior, dateUpdated: now }, effects: [] };
    case 'resume':
      if (r.status === 'in-progress') return { next: r, effects: [] };
      return { next: { ...r, status: 'in-progress', skippedMs: skipped(r, now), pausedAt: null, pauseBehavior: null, dateUpdated: now }, effects: [] };
    case 'stop': {
      const ms = Math.max(0, now - r.startTime - skipped(r, now));
      const next: RecordingRecord = {
        ...r,
        status: ms < MIN_RECORDING_MS ? 'absent' : 'completed',
        durationSec: Math.round(ms / 1000),
        skippedMs: skipped(r, now),
        pausedAt: null,
        pauseBehavior: null,
        dateUpdated: now,
      };
      return { next, effects: callbackFor(next) };
    }
  }
}

/**
 * The Recording resource as mirra keeps it (schema `api.v2010.account.recording`,
 * twilio-voice-and-more.md §6). A recording made by `<Record>` or `<Dial record>` is complete as
 * soon as it is made; one started by REST (`POST …/Calls/{Sid}/Recordings`), by `Record=true` or by
 * a recorded conference is live (`in-progress`, `paused`) until it is stopped or its call or
 * conference ends (./lifecycle.ts). mirra records no audio, only the length.
 */
import type { HttpMethod } from '../types';

/** What made a recording (spec `recording_enum_source`). */
export type RecordingSource = 'RecordVerb' | 'DialVerb' | 'OutboundAPI' | 'Conference' | 'StartCallRecordingAPI';

/** Statuses mirra stores. `stopped` is only ever an answer (the update that stops one). */
export type RecordingStatus = 'in-progress' | 'paused' | 'completed' | 'absent';

/** `PauseBehavior`: `skip` leaves the paused time out of the recording, `silence` (default) fills it with silence. */
export type PauseBehavior = 'skip' | 'silence';

/** Where a recording's status callbacks go, and for which `RecordingStatusCallbackEvent`s. */
export interface RecordingCallbackTarget {
  url: string;
  method: HttpMethod;
  events: string[];
}

/** A recording. */
export interface RecordingRecord {
  sid: string;
  accountSid: string;
  callSid: string;
  conferenceSid: string | null;
  dateCreated: number;
  dateUpdated: number;
  startTime: number;
  /** Whole seconds once complete; 0 while live. */
  durationSec: number;
  status: RecordingStatus;
  channels: 1 | 2;
  source: RecordingSource;
  track: 'inbound' | 'outbound' | 'both';
  /** Live recordings: where their callbacks go (absent on recordings made complete). */
  callback?: RecordingCallbackTarget | null;
  /** Live recordings: milliseconds paused with `skip`, left out of the length. */
  skippedMs?: number;
  /** Live recordings: when the current pause began, and how it behaves. */
  pausedAt?: number | null;
  pauseBehavior?: PauseBehavior | null;
}

/** True while a recording can still be paused, resumed or stopped. */
export function isLive(r: RecordingRecord): boolean {
  return r.status === 'in-progress' || r.status === 'paused';
}

/** The collection name of recordings. */
export const RECORDINGS = 'recordings';

/**
 * The URL webhooks give for a recording's media (no extension: WAV; `.mp3` for MP3), on Twilio's
 * API host as in real callbacks. mirra serves no media (README LIMITATIONS).
 */
export function recordingUrl(accountSid: string, sid: string): string {
  return `https://api.twilio.com/2010-04-01/Accounts/${accountSid}/Recordings/${sid}`;
}

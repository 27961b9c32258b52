/**
 * The form of REST recording control (spec `CreateCallRecording`, `UpdateCallRecording`,
 * `UpdateConferenceRecording`; docs/voice/api/recording): what a start asks for and what an update
 * changes, validated into values or Twilio's error.
 */
import { twilioError } from '../../errors';
import { many, one, type Params } from '../../form';
import type { HttpMethod } from '../types';
import type { RecordingEvent } from './lifecycle';
import type { RecordingCallbackTarget, RecordingRecord } from './types';

/** `RecordingStatusCallbackEvent` values of a recording (default `completed`). */
const EVENTS = ['in-progress', 'completed', 'absent'];

/** What starting a recording asks for. */
export interface RecordingStart {
  callback: RecordingCallbackTarget | null;
  channels: 1 | 2;
  track: RecordingRecord['track'];
}

function choice<T extends string>(params: Params, key: string, values: readonly T[], fallback: T): T {
  const raw = one(params, key);
  if (raw === undefined || raw === '') return fallback;
  if (!(values as readonly string[]).includes(raw)) throw twilioError(21400, { param: key, value: raw });
  return raw as T;
}

/** A callback URL (`http(s)` only: 21205) or null when not given. */
export function callbackUrl(params: Params, key: string): string | null {
  const url = one(params, key) || null;
  if (url === null) return null;
  let ok = false;
  try {
    ok = /^https?:$/.test(new URL(url).protocol);
  } catch {
    ok = false;
  }
  if (!ok) throw twilioError(21205, { param: key, url });
  return url;
}

/** `GET`/`POST` (any case), POST when absent; anything else is 21209. */
export function methodParam(params: Params, key: string): HttpMethod {
  const raw = one(params, key);
  if (raw === undefined || raw === '') return 'POST';
  const m = raw.toUpperCase();
  if (m !== 'GET' && m !== 'POST') throw twilioError(21209, { value: raw });
  return m;
}

/**
 * The `…RecordingStatusCallback*` trio under `prefix` (`Recording`, `ConferenceRecording`): events
 * as repeated params or one space-separated value; unknown words are dropped (as Calls drop bad
 * `StatusCallbackEvent`s, UNCONFIRMED here).
 */
export function recordingCallback(params: Params, prefix: string): RecordingCallbackTarget | null {
  const url = callbackUrl(params, `${prefix}StatusCallback`);
  const method = methodParam(params, `${prefix}StatusCallbackMethod`);
  const words = many(params, `${prefix}StatusCallbackEvent`).flatMap((v) => v.split(/\s+/)).filter(Boolean);
  const events = words.length ? [...new Set(words.filter((w) => EVENTS.includes(w)))] : ['completed'];
  return url ? { url, method, events } : null;
}

/** `POST …/Calls/{Sid}/Recordings.json`: callback, `RecordingChannels` (mono|dual), `RecordingTrack`, `Trim`. */
export function readRecordingStart(params: Params): RecordingStart {
  choice(params, 'Trim', ['trim-silence', 'do-not-trim'] as const, 'do-not-trim'); // validated; mirra has no silence to trim
  return {
    callback: recordingCallback(params, 'Recording'),
    channels: choice(params, 'RecordingChannels', ['mono', 'dual'] as const, 'mono') === 'dual' ? 2 : 1,
    track: choice(params, 'RecordingTrack', ['inbound', 'outbound', 'both'] as const, 'both'),
  };
}

/**
 * An update's `Status` (`paused`, `in-progress` to resume, `stopped`) and `PauseBehavior`
 * (`skip`|`silence`, default `silence`). `Status` is required (20001); the other values of its
 * enum (`processing`, `completed`, `absent`) are not changes a caller can ask for (21400).
 */
export function readRecordingUpdate(params: Params): RecordingEvent {
  const status = one(params, 'Status');
  if (status === undefined || status === '') throw twilioError(20001, { param: 'Status' });
  const behavior = choice(params, 'PauseBehavior', ['skip', 'silence'] as const, 'silence');
  if (status === 'paused') return { type: 'pause', behavior };
  if (status === 'in-progress') return { type: 'resume' };
  if (status === 'stopped') return { type: 'stop' };
  throw twilioError(21400, { param: 'Status', value: status });
}

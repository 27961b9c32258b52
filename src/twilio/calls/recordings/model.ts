/**
 * Making recordings and the form fields of their status callback (twilio-voice-and-more.md §6).
 * A recording shorter than a second is `absent` (Twilio: "too short or silent", error 16101; the
 * one-second threshold is UNCONFIRMED).
 */
import type { Session } from '../../../session/session';
import type { FormParams } from '../../../signing/signature';
import { newSid, SID_PREFIX } from '../../sid';
import { rfc2822 } from '../../wire';
import { RECORDINGS, recordingUrl, type RecordingRecord, type RecordingSource } from './types';

/** What a new recording needs. */
export interface NewRecording {
  accountSid: string;
  callSid: string;
  conferenceSid?: string | null;
  startTime: number;
  durationSec: number;
  source: RecordingSource;
  channels?: 1 | 2;
}

/**
 * `error_code` of a recording: 16101 for an `absent` one ("Voice Recording: Unavailable because
 * duration is too short"; support article 360014251313: absent recordings carry 16101 or 16102).
 */
export function recordingErrorCode(r: RecordingRecord): number | null {
  return r.status === 'absent' ? 16101 : null;
}

/** Stores a finished recording made at `now`. */
export function saveRecording(session: Session, init: NewRecording, now: number): RecordingRecord {
  const record: RecordingRecord = {
    sid: newSid(SID_PREFIX.recording),
    accountSid: init.accountSid,
    callSid: init.callSid,
    conferenceSid: init.conferenceSid ?? null,
    dateCreated: init.startTime,
    dateUpdated: now,
    startTime: init.startTime,
    durationSec: Math.max(0, Math.round(init.durationSec)),
    status: init.durationSec < 1 ? 'absent' : 'completed',
    channels: init.channels ?? 1,
    source: init.source,
    track: 'both',
  };
  return session.collection<RecordingRecord>(RECORDINGS).insert(record);
}

/** Price of a recording: $0.0025 a started minute (mirra's flat rate; README LIMITATIONS). */
export function recordingPrice(r: RecordingRecord): string | null {
  if (r.status !== 'completed') return null;
  return (-(0.0025 * Math.max(1, Math.ceil(r.durationSec / 60)))).toFixed(5);
}

/**
 * The recording status callback's fields (sorted, as recent voice captures are). A live one
 * reports `RecordingDuration` 0 (UNCONFIRMED: the length is not known before it ends).
 */
export function recordingCallbackParams(r: RecordingRecord): FormParams {
  const p: FormParams = {
    AccountSid: r.accountSid,
    CallSid: r.callSid,
    RecordingChannels: String(r.channels),
    RecordingDuration: String(r.durationSec),
    RecordingSid: r.sid,
    RecordingSource: r.source,
    RecordingStartTime: rfc2822(r.startTime) ?? '',
    RecordingStatus: r.status,
    RecordingTrack: r.track,
    RecordingUrl: recordingUrl(r.accountSid, r.sid),
  };
  if (r.conferenceSid) p.ConferenceSid = r.conferenceSid;
  const error = recordingErrorCode(r);
  if (error !== null) p.ErrorCode = String(error);
  const out: FormParams = {};
  for (const k of Object.keys(p).sort()) out[k] = p[k];
  return out;
}

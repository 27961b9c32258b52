/**
 * Transcriptions of `<Record transcribe="true">` recordings (docs/voice/twiml/record#transcribe;
 * schemas `api.v2010.account.transcription` and `…recording.recording_transcription`, the same
 * keys): stored when the recording is, so the `TranscriptionSid` its callback names can be fetched
 * and listed (`/Transcriptions`, `/Recordings/{Sid}/Transcriptions`). The text is what a test said
 * into the `<Record>` (`call.speech`); without it the transcription `failed`.
 *
 * LIMITATIONS: `price` is null (Twilio charges per minute; the spec types it a number, its example
 * a string).
 */
import type { Session } from '../../../session/session';
import { newSid, SID_PREFIX } from '../../sid';
import { rfc2822 } from '../../wire';
import type { RecordingRecord } from './types';

/** A transcription. */
export interface TranscriptionRecord {
  sid: string;
  accountSid: string;
  recordingSid: string;
  dateCreated: number;
  dateUpdated: number;
  durationSec: number;
  status: 'completed' | 'failed';
  text: string | null;
}

/** The collection name of transcriptions. */
export const TRANSCRIPTIONS = 'transcriptions';

/** Stores the transcription of `recording` (of `text`, or failed without it) made at `at`. */
export function saveTranscription(session: Session, recording: RecordingRecord, text: string | null, at: number): TranscriptionRecord {
  const record: TranscriptionRecord = {
    sid: newSid(SID_PREFIX.transcription),
    accountSid: recording.accountSid,
    recordingSid: recording.sid,
    dateCreated: at,
    dateUpdated: at,
    durationSec: recording.durationSec,
    status: text ? 'completed' : 'failed',
    text,
  };
  return session.collection<TranscriptionRecord>(TRANSCRIPTIONS).insert(record);
}

/** A transcription as JSON, in the spec's key order (the same under a recording and at the account). */
export function renderTranscription(t: TranscriptionRecord): Record<string, unknown> {
  return {
    account_sid: t.accountSid,
    api_version: '2010-04-01',
    date_created: rfc2822(t.dateCreated),
    date_updated: rfc2822(t.dateUpdated),
    duration: String(t.durationSec),
    price: null,
    price_unit: 'USD',
    recording_sid: t.recordingSid,
    sid: t.sid,
    status: t.status,
    transcription_text: t.text,
    type: 'fast',
    uri: `/2010-04-01/Accounts/${t.accountSid}/Transcriptions/${t.sid}.json`,
  };
}

/**
 * The Recording resource as mirra keeps it (schema `api.v2010.account.recording`,
 * twilio-voice-and-more.md §6). A recording is made by `<Record>`, `<Dial record>` or `Record=true`
 * and is complete as soon as it is made: mirra records no audio, only the length.
 */

/** What made a recording (spec `recording_enum_source`). */
export type RecordingSource = 'RecordVerb' | 'DialVerb' | 'OutboundAPI' | 'Conference' | 'StartCallRecordingAPI';

/** A recording. */
export interface RecordingRecord {
  sid: string;
  accountSid: string;
  callSid: string;
  conferenceSid: string | null;
  dateCreated: number;
  dateUpdated: number;
  startTime: number;
  durationSec: number;
  status: 'completed' | 'absent';
  channels: 1 | 2;
  source: RecordingSource;
  track: 'inbound' | 'outbound' | 'both';
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

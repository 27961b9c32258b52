/**
 * Recordings as the 2010 API renders them: the account-level `api.v2010.account.recording`, the
 * call-level `…call.call_recording` (which adds `track`, and has no `media_url` nor
 * `subresource_uris`) and the conference-level `…conference.conference_recording`, in the spec's
 * key order. A live recording has no length, price nor price unit yet (the spec's examples of
 * `in-progress` and `paused` answers: `duration`, `price`, `price_unit` null).
 */
import { rfc2822 } from '../../wire';
import { recordingErrorCode, recordingPrice } from './model';
import { isLive, recordingUrl, type RecordingRecord } from './types';

/** How a recording is shown: as stored, or with the status an update answers (`stopped`). */
type Shown = RecordingRecord | (Omit<RecordingRecord, 'status'> & { status: 'stopped' });

function live(r: Shown): boolean {
  return r.status === 'stopped' || isLive(r as RecordingRecord);
}

function common(r: Shown): Record<string, unknown> {
  return {
    account_sid: r.accountSid,
    api_version: '2010-04-01',
    call_sid: r.callSid,
    conference_sid: r.conferenceSid,
    date_created: rfc2822(r.dateCreated),
    date_updated: rfc2822(r.dateUpdated),
    start_time: rfc2822(r.startTime),
    duration: live(r) ? null : String(r.durationSec),
    sid: r.sid,
    price: live(r) ? null : recordingPrice(r as RecordingRecord),
  };
}

const priceUnit = (r: Shown) => (live(r) ? null : 'USD');
const errorCode = (r: Shown) => (r.status === 'stopped' ? null : recordingErrorCode(r as RecordingRecord));

/** `GET /Recordings/{Sid}.json`. */
export function renderRecording(r: RecordingRecord): Record<string, unknown> {
  const base = `/2010-04-01/Accounts/${r.accountSid}/Recordings/${r.sid}`;
  return {
    ...common(r),
    price_unit: priceUnit(r),
    status: r.status,
    channels: r.channels,
    source: r.source,
    error_code: errorCode(r),
    uri: `${base}.json`,
    encryption_details: null,
    subresource_uris: { add_on_results: `${base}/AddOnResults.json`, transcriptions: `${base}/Transcriptions.json` },
    media_url: recordingUrl(r.accountSid, r.sid),
  };
}

/** `GET /Calls/{CallSid}/Recordings/{Sid}.json` (and the answers of its create and update). */
export function renderCallRecording(r: Shown): Record<string, unknown> {
  return {
    ...common(r),
    uri: `/2010-04-01/Accounts/${r.accountSid}/Calls/${r.callSid}/Recordings/${r.sid}.json`,
    encryption_details: null,
    price_unit: priceUnit(r),
    status: r.status,
    channels: r.channels,
    source: r.source,
    error_code: errorCode(r),
    track: r.track,
  };
}

/** `GET /Conferences/{ConferenceSid}/Recordings/{Sid}.json` (and the answer of its update). */
export function renderConferenceRecording(r: Shown): Record<string, unknown> {
  return {
    ...common(r),
    price_unit: priceUnit(r),
    status: r.status,
    channels: r.channels,
    source: r.source,
    error_code: errorCode(r),
    encryption_details: null,
    uri: `/2010-04-01/Accounts/${r.accountSid}/Conferences/${r.conferenceSid}/Recordings/${r.sid}.json`,
  };
}

/**
 * Recordings as the 2010 API renders them: the account-level `api.v2010.account.recording` and
 * the call-level `…call.call_recording` (which adds `track`, and has no `media_url` nor
 * `subresource_uris`), in the spec's key order.
 */
import { rfc2822 } from '../../wire';
import { recordingPrice } from './model';
import { recordingUrl, type RecordingRecord } from './types';

function common(r: RecordingRecord): Record<string, unknown> {
  return {
    account_sid: r.accountSid,
    api_version: '2010-04-01',
    call_sid: r.callSid,
    conference_sid: r.conferenceSid,
    date_created: rfc2822(r.dateCreated),
    date_updated: rfc2822(r.dateUpdated),
    start_time: rfc2822(r.startTime),
    duration: String(r.durationSec),
    sid: r.sid,
    price: recordingPrice(r),
  };
}

/** `GET /Recordings/{Sid}.json`. */
export function renderRecording(r: RecordingRecord): Record<string, unknown> {
  const base = `/2010-04-01/Accounts/${r.accountSid}/Recordings/${r.sid}`;
  return {
    ...common(r),
    price_unit: 'USD',
    status: r.status,
    channels: r.channels,
    source: r.source,
    error_code: null,
    uri: `${base}.json`,
    encryption_details: null,
    subresource_uris: { add_on_results: `${base}/AddOnResults.json`, transcriptions: `${base}/Transcriptions.json` },
    media_url: recordingUrl(r.accountSid, r.sid),
  };
}

/** `GET /Calls/{CallSid}/Recordings/{Sid}.json`. */
export function renderCallRecording(r: RecordingRecord): Record<string, unknown> {
  return {
    ...common(r),
    uri: `/2010-04-01/Accounts/${r.accountSid}/Calls/${r.callSid}/Recordings/${r.sid}.json`,
    encryption_details: null,
    price_unit: 'USD',
    status: r.status,
    channels: r.channels,
    source: r.source,
    error_code: null,
    track: r.track,
  };
}

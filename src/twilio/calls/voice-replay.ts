/**
 * What a served recording does to Voice's other records (the replay hooks beside ./replay.ts's
 * calls): a served recording answer (a call's, a conference's or the account's: created, fetched,
 * listed, paused, stopped) becomes the emulator's RecordingRecord, and a served conference or
 * participant answer its ConferenceRecord or ParticipantRecord; a served delete or 404 removes it.
 * So a later unrecorded fetch or list by the hand-built routes agrees with what was served. A
 * replayed recording status callback moves the recording it names to the status it reports.
 */
import type { ServedAnswer } from '../../core/resource-module';
import type { Session } from '../../session/session';
import { dateOf, isObject, isSuccess, listItems } from '../representation';
import { CONFERENCES, PARTICIPANTS, participantKey, type ConferenceRecord, type ParticipantRecord, type ParticipantStatus } from './conferences/types';
import { RECORDINGS, type RecordingRecord, type RecordingSource, type RecordingStatus } from './recordings/types';

const ACCOUNT = '/2010-04-01/Accounts/AC[0-9a-f]{32}';
const RECORDING_PATH = new RegExp(`^${ACCOUNT}(?:/(?:Calls/CA|Conferences/CF)[0-9a-f]{32})?/Recordings(?:/(RE[0-9a-f]{32}))?\\.json$`);
const CONFERENCE_PATH = new RegExp(`^${ACCOUNT}/Conferences(?:/(CF[0-9a-f]{32}))?\\.json$`);
/** A participant is added under a conference SID or friendly name, and addressed by call SID or label. */
const PARTICIPANT_PATH = new RegExp(`^${ACCOUNT}/Conferences/([^/]+)/Participants(?:/([^/]+))?\\.json$`);
const SID = (prefix: string) => new RegExp(`^${prefix}[0-9a-f]{32}$`);

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function upsert<T extends { sid: string }>(session: Session, collection: string, next: T): void {
  const table = session.collection<T>(collection);
  if (table.has(next.sid)) table.update(next);
  else table.insert(next);
}

function recordingFrom(json: Record<string, unknown>, prev: RecordingRecord | undefined, served: ServedAnswer): RecordingRecord {
  const raw = str(json.status) ?? prev?.status ?? 'completed';
  // A served `stopped` answer is a recording that then completes (`processing`, then `completed`).
  const status = (raw === 'stopped' || raw === 'processing' ? 'completed' : raw) as RecordingStatus;
  const created = dateOf(json.date_created, prev?.dateCreated ?? served.now);
  return {
    ...prev,
    sid: String(json.sid),
    accountSid: str(json.account_sid) ?? prev?.accountSid ?? '',
    callSid: str(json.call_sid) ?? prev?.callSid ?? '',
    conferenceSid: str(json.conference_sid) ?? prev?.conferenceSid ?? null,
    dateCreated: created,
    dateUpdated: dateOf(json.date_updated, created),
    startTime: dateOf(json.start_time, prev?.startTime ?? created),
    durationSec: json.duration === null || json.duration === undefined ? (prev?.durationSec ?? 0) : Number(json.duration) || 0,
    status,
    channels: json.channels === 2 ? 2 : 1,
    source: (str(json.source) ?? prev?.source ?? 'RecordVerb') as RecordingSource,
    track: (str(json.track) ?? prev?.track ?? 'both') as RecordingRecord['track'],
  };
}

function conferenceFrom(json: Record<string, unknown>, prev: ConferenceRecord | undefined, served: ServedAnswer): ConferenceRecord {
  const created = dateOf(json.date_created, prev?.dateCreated ?? served.now);
  return {
    sid: String(json.sid),
    accountSid: str(json.account_sid) ?? prev?.accountSid ?? '',
    friendlyName: str(json.friendly_name) ?? prev?.friendlyName ?? '',
    status: (str(json.status) ?? prev?.status ?? 'init') as ConferenceRecord['status'],
    dateCreated: created,
    dateUpdated: dateOf(json.date_updated, created),
    reasonConferenceEnded: (str(json.reason_conference_ended) ?? prev?.reasonConferenceEnded ?? null) as ConferenceRecord['reasonConferenceEnded'],
    callSidEndingConference: str(json.call_sid_ending_conference) ?? prev?.callSidEndingConference ?? null,
    // The recording's callbacks are the conference's: the emulator sends none of its own.
    statusCallback: null,
    statusCallbackMethod: 'POST',
    statusCallbackEvents: [],
    sequence: prev?.sequence ?? 0,
    recording: prev?.recording ?? null,
  };
}

function participantFrom(json: Record<string, unknown>, prev: ParticipantRecord | undefined, served: ServedAnswer): ParticipantRecord {
  const conferenceSid = String(json.conference_sid);
  const callSid = String(json.call_sid);
  const created = dateOf(json.date_created, prev?.dateCreated ?? served.now);
  const bool = (v: unknown, fallback: boolean) => (typeof v === 'boolean' ? v : fallback);
  return {
    sid: participantKey(conferenceSid, callSid),
    accountSid: str(json.account_sid) ?? prev?.accountSid ?? '',
    conferenceSid,
    callSid,
    label: str(json.label),
    muted: bool(json.muted, prev?.muted ?? false),
    hold: bool(json.hold, prev?.hold ?? false),
    coaching: bool(json.coaching, prev?.coaching ?? false),
    callSidToCoach: str(json.call_sid_to_coach),
    startConferenceOnEnter: bool(json.start_conference_on_enter, prev?.startConferenceOnEnter ?? true),
    endConferenceOnExit: bool(json.end_conference_on_exit, prev?.endConferenceOnExit ?? false),
    status: (str(json.status) ?? prev?.status ?? 'connected') as ParticipantStatus,
    dateCreated: created,
    dateUpdated: dateOf(json.date_updated, created),
  };
}

/** Applies a served answer of one of the routes `path` matches; false when it is none of them. */
function applyTo<T extends { sid: string }>(
  session: Session, served: ServedAnswer, path: RegExp, collection: string, listKey: string,
  from: (json: Record<string, unknown>, prev: T | undefined) => T, keyOf: (m: RegExpExecArray) => string | undefined,
): boolean {
  const m = path.exec(served.path);
  if (!m) return false;
  const key = keyOf(m);
  const table = session.collection<T>(collection);
  if (key && (served.status === 404 || (served.method === 'DELETE' && isSuccess(served.status)))) {
    table.delete(key);
    return true;
  }
  if (!isSuccess(served.status)) return true;
  const items = !key && served.method === 'GET' ? listItems(served.body, listKey) : isObject(served.body) ? [served.body] : [];
  for (const json of items) {
    if (typeof json.sid !== 'string' && typeof json.call_sid !== 'string') continue;
    const next = from(json, undefined);
    upsert(session, collection, from(json, table.get(next.sid)));
  }
  return true;
}

/** Applies a served Recordings, Conferences or Participants answer; false when the path is none of theirs. */
export function applyVoiceServed(session: Session, served: ServedAnswer): boolean {
  return (
    applyTo<RecordingRecord>(session, served, RECORDING_PATH, RECORDINGS, 'recordings', (j, p) => recordingFrom(j, p, served), (m) => m[1]) ||
    applyTo<ParticipantRecord>(session, served, PARTICIPANT_PATH, PARTICIPANTS, 'participants', (j, p) => participantFrom(j, p, served), (m) => (m[2] && SID('CF').test(m[1]!) && SID('CA').test(m[2]) ? participantKey(m[1]!, m[2]) : undefined)) ||
    applyTo<ConferenceRecord>(session, served, CONFERENCE_PATH, CONFERENCES, 'conferences', (j, p) => conferenceFrom(j, p, served), (m) => m[1])
  );
}

/** A replayed recording status callback: the recording it names takes the status (and length) it reports. */
export function applyRecordingCallback(session: Session, recordingSid: string, status: string, duration: string | undefined, at: number): void {
  const table = session.collection<RecordingRecord>(RECORDINGS);
  const r = table.get(recordingSid);
  if (!r || !['in-progress', 'completed', 'absent'].includes(status)) return;
  table.update({ ...r, status: status as RecordingStatus, durationSec: duration !== undefined ? Number(duration) || 0 : r.durationSec, dateUpdated: at });
}

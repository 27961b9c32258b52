/**
 * The forms of the Participants API (spec `CreateParticipant`, `UpdateParticipant`;
 * docs/voice/api/conference-participant-resource): who is dialled and how they take part, what an
 * update changes. `To`/`From` are checked as a Calls create checks them (21201, 21213, 21211,
 * 21212, 21210, the test-credential magic numbers); a label must be at most 128 characters, no
 * call SID and without `/` (16024).
 */
import { twilioError } from '../../errors';
import { bool, many, one, type Params } from '../../form';
import { callbackUrl, methodParam, recordingCallback } from '../recordings/params';
import type { CallRecordingSettings } from '../runner/run';
import type { CallEvent, HttpMethod } from '../types';
import { checkCallerId, eventsOf, intOf, readParties, type CreateCallContext } from '../validate';
import type { ConferenceJoin } from './model';
import type { ParticipantChanges } from './participant-update';

/** `ConferenceStatusCallbackEvent` words (§7). */
const CONFERENCE_EVENTS = ['start', 'end', 'join', 'leave', 'mute', 'hold', 'modify', 'speaker', 'announcement'];

/** A create request, validated. */
export interface ParticipantCreate {
  to: string;
  from: string;
  statusCallback: string | null;
  statusCallbackMethod: HttpMethod;
  statusCallbackEvents: CallEvent[];
  timeoutSec: number;
  timeLimitSec: number;
  /** `Record=true`: the participant's call is recorded. */
  record: CallRecordingSettings | null;
  /** How it takes part, and the conference's settings if it is the first (`name` is filled by the route). */
  join: Omit<ConferenceJoin, 'name' | 'recording'> & { record: boolean };
}

function boolParam(params: Params, key: string, fallback: boolean): boolean {
  const raw = one(params, key);
  if (raw === undefined || raw === '') return fallback;
  if (!/^(true|false)$/i.test(raw)) throw twilioError(21400, { param: key, value: raw });
  return raw.toLowerCase() === 'true';
}

/** Space-separated or repeated words, those of `allowed` kept. */
function words(params: Params, key: string, allowed: string[]): string[] {
  return [...new Set(many(params, key).flatMap((v) => v.split(/\s+/)).filter((w) => allowed.includes(w)))];
}

/** A label: at most 128 characters, not a call SID, no `/` (16024). */
export function checkLabel(label: string | undefined): string | null {
  if (label === undefined || label === '') return null;
  if (label.length > 128 || /^CA[0-9a-f]{32}$/i.test(label) || label.includes('/')) throw twilioError(16024);
  return label;
}

/** Validates a create form. */
export function readParticipantCreate(params: Params, ctx: Pick<CreateCallContext, 'ownsCallerId'>): ParticipantCreate {
  const parties = readParties(params);
  checkCallerId(parties, ctx);
  const coaching = boolParam(params, 'Coaching', false);
  const callSidToCoach = one(params, 'CallSidToCoach') || null;
  if (coaching && !callSidToCoach) throw twilioError(21400, { param: 'CallSidToCoach', value: '' });
  const conferenceRecord = one(params, 'ConferenceRecord') ?? 'false';
  if (!['true', 'false', 'record-from-start', 'do-not-record'].includes(conferenceRecord)) throw twilioError(21400, { param: 'ConferenceRecord', value: conferenceRecord });
  const recording = recordingCallback(params, 'Recording');
  callbackUrl(params, 'WaitUrl'); // checked, not run (README LIMITATIONS)
  const beep = one(params, 'Beep') ?? 'true'; // checked; mirra plays no beep
  if (!['true', 'false', 'onEnter', 'onExit'].includes(beep)) throw twilioError(21400, { param: 'Beep', value: beep });
  const statusCallback = callbackUrl(params, 'StatusCallback');
  return {
    to: parties.to,
    from: parties.from,
    statusCallback,
    statusCallbackMethod: methodParam(params, 'StatusCallbackMethod'),
    statusCallbackEvents: eventsOf(params) ?? [],
    timeoutSec: Math.min(600, Math.max(5, intOf(params, 'Timeout', 60, 21208))),
    timeLimitSec: intOf(params, 'TimeLimit', 14_400, 21400),
    record: bool(params, 'Record', false)
      ? { statusCallback: recording?.url ?? null, statusCallbackMethod: recording?.method ?? 'POST', channels: one(params, 'RecordingChannels') === 'dual' ? 2 : 1 }
      : null,
    join: {
      muted: boolParam(params, 'Muted', false),
      startConferenceOnEnter: boolParam(params, 'StartConferenceOnEnter', true),
      endConferenceOnExit: boolParam(params, 'EndConferenceOnExit', false),
      label: checkLabel(one(params, 'Label')),
      coaching,
      callSidToCoach,
      statusCallback: callbackUrl(params, 'ConferenceStatusCallback'),
      statusCallbackMethod: methodParam(params, 'ConferenceStatusCallbackMethod'),
      statusCallbackEvents: words(params, 'ConferenceStatusCallbackEvent', CONFERENCE_EVENTS),
      record: conferenceRecord === 'true' || conferenceRecord === 'record-from-start',
    },
  };
}

/** The conference recording's callback settings a create names (`ConferenceRecordingStatusCallback*`). */
export function conferenceRecordingCallback(params: Params): ReturnType<typeof recordingCallback> {
  return recordingCallback(params, 'ConferenceRecording');
}

/**
 * Validates an update form: what it changes (`HoldUrl`, `AnnounceUrl`, `WaitUrl` are checked, not
 * run). Flags read as the spec says of `Muted`: anything but `true` is false.
 */
export function readParticipantUpdate(params: Params): ParticipantChanges {
  for (const key of ['HoldUrl', 'AnnounceUrl', 'WaitUrl']) callbackUrl(params, key);
  for (const key of ['HoldMethod', 'AnnounceMethod', 'WaitMethod']) methodParam(params, key);
  const flag = (key: string) => (one(params, key) === undefined ? undefined : bool(params, key, false));
  const callSidToCoach = one(params, 'CallSidToCoach');
  return {
    muted: flag('Muted'),
    hold: flag('Hold'),
    endConferenceOnExit: flag('EndConferenceOnExit'),
    coaching: flag('Coaching'),
    ...(callSidToCoach !== undefined ? { callSidToCoach: callSidToCoach || null } : {}),
  };
}

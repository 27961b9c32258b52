/**
 * The `calls` section of a seed: how long calls ring, what each callee does, who may be used as a
 * caller ID, and the TwiML apps an `ApplicationSid` may name. Twilio documents no delays between
 * call states (twilio-voice-and-more.md §2, UNCONFIRMED: ringing after about 1–2 s, an answer a
 * few seconds later), so every delay here is a default a seed can change.
 *
 * ```json
 * "calls": {
 *   "timeline": { "initiatedAfterMs": 0, "ringingAfterMs": 1000, "answeredAfterMs": 4000 },
 *   "outcomes": [{ "to": "+1555000*", "status": "busy" }, { "to": "+15550001111", "answeredBy": "machine_start" }],
 *   "dial": { "talkMs": 10000 },
 *   "amd": { "detectionMs": 2500 },
 *   "verifiedCallerIds": ["+15558675309"],
 *   "applications": [{ "sid": "AP…", "voiceUrl": "https://…" }],
 *   "speech": { "sayCharsPerSecond": 15, "playMs": 3000 }
 * }
 * ```
 */
import { MirraError } from '../../../errors';
import type { Session } from '../../../session/session';
import type { InterpreterOptions } from '../interpreter-types';
import type { AnsweredBy, HttpMethod } from '../types';
import type { VoiceApplication } from '../validate';

/** What a callee does when called: answer (default), or one of the unanswered ends. */
export type CallOutcomeStatus = 'answered' | 'busy' | 'no-answer' | 'failed';

/** A rule giving the calls to some numbers their outcome (`*` in `to` matches anything). */
export interface CallOutcomeRule {
  to: string;
  status?: CallOutcomeStatus;
  /** Milliseconds of ringing before the outcome (default: `timeline.answeredAfterMs`; 1000 for busy). */
  afterMs?: number;
  /** What answering machine detection reports (when the call asked for it). */
  answeredBy?: AnsweredBy;
  /** The callee hangs up this long after answering (default: never for API calls, `dial.talkMs` for `<Dial>` legs). */
  hangupAfterMs?: number;
  /** `SipResponseCode` of a failed call. */
  sipResponseCode?: number;
}

/** The resolved outcome of one call. */
export interface CallOutcome {
  status: CallOutcomeStatus;
  afterMs: number;
  answeredBy: AnsweredBy;
  hangupAfterMs: number | null;
  sipResponseCode: number | null;
}

/** The settings of a session's calls. */
export interface CallSettings {
  initiatedAfterMs: number;
  ringingAfterMs: number;
  answeredAfterMs: number;
  /** How long a dialled party talks before hanging up, unless a rule says otherwise. */
  talkMs: number;
  /** How long answering machine detection takes. */
  detectionMs: number;
  outcomes: CallOutcomeRule[];
  verifiedCallerIds: string[];
  applications: (VoiceApplication & { sid: string })[];
  interpreter: Partial<InterpreterOptions>;
}

const DEFAULTS = { initiatedAfterMs: 0, ringingAfterMs: 1000, answeredAfterMs: 4000, talkMs: 10_000, detectionMs: 2500 };
const STATUSES: readonly string[] = ['answered', 'busy', 'no-answer', 'failed'];

function invalid(detail: string): MirraError {
  return new MirraError('MIRRA_ERR_INVALID_SEED', `calls.${detail}`);
}

function ms(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw invalid(`${name} is a number of milliseconds >= 0`);
  return value;
}

function method(value: unknown): HttpMethod {
  return typeof value === 'string' && value.toUpperCase() === 'GET' ? 'GET' : 'POST';
}

function application(raw: unknown): VoiceApplication & { sid: string } {
  const a = (raw ?? {}) as Record<string, unknown>;
  if (typeof a.sid !== 'string' || !/^AP[0-9a-f]{32}$/.test(a.sid)) throw invalid('applications[].sid is AP + 32 hex digits');
  const str = (v: unknown) => (typeof v === 'string' && v ? v : null);
  return {
    sid: a.sid,
    voiceUrl: str(a.voiceUrl),
    voiceMethod: method(a.voiceMethod),
    voiceFallbackUrl: str(a.voiceFallbackUrl),
    voiceFallbackMethod: method(a.voiceFallbackMethod),
    statusCallback: str(a.statusCallback),
    statusCallbackMethod: method(a.statusCallbackMethod),
  };
}

/** The session's call settings (its seed's `calls` section with the defaults filled in). */
export function callSettings(session: Session): CallSettings {
  const raw = (session.seed.calls ?? {}) as Record<string, any>;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid('is an object');
  const timeline = raw.timeline ?? {};
  const outcomes = raw.outcomes ?? [];
  if (!Array.isArray(outcomes) || outcomes.some((r: any) => typeof r?.to !== 'string' || (r.status !== undefined && !STATUSES.includes(r.status)))) {
    throw invalid(`outcomes is a list of {to, status?: ${STATUSES.join('|')}, afterMs?, answeredBy?, hangupAfterMs?}`);
  }
  const ids = raw.verifiedCallerIds ?? [];
  if (!Array.isArray(ids) || ids.some((v: unknown) => typeof v !== 'string')) throw invalid('verifiedCallerIds is a list of numbers');
  return {
    initiatedAfterMs: ms(timeline.initiatedAfterMs, 'timeline.initiatedAfterMs', DEFAULTS.initiatedAfterMs),
    ringingAfterMs: ms(timeline.ringingAfterMs, 'timeline.ringingAfterMs', DEFAULTS.ringingAfterMs),
    answeredAfterMs: ms(timeline.answeredAfterMs, 'timeline.answeredAfterMs', DEFAULTS.answeredAfterMs),
    talkMs: ms(raw.dial?.talkMs, 'dial.talkMs', DEFAULTS.talkMs),
    detectionMs: ms(raw.amd?.detectionMs, 'amd.detectionMs', DEFAULTS.detectionMs),
    outcomes: outcomes as CallOutcomeRule[],
    verifiedCallerIds: ids as string[],
    applications: (Array.isArray(raw.applications) ? raw.applications : []).map(application),
    interpreter: {
      ...(raw.speech?.sayCharsPerSecond !== undefined ? { sayCharsPerSecond: Number(raw.speech.sayCharsPerSecond) || 15 } : {}),
      ...(raw.speech?.playMs !== undefined ? { playMs: ms(raw.speech.playMs, 'speech.playMs', 3000) } : {}),
      ...(raw.messageVerb === 'sms' ? { messageVerb: 'sms' as const } : {}),
    },
  };
}

function matches(pattern: string, value: string): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*') + '$');
  return re.test(value);
}

/** The outcome of a call to `to` (a `<Dial>` leg talks `talkMs` unless a rule says otherwise). */
export function outcomeFor(settings: CallSettings, to: string, leg: boolean): CallOutcome {
  const rule = settings.outcomes.find((r) => matches(r.to, to));
  const status = rule?.status ?? 'answered';
  return {
    status,
    afterMs: rule?.afterMs ?? (status === 'busy' ? 1000 : settings.answeredAfterMs),
    answeredBy: rule?.answeredBy ?? 'human',
    hangupAfterMs: rule?.hangupAfterMs ?? (leg ? settings.talkMs : null),
    sipResponseCode: rule?.sipResponseCode ?? null,
  };
}

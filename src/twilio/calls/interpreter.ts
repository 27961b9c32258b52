/**
 * The voice TwiML interpreter (twilio-voice-and-more.md §2, §5, §9): a pure state machine,
 * `step(state, event, now) → {next, effects}`. It holds the call's document, a program counter and
 * what it waits for; the runner carries out its effects — fetches (with the standard call
 * parameters from `voiceWebhookParams` added to each effect's `params`), timers as virtual-time
 * `wait`s, dial legs, recordings, messages — and feeds the outcomes back as events, each with the
 * token of the effect it answers (stale answers are ignored). The transcript effects are the
 * call's story in order.
 *
 * Rules (§5): a document runs top to bottom; a verb with an `action` ends the document and its
 * action's answer replaces it; `<Gather>`/`<Record>` without one request the current document's
 * URL; `<Dial>`, `<Enqueue>`, `<Sms>` without one fall through; a `<Gather>` with no input falls
 * through (or requests `action` with empty `Digits` when `actionOnEmptyResult`); `<Redirect>`
 * replaces the document; the end of the document hangs up. A fetch or document failure (11200,
 * 12100, 12300, …) tries the fallback URL with `ErrorCode`/`ErrorUrl`, else the call gets
 * Twilio's apology and is hung up.
 *
 * LIMITATIONS: audio is never fetched; `<Play>` lasts `playMs` per loop and `<Say>` an estimate
 * from its length. Partial speech results (`partialResultCallback`) are not sent. The fallback URL
 * serves every fetch of the call, not only the first (UNCONFIRMED). A caller who hangs up during
 * `<Dial>` does not get the Dial's action requested (UNCONFIRMED).
 */
import { alert, TWIML_ALERTS, type TwimlIssue } from '../twiml/alerts';
import { dialResult, gatherKeys, gatherSpeech, gatherTimeout, loadDocument, nextPrompt, recordHeard, recordSaved, runVerbs, stopRecording } from './interpreter-verbs';
import { resolveUrl, Run } from './interpreter-run';
import type { InterpreterEvent, InterpreterOptions, InterpreterState, InterpreterStep, InterpreterWait, TwimlSource } from './interpreter-types';
import { parseVoiceTwiml } from './twiml';
import type { HttpMethod } from './types';
import type { VoiceVerb } from './verbs';

export type * from './interpreter-types';

/** Default tunables: 15 characters of speech a second, 3 s per audio file, 50 idle documents. */
export const DEFAULT_INTERPRETER_OPTIONS: InterpreterOptions = { sayCharsPerSecond: 15, playMs: 3000, maxIdleDocuments: 50, messageVerb: 'warn' };

/** What a new interpreter needs. */
export interface NewInterpreter {
  call: { from: string; to: string };
  source: TwimlSource;
  fallback?: { url: string; method: HttpMethod } | null;
  /** True for an outbound call (TwiML starts on answer); false for an inbound one (starts ringing). */
  answered: boolean;
  options?: Partial<InterpreterOptions>;
}

/** The interpreter of a call that has not started its TwiML yet. */
export function newInterpreter(init: NewInterpreter): InterpreterState {
  return {
    call: init.call,
    source: init.source,
    fallback: init.fallback ?? null,
    options: { ...DEFAULT_INTERPRETER_OPTIONS, ...init.options },
    answered: init.answered,
    verbs: [],
    documentUrl: null,
    pc: 0,
    wait: { kind: 'start' },
    seq: 0,
    idleDocuments: 0,
  };
}

/** True once the interpreter will do nothing more. */
export function isFinished(state: InterpreterState): boolean {
  return state.wait.kind === 'ended';
}

/** Content types Twilio reads as TwiML (§5). */
const XML_TYPES = new Set(['text/xml', 'application/xml', 'text/html', '']);

/** Starts `source`: fetch its URL, or run the inline document. */
function begin(r: Run, source: TwimlSource, purpose: 'url' | 'update'): void {
  if (source.kind === 'url') return r.fetch(source.url, source.method, {}, purpose);
  const doc = parseVoiceTwiml(source.xml, { messageVerb: r.s.options.messageVerb });
  if (!doc.ok) return r.fail(doc.issue);
  loadDocument(r, doc.verbs, null, doc.issues);
}

/** A document (or the fetch for it) failed: try the fallback URL once, else give up (§9.2). */
function documentFailed(r: Run, w: Extract<InterpreterWait, { kind: 'fetch' }>, issue: TwimlIssue): void {
  const fallback = r.s.fallback;
  if (w.isFallback || !fallback) return r.fail(issue);
  r.issue(issue);
  r.fetch(fallback.url, fallback.method, { ...w.params, ErrorCode: String(issue.code), ErrorUrl: w.url }, 'fallback', true);
}

/** Runs a fetched answer according to its content type (§5 "Documents and content types"). */
function onDocument(r: Run, w: Extract<InterpreterWait, { kind: 'fetch' }>, body: string, contentType: string | undefined): void {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type.startsWith('audio/')) {
    // An audio file is played, then the call hangs up.
    return loadDocument(r, [{ verb: 'Play', url: w.url, digits: null, loop: 1 }], w.url, []);
  }
  if (!XML_TYPES.has(type) && type !== 'text/plain') return documentFailed(r, w, alert(12300, `${type} from ${w.url}`));
  const doc = parseVoiceTwiml(body, { messageVerb: r.s.options.messageVerb });
  if (!doc.ok && type === 'text/plain' && body.trim()) {
    // Plain text that is not TwiML is read aloud (§5).
    const say: VoiceVerb = { verb: 'Say', text: body.trim(), voice: 'man', language: 'en-US', loop: 1 };
    return loadDocument(r, [say], w.url, []);
  }
  if (!doc.ok) return documentFailed(r, w, doc.issue);
  loadDocument(r, doc.verbs, w.url, doc.issues);
}

/** The issue of a failed fetch, with the catalogue's title when mirra knows the code. */
function fetchIssue(code: number, message: string | undefined, url: string): TwimlIssue {
  const title = (TWIML_ALERTS as Record<number, { title: string }>)[code]?.title ?? 'Webhook failure';
  return { code, message: `${title}: ${message ?? url}` };
}

/** Stops what runs for a REST `Url`/`Twiml` update (§1.3: an interrupted Dial's action first). */
function interrupt(r: Run): void {
  const w = r.s.wait;
  if (w.kind === 'dial') {
    r.emit({ type: 'end-dial', token: w.token, reason: 'update' });
    const url = w.verb.action === null ? null : resolveUrl(w.verb.action, r.s.documentUrl);
    if (url) r.notify(url, w.verb.method, { DialCallStatus: 'completed' }, 'Dial');
  } else if (w.kind === 'record') {
    stopRecording(r, null, false);
  } else if (w.kind === 'enqueue') {
    r.emit({ type: 'leave-queue' });
  }
}

/** The caller (or the API) hung up: end what runs; a `<Record>` still reports to its action (§5.5). */
function onHangup(r: Run): void {
  const w = r.s.wait;
  r.note({ kind: 'hangup', by: 'caller' });
  if (w.kind === 'record') return stopRecording(r, 'hangup', false);
  if (w.kind === 'record-saving') return r.setWait({ ...w, hungUp: true });
  if (w.kind === 'dial') r.emit({ type: 'end-dial', token: w.token, reason: 'caller-hangup' });
  if (w.kind === 'enqueue') r.emit({ type: 'leave-queue' });
  r.setWait({ kind: 'ended' });
}

/** Applies `event` to `state` at virtual instant `now`. Events that do not fit the wait are ignored. */
export function step(state: InterpreterState, event: InterpreterEvent, now: number): InterpreterStep {
  const r = new Run(state, now);
  const w = state.wait;
  if (w.kind === 'ended') return { next: state, effects: [] };
  const current = (kind: InterpreterWait['kind'], token: number): boolean => w.kind === kind && 'token' in w && w.token === token;
  switch (event.type) {
    case 'answered':
    case 'incoming':
      if (w.kind !== 'start') break;
      if (event.type === 'answered') r.s = { ...r.s, answered: true };
      begin(r, state.source, 'url');
      break;
    case 'twiml-fetched':
      if (w.kind === 'fetch' && w.token === event.token) onDocument(r, w, event.body, event.contentType);
      break;
    case 'twiml-fetch-failed':
      if (w.kind === 'fetch' && w.token === event.token) documentFailed(r, w, fetchIssue(event.code, event.message, w.url));
      break;
    case 'elapsed':
      if (current('audio', event.token)) runVerbs(r);
      else if (w.kind === 'gather' && !w.listening && w.token === event.token) nextPrompt(r);
      break;
    case 'gather-timeout':
      if (w.kind === 'gather' && w.listening && w.token === event.token) gatherTimeout(r);
      break;
    case 'record-timeout':
      if (w.kind === 'record' && (event.token === w.silenceToken || event.token === w.token)) stopRecording(r, null, event.token === w.silenceToken);
      break;
    case 'digits':
      if (w.kind === 'gather') gatherKeys(r, event.digits);
      else if (w.kind === 'dial' && w.verb.hangupOnStar && event.digits.includes('*')) r.emit({ type: 'end-dial', token: w.token, reason: 'hangup-on-star' });
      else if (w.kind === 'record') {
        const key = [...event.digits].find((k) => w.verb.finishOnKey.includes(k));
        if (key) stopRecording(r, key, false);
      }
      break;
    case 'speech':
      if (w.kind === 'gather') gatherSpeech(r, event.text, event.confidence ?? 0.9);
      else if (w.kind === 'record') recordHeard(r, event.text);
      break;
    case 'dial-result':
      if (current('dial', event.token)) dialResult(r, event.status, event.callSid, event.durationSec, event.recording);
      break;
    case 'record-finished':
      if (current('record-saving', event.token)) recordSaved(r, event.recording);
      break;
    case 'sms-result':
      if (w.kind === 'sms' && w.token === event.token && w.verb.action !== null) {
        r.action(w.verb.action, w.verb.method, { SmsSid: event.sid, SmsStatus: event.status }, 'Sms');
      }
      break;
    case 'queue-result':
      if (w.kind !== 'enqueue' || w.token !== event.token) break;
      if (w.verb.action === null) runVerbs(r);
      else r.action(w.verb.action, w.verb.method, { QueueResult: event.result, QueueSid: event.queueSid, QueueTime: String(event.queueTimeSec) }, 'Enqueue');
      break;
    case 'update':
      if (w.kind === 'start') break;
      interrupt(r);
      begin(r, event.source, 'update');
      break;
    case 'hangup':
      onHangup(r);
      break;
  }
  return { next: r.s, effects: r.effects };
}

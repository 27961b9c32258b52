/**
 * One interpreter step in the making: the state being changed, the effects asked for so far, and
 * the helpers every verb uses (tokens, timers, fetches, URL resolution, answering, giving up).
 * Internal to the interpreter.
 */
import type { FormParams } from '../../signing/signature';
import { alert, type TwimlIssue } from '../twiml/alerts';
import type { FetchPurpose, InterpreterEffect, InterpreterEvent, InterpreterState, InterpreterWait, TranscriptLine } from './interpreter-types';
import type { HttpMethod } from './types';
import type { PlayVerb, SayVerb } from './verbs';

/**
 * What Twilio says before hanging up on an application error (§2; the wording is UNCONFIRMED —
 * the one callers report hearing).
 */
export const APPLICATION_ERROR_TEXT = "We're sorry, an application error has occurred. Goodbye.";

/** Resolves `raw` against `base` into an absolute http(s) URL, or null (11100). */
export function resolveUrl(raw: string, base: string | null): string | null {
  try {
    const u = base ? new URL(raw, base) : new URL(raw);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : null;
  } catch {
    return null;
  }
}

/** Length of one play of `digits`: a tone per key, `w` 0.5 s, `W` 1 s (docs/voice/twiml/play#digits). */
function digitsMs(digits: string): number {
  return [...digits].reduce((ms, k) => ms + (k === 'w' ? 500 : k === 'W' ? 1000 : 300), 0);
}

/** A step under construction. */
export class Run {
  readonly effects: InterpreterEffect[] = [];
  constructor(
    public s: InterpreterState,
    readonly now: number,
  ) {}

  /** A fresh token (every wait and every effect answered later gets one). */
  token(): number {
    this.s = { ...this.s, seq: this.s.seq + 1 };
    return this.s.seq;
  }

  setWait(wait: InterpreterWait): void {
    this.s = { ...this.s, wait };
  }

  emit(effect: InterpreterEffect): void {
    this.effects.push(effect);
  }

  note(line: TranscriptLine): void {
    this.effects.push({ type: 'transcript', entry: { ...line, at: this.now } });
  }

  issue(issue: TwimlIssue): void {
    this.effects.push({ type: 'alert', code: issue.code, message: issue.message });
  }

  /** Asks for `then` after `ms` of virtual time. */
  after(ms: number, then: InterpreterEvent): void {
    this.effects.push({ type: 'wait', ms: Math.max(0, Math.round(ms)), then });
  }

  /** The first answering verb of an inbound call answers it (§2). */
  answer(): void {
    if (this.s.answered) return;
    this.s = { ...this.s, answered: true };
    this.emit({ type: 'answer' });
  }

  /** Something timed runs: the document is not an idle loop. */
  busy(): void {
    if (this.s.idleDocuments !== 0) this.s = { ...this.s, idleDocuments: 0 };
  }

  /** A deterministic estimate of how long a `<Say>`/`<Play>` lasts, loops included. */
  audioMs(verb: SayVerb | PlayVerb): number {
    const o = this.s.options;
    const once =
      verb.verb === 'Say' ? Math.max(1000, Math.round((verb.text.length / o.sayCharsPerSecond) * 1000)) : verb.digits ? digitsMs(verb.digits) : o.playMs;
    return once * verb.loop;
  }

  /** Requests a document; the answer comes back as `twiml-fetched`/`twiml-fetch-failed` with the token. */
  fetch(url: string, method: HttpMethod, params: FormParams, purpose: FetchPurpose, isFallback = false): void {
    const token = this.token();
    this.setWait({ kind: 'fetch', token, url, method, params, isFallback });
    this.note({ kind: 'fetch', purpose, url, method });
    this.emit({ type: 'fetch-twiml', token, url, method, params, purpose, ignoreResponse: false });
  }

  /** Requests a URL whose answer is not run (an action after the call ended, an interrupted Dial's action). */
  notify(url: string, method: HttpMethod, params: FormParams, purpose: FetchPurpose): void {
    this.note({ kind: 'fetch', purpose, url, method });
    this.emit({ type: 'fetch-twiml', token: this.token(), url, method, params, purpose, ignoreResponse: true });
  }

  /** Requests a verb's `action` (or, for Gather/Record, the document URL when it has none). */
  action(raw: string | null, method: HttpMethod, params: FormParams, purpose: FetchPurpose): void {
    const url = raw === null ? this.s.documentUrl : resolveUrl(raw, this.s.documentUrl);
    if (url) return this.fetch(url, method, params, purpose);
    // Inline TwiML has no document URL: a relative or missing action cannot be requested (§5).
    this.fail(alert(11100, `<${purpose}> action ${raw === null ? '(none, and the TwiML has no URL)' : `"${raw}"`}`));
  }

  /** Ends the call's TwiML: the call hangs up for `reason`. */
  hangUp(reason: 'twiml' | 'end-of-twiml' | 'application-error' | 'loop'): void {
    this.note({ kind: 'hangup', by: reason });
    this.emit({ type: 'hang-up', reason });
    this.setWait({ kind: 'ended' });
  }

  /** An application error: logged, Twilio's apology spoken, the call hung up (§2). */
  fail(issue: TwimlIssue): void {
    this.issue(issue);
    this.answer();
    this.note({ kind: 'say', text: APPLICATION_ERROR_TEXT, voice: 'man', language: 'en-US', loop: 1 });
    this.hangUp('application-error');
  }
}

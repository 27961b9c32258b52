/**
 * A tiny stand-in for the runner the server will have: it steps the pure voice interpreter,
 * keeps its `wait` effects as virtual-time timers, and lets a test answer fetches and feed caller
 * input. Nothing real happens; everything is recorded for assertions.
 */
import {
  newInterpreter, step, type InterpreterEffect, type InterpreterEvent, type InterpreterState, type NewInterpreter, type TranscriptEntry,
} from '../../src/twilio/calls/interpreter';

type FetchEffect = Extract<InterpreterEffect, { type: 'fetch-twiml' }>;

/** A driven interpreter. */
export class VoiceRunner {
  state: InterpreterState;
  now: number;
  effects: InterpreterEffect[] = [];
  private timers: { at: number; seq: number; event: InterpreterEvent }[] = [];
  private timerSeq = 0;

  constructor(init: NewInterpreter, start = 0) {
    this.state = newInterpreter(init);
    this.now = start;
  }

  /** Steps the interpreter with `event` at the current virtual time. */
  send(event: InterpreterEvent): InterpreterEffect[] {
    const { next, effects } = step(this.state, event, this.now);
    this.state = next;
    this.effects.push(...effects);
    for (const e of effects) if (e.type === 'wait') this.timers.push({ at: this.now + e.ms, seq: this.timerSeq++, event: e.then });
    return effects;
  }

  /** Moves virtual time on by `ms`, firing due timers in order. */
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers[0];
      if (!next || next.at > until) break;
      this.timers.shift();
      this.now = next.at;
      this.send(next.event);
    }
    this.now = until;
  }

  /** Fires every timer, however far ahead (until nothing is left waiting on time). */
  settle(): void {
    while (this.timers.length) this.advance(Math.max(0, Math.max(...this.timers.map((t) => t.at)) - this.now));
  }

  /** The fetches asked for so far (all of them, or only those whose answer runs). */
  fetches(runnable = true): FetchEffect[] {
    return this.effects.filter((e): e is FetchEffect => e.type === 'fetch-twiml' && (!runnable || !e.ignoreResponse));
  }

  /** The latest runnable fetch. */
  lastFetch(): FetchEffect {
    const all = this.fetches();
    if (!all.length) throw new Error('no fetch was asked for');
    return all[all.length - 1];
  }

  /** Answers the latest fetch with `body`. */
  respond(body: string, contentType = 'text/xml'): InterpreterEffect[] {
    return this.send({ type: 'twiml-fetched', token: this.lastFetch().token, body, contentType });
  }

  /** The latest effect of `type`. */
  last<T extends InterpreterEffect['type']>(type: T): Extract<InterpreterEffect, { type: T }> {
    const found = this.effects.filter((e) => e.type === type);
    if (!found.length) throw new Error(`no ${type} effect`);
    return found[found.length - 1] as Extract<InterpreterEffect, { type: T }>;
  }

  /** The transcript so far. */
  transcript(): TranscriptEntry[] {
    return this.effects.flatMap((e) => (e.type === 'transcript' ? [e.entry] : []));
  }

  /** Transcript lines as short strings, for readable assertions. */
  story(): string[] {
    return this.transcript().map((t) => {
      switch (t.kind) {
        case 'say': return `say ${t.text}`;
        case 'play': return `play ${t.url ?? t.digits}`;
        case 'pause': return `pause ${t.seconds}`;
        case 'gather': return `gather ${t.digits ?? t.speech ?? '(nothing)'}`;
        case 'dial': return `dial ${t.to.join(',')}`;
        case 'dial-result': return `dialed ${t.status}`;
        case 'record': return 'record';
        case 'recorded': return `recorded ${t.durationSec}s ${t.digits ?? ''}`.trim();
        case 'sms': return `sms ${t.to}`;
        case 'enqueue': return `enqueue ${t.queue}`;
        case 'fetch': return `fetch ${t.purpose} ${t.method} ${t.url}`;
        case 'hangup': return `hangup ${t.by}`;
        case 'reject': return `reject ${t.reason}`;
        case 'note': return `note ${t.text}`;
      }
    });
  }

  /** Codes of the alerts raised so far. */
  alerts(): number[] {
    return this.effects.flatMap((e) => (e.type === 'alert' ? [e.code] : []));
  }
}

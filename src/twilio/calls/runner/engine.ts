/**
 * The calls runner: carries out what the pure call lifecycle (../lifecycle.ts) and TwiML
 * interpreter (../interpreter.ts) decide, on the session's virtual clock. Lifecycle events apply at
 * once; interpreter events are queued and run one after another, so a step's effects are carried
 * out in order before the next step starts. Every change of a call's status goes through
 * `advance`, every change of its TwiML through `step`.
 *
 * Time: each step runs at its own virtual instant — a scheduler task's due time, or the instant
 * a TwiML fetch was made for its answer (a fetch takes no virtual time) — never the clock's "now"
 * of a later moment.
 */
import type { Delivery } from '../../../callbacks/dispatcher';
import type { Commit, Outbox, ReportError, Schedule, StatusObserver } from '../../../core/ports';
import type { Session } from '../../../session/session';
import { stepInterpreter } from './interpret';
import { advance, InvalidCallTransition, isEnded, type CallLifecycleEffect, type CallLifecycleEvent } from '../lifecycle';
import type { InterpreterEvent, TranscriptLine } from '../interpreter-types';
import { CALLS, type CallRecord } from '../types';
import { legAnswered, legEnded, parentEnded } from './dial';
import { stopCallRecordings } from './live-recording';
import { finishCallRecording, startCallRecordingOnAnswer } from './media';
import { participantCallMoved } from './participant';
import { leaveQueueOnEnd } from './queue';
import { endsAnsweredCall, KIND, STATUS_RESPONSE, STEP_TASK, WAIT_TASK, type CallStep, type StepRef } from './kinds';
import { getRun, newAlert, updateRun, type CallAlert, type CallRun } from './run';
import { callSettings, type CallSettings } from './settings';

/** The ports the runner uses. */
export interface CallPorts {
  commit: Commit;
  schedule: Schedule;
  outbox: Outbox;
  observe: StatusObserver;
  report: ReportError;
}

/** Alerts the runner raises itself, beyond the TwiML ones (catalogue titles). */
const RUNNER_ALERT_LEVEL: Record<number, 'error' | 'warning'> = { 15003: 'warning', 13214: 'warning', 11200: 'error', 11205: 'error' };

type Job = { sid: string; event: InterpreterEvent; at: number; delivery?: Delivery };

/** One piece of work on a session's calls: build it, call it, and it commits what it did. */
export class CallEngine {
  private readonly jobs: Job[] = [];
  private draining = false;
  private cachedSettings: CallSettings | undefined;

  constructor(
    readonly ports: CallPorts,
    readonly session: Session,
  ) {}

  get settings(): CallSettings {
    return (this.cachedSettings ??= callSettings(this.session));
  }

  /** Runs `fn` with an engine in one transaction, and everything it set off. */
  static run<T>(ports: CallPorts, session: Session, fn: (engine: CallEngine) => T): T {
    return ports.commit.transaction(() => {
      const engine = new CallEngine(ports, session);
      const out = fn(engine);
      engine.flush();
      return out;
    });
  }

  call(sid: string): CallRecord | undefined {
    return this.session.collection<CallRecord>(CALLS).get(sid);
  }

  run(sid: string): CallRun | undefined {
    return getRun(this.session, sid);
  }

  /** Books step `step` of call `sid` at `at`. */
  book(sid: string, at: number, step: CallStep): void {
    this.ports.schedule.schedule(this.session, at, STEP_TASK, { sid, ...step } satisfies StepRef);
  }

  /** Appends to a call's transcript (what the runner itself did: digits sent, a leg refused, …). */
  note(sid: string, line: TranscriptLine, at: number): void {
    updateRun(this.session, sid, (r) => ({ ...r, transcript: [...r.transcript, { ...line, at }] }));
  }

  /** Raises a debugger alert on a call (and on the delivery it came from, if any). */
  alert(sid: string, code: number, message: string, at: number, delivery?: Delivery): void {
    const entry: CallAlert = newAlert(code, message, at, RUNNER_ALERT_LEVEL[code] ?? 'error', delivery);
    updateRun(this.session, sid, (r) => ({ ...r, alerts: [...r.alerts, entry] }));
    if (delivery) this.ports.outbox.recordError(this.session, delivery, { code, message });
  }

  /**
   * Applies lifecycle `event` to call `sid` at `at`, now, and carries out its effects. An event
   * that does not fit the call's status any more (a timer of a call that has moved on) is dropped.
   */
  life(sid: string, event: CallLifecycleEvent, at: number): CallRecord | undefined {
    const call = this.call(sid);
    if (!call || isEnded(call)) return call;
    // The recording of a `Record=true` call ends with it; its `completed` callback reports it (§3).
    const before = call.status === 'in-progress' && endsAnsweredCall(event) ? finishCallRecording(this, call, at) : call;
    let next: CallRecord;
    let effects: CallLifecycleEffect[];
    try {
      ({ next, effects } = advance(before, event, at));
    } catch (err) {
      if (err instanceof InvalidCallTransition) return call;
      throw err;
    }
    if (next === before) return before;
    this.session.collection<CallRecord>(CALLS).update(next);
    this.observe(before, next, event, at);
    if (next.status === 'in-progress' && before.status !== 'in-progress') this.onInProgress(next, at);
    for (const effect of effects) this.lifecycleEffect(next, effect, at);
    participantCallMoved(this, before, next, at);
    return next;
  }

  /** Queues interpreter `event` for call `sid` at `at` (`delivery`: the fetch it answers). */
  interpret(sid: string, event: InterpreterEvent, at: number, delivery?: Delivery): void {
    this.jobs.push({ sid, event, at, delivery });
  }

  /** Runs queued interpreter events until none is left. */
  flush(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let job = this.jobs.shift(); job; job = this.jobs.shift()) stepInterpreter(this, job.sid, job.event, job.at, job.delivery);
    } finally {
      this.draining = false;
    }
  }

  /** Sends a webhook of call `call` through the outbox. */
  send(call: CallRecord, kind: string, url: string, method: 'GET' | 'POST', params: Record<string, string>, extra: { onResponse?: string; orderKey?: string } = {}): Delivery {
    const refs: Record<string, string> = { callSid: call.sid };
    if (call.parentCallSid) refs.parentCallSid = call.parentCallSid;
    return this.ports.outbox.enqueue(this.session, { kind, url, method, params, orderKey: extra.orderKey ?? call.sid, refs, onResponse: extra.onResponse });
  }

  /** The inspector sees each status a call passes, `initiated` included. */
  private observe(before: CallRecord, next: CallRecord, event: CallLifecycleEvent, at: number): void {
    const passed: string[] = [];
    if (!before.initiated && next.initiated) passed.push('initiated');
    const rang = before.status === 'queued' && ['ring', 'answer', 'busy', 'no-answer'].includes(event.type);
    if (rang) passed.push('ringing');
    if (next.status !== before.status && next.status !== 'ringing') passed.push(next.status);
    for (const status of passed) this.ports.observe.statusChanged(this.session, { resource: 'call', sid: next.sid, status, at });
  }

  private lifecycleEffect(call: CallRecord, effect: CallLifecycleEffect, at: number): void {
    switch (effect.type) {
      case 'status-callback':
        this.send(call, KIND.status, effect.url, effect.method, effect.params as Record<string, string>, { onResponse: STATUS_RESPONSE });
        break;
      case 'amd-callback':
        this.send(call, KIND.amd, effect.url, effect.method, effect.params as Record<string, string>);
        break;
      case 'run-twiml': {
        const md = call.machineDetection;
        // Synchronous detection holds the TwiML back until it is done, and the fetch carries AnsweredBy (§8).
        if (md && !md.asyncCallback) return this.book(call.sid, at + this.settings.detectionMs, { step: 'run-twiml' });
        this.interpret(call.sid, { type: 'answered' }, at);
        if (md) this.book(call.sid, at + this.settings.detectionMs, { step: 'amd' });
        break;
      }
      case 'ended':
        this.onEnded(call, at);
        break;
    }
  }

  /** The call was answered: the callee's own hang-up, the time limit, `SendDigits`, a `<Dial>` bridge. */
  private onInProgress(call: CallRecord, at: number): void {
    const run = updateRun(this.session, call.sid, (r) => ({ ...r, answeredAt: at }));
    if (!run) return;
    if (run.leg) return legAnswered(this, call, run, at);
    startCallRecordingOnAnswer(this, call, run, at);
    if (run.outcome.hangupAfterMs !== null) this.book(call.sid, at + run.outcome.hangupAfterMs, { step: 'hangup' });
    this.book(call.sid, at + run.timeLimitSec * 1000, { step: 'hangup' });
    if (run.sendDigits) this.note(call.sid, { kind: 'play', url: null, digits: run.sendDigits, loop: 1 }, at);
  }

  /** The call ended: nothing more is booked for it, its TwiML stops, its legs, conference and queue let go. */
  private onEnded(call: CallRecord, at: number): void {
    const own = (ref: { sid: string }) => ref.sid === call.sid;
    this.ports.schedule.cancel(this.session, STEP_TASK, own);
    this.ports.schedule.cancel(this.session, WAIT_TASK, own);
    this.interpret(call.sid, { type: 'hangup' }, at);
    stopCallRecordings(this, call.sid, at);
    const run = this.run(call.sid);
    if (!run) return;
    if (run.dial) parentEnded(this, call, run, at);
    if (run.leg) legEnded(this, call, run, at);
    if (run.queue) leaveQueueOnEnd(this, call, run, at);
  }

  /** A scheduler visit of a call's timeline. */
  step(ref: StepRef, at: number): void {
    const call = this.call(ref.sid);
    if (!call || isEnded(call)) return;
    const run = this.run(ref.sid);
    switch (ref.step) {
      case 'initiate':
        if (call.status === 'queued' && !call.initiated) this.life(call.sid, { type: 'initiate' }, at);
        break;
      case 'ring':
        if (call.status === 'queued') this.life(call.sid, { type: 'ring' }, at);
        break;
      case 'answer': {
        const md = call.machineDetection;
        this.life(call.sid, { type: 'answer', answeredBy: md && !md.asyncCallback ? run?.outcome.answeredBy : undefined }, at);
        break;
      }
      case 'busy':
      case 'no-answer':
        this.life(call.sid, { type: ref.step }, at);
        break;
      case 'fail':
        this.life(call.sid, { type: 'fail', sipResponseCode: run?.outcome.sipResponseCode ?? undefined }, at);
        break;
      case 'hangup':
        this.life(call.sid, { type: 'hangup' }, at);
        break;
      case 'run-twiml':
        this.interpret(call.sid, { type: 'answered' }, at);
        break;
      case 'amd':
        if (call.answeredBy === null) this.life(call.sid, { type: 'machine-detected', answeredBy: run?.outcome.answeredBy ?? 'human', durationMs: this.settings.detectionMs }, at);
        break;
    }
  }

  /**
   * Books the dialing of a call that is not answered yet, from `at`: initiated, ringing, then the
   * callee's outcome (an answer, busy, failed, or no answer within the call's `Timeout`).
   */
  scheduleDialing(call: CallRecord, run: CallRun, at: number): void {
    const s = this.settings;
    const o = run.outcome;
    let t = at;
    if (!call.initiated) {
      t += s.initiatedAfterMs;
      this.book(call.sid, t, { step: 'initiate' });
    }
    t += s.ringingAfterMs;
    if (o.status === 'failed') return this.book(call.sid, t, { step: 'fail' });
    this.book(call.sid, t, { step: 'ring' });
    const timeoutMs = run.timeoutSec * 1000;
    if (o.status === 'busy') this.book(call.sid, t + o.afterMs, { step: 'busy' });
    else if (o.status === 'no-answer' || o.afterMs > timeoutMs) this.book(call.sid, t + timeoutMs, { step: 'no-answer' });
    else this.book(call.sid, t + o.afterMs, { step: 'answer' });
  }

  /** Drops what a call's timeline still has booked (a test decides the outcome instead). */
  cancelDialing(sid: string): void {
    this.ports.schedule.cancel(this.session, STEP_TASK, (ref: StepRef) => ref.sid === sid);
  }
}

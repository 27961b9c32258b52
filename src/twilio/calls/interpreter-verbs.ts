/**
 * Running voice verbs (twilio-voice-and-more.md §5): what each verb does when it starts, and how
 * it ends — with its `action` requested (and the rest of the document abandoned) or by falling
 * through to the next verb. The end of the document hangs up. Internal to the interpreter.
 */
import type { FormParams } from '../../signing/signature';
import { alert, type TwimlIssue } from '../twiml/alerts';
import type { DialCallStatus, RecordingInfo } from './interpreter-types';
import { resolveUrl, type Run } from './interpreter-run';
import type { DialVerb, GatherVerb, PromptVerb, RecordVerb, VoiceVerb } from './verbs';

/** Starts the document `verbs` from `url` (null: inline TwiML) and runs it. */
export function loadDocument(r: Run, verbs: VoiceVerb[], url: string | null, issues: TwimlIssue[]): void {
  issues.forEach((i) => r.issue(i));
  const idle = r.s.idleDocuments + 1;
  r.s = { ...r.s, verbs, documentUrl: url, pc: 0, idleDocuments: idle };
  if (idle > r.s.options.maxIdleDocuments) {
    r.note({ kind: 'note', text: `mirra ended a loop: ${idle} documents in a row ran no audio, pause, input or call` });
    return r.hangUp('loop');
  }
  runVerbs(r);
}

/** Runs verbs from the program counter until one waits, or the document ends (a hang-up, §5). */
export function runVerbs(r: Run): void {
  for (;;) {
    const verb = r.s.verbs[r.s.pc];
    if (!verb) return r.hangUp('end-of-twiml');
    r.s = { ...r.s, pc: r.s.pc + 1 };
    if (start(r, verb) === 'waits') return;
  }
}

/** Plays a `<Say>`/`<Play>`/`<Pause>`; `elapsed` with the returned token comes when it is over. */
function playPrompt(r: Run, verb: PromptVerb): number {
  const token = r.token();
  if (verb.verb === 'Pause') {
    r.note({ kind: 'pause', seconds: verb.length });
    r.after(verb.length * 1000, { type: 'elapsed', token });
  } else {
    r.answer();
    if (verb.verb === 'Say') r.note({ kind: 'say', text: verb.text, voice: verb.voice, language: verb.language, loop: verb.loop });
    else r.note({ kind: 'play', url: verb.url ? resolveUrl(verb.url, r.s.documentUrl) ?? verb.url : null, digits: verb.digits, loop: verb.loop });
    r.after(r.audioMs(verb), { type: 'elapsed', token });
  }
  return token;
}

function start(r: Run, verb: VoiceVerb): 'waits' | 'next' {
  switch (verb.verb) {
    case 'Say':
    case 'Play':
    case 'Pause':
      r.busy();
      r.setWait({ kind: 'audio', token: playPrompt(r, verb) });
      return 'waits';
    case 'Gather':
      r.busy();
      r.answer();
      r.setWait({ kind: 'gather', token: 0, verb, prompt: 0, listening: false, digits: '' });
      nextPrompt(r);
      return 'waits';
    case 'Dial':
      return startDial(r, verb);
    case 'Record': {
      r.busy();
      r.answer();
      const token = r.token();
      r.setWait({ kind: 'record', token, verb, startedAt: r.now, silenceToken: 0, heard: [] });
      r.note({ kind: 'record', playBeep: verb.playBeep });
      r.emit({ type: 'start-recording', token, verb });
      r.after(verb.maxLength * 1000, { type: 'record-timeout', token });
      recordSilence(r);
      return 'waits';
    }
    case 'Redirect': {
      const url = resolveUrl(verb.url, r.s.documentUrl);
      if (!url) r.fail(alert(11100, `<Redirect> to "${verb.url}"`));
      else r.fetch(url, verb.method, {}, 'redirect');
      return 'waits';
    }
    case 'Hangup':
      // As the first verb of an inbound call it still answers (and bills) the call (§5.2).
      r.answer();
      r.hangUp('twiml');
      return 'waits';
    case 'Reject':
      if (r.s.answered) {
        r.issue(alert(12200, '<Reject> after the call was answered hangs up'));
        r.hangUp('twiml');
      } else {
        r.note({ kind: 'reject', reason: verb.reason });
        r.emit({ type: 'reject', reason: verb.reason });
        r.setWait({ kind: 'ended' });
      }
      return 'waits';
    case 'Sms': {
      r.answer();
      const token = r.token();
      const to = verb.to ?? r.s.call.from;
      r.note({ kind: 'sms', to, body: verb.body });
      const statusCallback = verb.statusCallback ? resolveUrl(verb.statusCallback, r.s.documentUrl) : null;
      if (verb.statusCallback && !statusCallback) r.issue(alert(14105, verb.statusCallback));
      r.emit({ type: 'send-message', token, to, from: verb.from ?? r.s.call.to, body: verb.body, statusCallback, awaitResult: verb.action !== null });
      if (verb.action === null) return 'next'; // without action the call goes on (§5.7)
      r.setWait({ kind: 'sms', token, verb });
      return 'waits';
    }
    case 'Enqueue': {
      r.busy();
      r.answer();
      const waitUrl = verb.waitUrl ? resolveUrl(verb.waitUrl, r.s.documentUrl) : null;
      if (verb.waitUrl && !waitUrl) {
        r.fail(alert(14202, verb.waitUrl));
        return 'waits';
      }
      const token = r.token();
      r.note({ kind: 'enqueue', queue: verb.name });
      r.emit({ type: 'enqueue', token, queue: verb.name, waitUrl, waitUrlMethod: verb.waitUrlMethod, workflowSid: verb.workflowSid });
      r.setWait({ kind: 'enqueue', token, verb });
      return 'waits';
    }
    case 'Leave':
      r.emit({ type: 'leave-queue' });
      return 'next';
    case 'Unsupported':
      r.note({ kind: 'note', text: `<${verb.name}> is not emulated by mirra; skipped` });
      return 'next';
  }
}

function startDial(r: Run, verb: DialVerb): 'waits' {
  r.busy();
  // answerOnBridge keeps an inbound caller ringing until a leg answers; the runner answers then (§5.4).
  if (!verb.answerOnBridge) r.answer();
  const token = r.token();
  r.setWait({ kind: 'dial', token, verb });
  r.note({
    kind: 'dial',
    to: verb.targets.map((t) => (t.kind === 'number' ? t.number : t.kind === 'client' ? `client:${t.identity}` : t.kind === 'sip' ? t.uri : `${t.kind}:${t.name}`)),
  });
  verb.targets.forEach((target, index) => {
    r.emit({
      type: 'dial-leg',
      token,
      target,
      index,
      of: verb.targets.length,
      callerId: verb.callerId,
      timeout: verb.timeout,
      timeLimit: verb.timeLimit,
      record: verb.record,
      answerOnBridge: verb.answerOnBridge,
      sequential: verb.sequential,
      hangupOnStar: verb.hangupOnStar,
    });
  });
  return 'waits';
}

/** Plays the next item of the Gather's prompt, or starts listening when the prompt is over. */
export function nextPrompt(r: Run): void {
  const g = r.s.wait;
  if (g.kind !== 'gather') return;
  const item = g.verb.prompt[g.prompt];
  if (!item) return listen(r);
  r.setWait({ ...g, prompt: g.prompt + 1, token: playPrompt(r, item) });
}

/** Waits `timeout` seconds for (more) input; the timeout clock starts after the prompt (§5.3). */
function listen(r: Run): void {
  const g = r.s.wait;
  if (g.kind !== 'gather') return;
  const token = r.token();
  r.setWait({ ...g, token, listening: true });
  r.after(g.verb.timeout * 1000, { type: 'gather-timeout', token });
}

/** Keys pressed during a Gather: barge in, collect, finish on `finishOnKey` or `numDigits`. */
export function gatherKeys(r: Run, keys: string): void {
  let g = r.s.wait;
  if (g.kind !== 'gather' || !g.verb.input.dtmf) return;
  for (const key of keys) {
    if (g.verb.finishOnKey && key === g.verb.finishOnKey) return finishGather(r, g.verb, { Digits: g.digits, FinishedOnKey: key, msg: 'Gather End' }, g.digits, null, key);
    g = { ...g, digits: g.digits + key };
    if (g.verb.numDigits !== null && g.digits.length >= g.verb.numDigits) {
      return finishGather(r, g.verb, { Digits: g.digits, FinishedOnKey: '', msg: 'Gather End' }, g.digits, null, null);
    }
  }
  r.setWait(g);
  listen(r); // a key interrupts the prompt (barge-in) and restarts the timeout
}

/** The Gather heard speech: `SpeechResult` and `Confidence` go to its action (§5.3). */
export function gatherSpeech(r: Run, text: string, confidence: number): void {
  const g = r.s.wait;
  if (g.kind !== 'gather' || !g.verb.input.speech) return;
  finishGather(r, g.verb, { SpeechResult: text, Confidence: String(confidence) }, null, text, null);
}

/** The Gather timed out: digits so far go to the action; no input at all falls through (§5.3). */
export function gatherTimeout(r: Run): void {
  const g = r.s.wait;
  if (g.kind !== 'gather') return;
  if (g.digits) return finishGather(r, g.verb, { Digits: g.digits, FinishedOnKey: '', msg: 'Gather End' }, g.digits, null, null);
  r.note({ kind: 'gather', digits: null, speech: null, finishedOnKey: null });
  if (g.verb.actionOnEmptyResult) return r.action(g.verb.action, g.verb.method, { Digits: '' }, 'Gather');
  runVerbs(r);
}

function finishGather(r: Run, verb: GatherVerb, params: FormParams, digits: string | null, speech: string | null, key: string | null): void {
  r.note({ kind: 'gather', digits, speech, finishedOnKey: key });
  r.action(verb.action, verb.method, params, 'Gather');
}

/** The action fields of a finished `<Dial>` (§5.4); the parent is still in progress. */
export function dialResult(r: Run, status: DialCallStatus, callSid: string | undefined, durationSec: number | undefined, recording: RecordingInfo | undefined): void {
  const w = r.s.wait;
  if (w.kind !== 'dial') return;
  if (status === 'completed' || status === 'answered') r.s = { ...r.s, answered: true }; // answered on bridge, by the runner
  r.note({ kind: 'dial-result', status, durationSec: durationSec ?? null });
  if (w.verb.action === null) return runVerbs(r); // without action, the next verb (§5.4)
  const params: FormParams = { DialCallStatus: status, DialBridged: String(status === 'completed' || status === 'answered') };
  if (callSid) params.DialCallSid = callSid;
  if (durationSec !== undefined) params.DialCallDuration = String(durationSec);
  if (recording) Object.assign(params, recordingParams(recording));
  r.action(w.verb.action, w.verb.method, params, 'Dial');
}

/** `RecordingUrl`, `RecordingSid`, `RecordingDuration` of a recording. */
export function recordingParams(rec: RecordingInfo): FormParams {
  return { RecordingUrl: rec.url, RecordingSid: rec.sid, RecordingDuration: String(rec.durationSec) };
}

/** (Re)starts the `<Record>` silence clock: `timeout` seconds without caller audio end it (0: never). */
function recordSilence(r: Run): void {
  const w = r.s.wait;
  if (w.kind !== 'record' || w.verb.timeout === 0) return;
  const silenceToken = r.token();
  r.setWait({ ...w, silenceToken });
  r.after(w.verb.timeout * 1000, { type: 'record-timeout', token: silenceToken });
}

/** The caller talks into a `<Record>`: kept for a transcription, and the silence clock restarts. */
export function recordHeard(r: Run, text: string): void {
  const w = r.s.wait;
  if (w.kind !== 'record') return;
  r.setWait({ ...w, heard: [...w.heard, text] });
  recordSilence(r);
}

/**
 * Ends a `<Record>`: `digits` is the key that ended it, `hangup`, or null on silence/maxLength.
 * With `trim-silence`, the trailing silence that ended it is not part of the recording.
 */
export function stopRecording(r: Run, digits: string | null, bySilence: boolean): void {
  const w = r.s.wait;
  if (w.kind !== 'record') return;
  const verb: RecordVerb = w.verb;
  let seconds = Math.round((r.now - w.startedAt) / 1000);
  if (bySilence && verb.trim === 'trim-silence') seconds -= verb.timeout;
  const durationSec = Math.min(verb.maxLength, Math.max(0, seconds));
  r.note({ kind: 'recorded', durationSec, digits });
  r.emit({ type: 'stop-recording', token: w.token, durationSec, digits, speech: w.heard.length ? w.heard.join(' ') : null });
  r.setWait({ kind: 'record-saving', token: w.token, verb, digits, hungUp: digits === 'hangup' });
}

/**
 * The recording is saved: its action gets `RecordingUrl`, `RecordingDuration`, `RecordingSid` and
 * `Digits` (§5.5). Empty recordings are saved and reported too (current docs). After a hang-up
 * the action is still requested, with the call completed, and its answer is not run.
 */
export function recordSaved(r: Run, recording: RecordingInfo): void {
  const w = r.s.wait;
  if (w.kind !== 'record-saving') return;
  const params: FormParams = recordingParams(recording);
  if (w.digits !== null) params.Digits = w.digits;
  if (!w.hungUp) return r.action(w.verb.action, w.verb.method, params, 'Record');
  const url = w.verb.action === null ? r.s.documentUrl : resolveUrl(w.verb.action, r.s.documentUrl);
  if (url) r.notify(url, w.verb.method, params, 'Record');
  r.setWait({ kind: 'ended' });
}

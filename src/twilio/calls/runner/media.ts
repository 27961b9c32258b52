/**
 * What a call leaves behind besides its status: recordings (`<Record>`, `<Dial record>`,
 * `Record=true`, which is live from the answer: ./live-recording.ts) with their status callbacks and `<Record transcribe>` transcriptions
 * (twilio-voice-and-more.md §5.5, §6), and the messages `<Sms>` sends (§5.7) through Messages.
 *
 * LIMITATIONS: recordings hold no audio; a transcription is the text a test said into the
 * `<Record>` (`call.speech`), else it fails; `<Sms>` messages show `direction: outbound-api`.
 */
import { TwilioError } from '../../errors';
import { scheduleTimeline } from '../../messages/effects';
import { createMessage } from '../../messages/model';
import { isOptedOut } from '../../messages/opt-out';
import type { InterpreterEffect, RecordingInfo } from '../interpreter-types';
import { resolveUrl } from '../interpreter-run';
import { voiceWebhookParams } from '../params';
import { recordingCallbackParams, saveRecording, type NewRecording } from '../recordings/model';
import { saveTranscription } from '../recordings/transcriptions';
import { RECORDINGS, recordingUrl, type RecordingRecord } from '../recordings/types';
import type { CallRecord } from '../types';
import type { RecordingCallbackSettings } from '../verbs';
import type { CallEngine } from './engine';
import { KIND } from './kinds';
import { changeRecording, liveRecordings, startLiveRecording } from './live-recording';
import type { CallRun, DialRun } from './run';

function infoOf(r: RecordingRecord): RecordingInfo {
  return { sid: r.sid, url: recordingUrl(r.accountSid, r.sid), durationSec: r.durationSec };
}

/** Stores a recording and sends its status callback when one was asked for (`completed`/`absent` events). */
function record(engine: CallEngine, call: CallRecord, init: Omit<NewRecording, 'accountSid' | 'callSid'>, callback: RecordingCallbackSettings | null, base: string | null, at: number): RecordingRecord {
  const rec = saveRecording(engine.session, { ...init, accountSid: call.accountSid, callSid: call.sid }, at);
  const url = callback?.recordingStatusCallback ? resolveUrl(callback.recordingStatusCallback, base) : null;
  if (url && callback!.recordingStatusCallbackEvents.includes(rec.status)) {
    engine.send(call, KIND.recording, url, callback!.recordingStatusCallbackMethod, recordingCallbackParams(rec) as Record<string, string>);
  }
  return rec;
}

/**
 * `Record=true`: the call's recording starts when the call is answered, live (source
 * `OutboundAPI`), so REST can pause, resume or stop it like any other (docs/voice/api/recording:
 * "Call recordings initiated this way can be modified using the API").
 */
export function startCallRecordingOnAnswer(engine: CallEngine, call: CallRecord, run: CallRun, at: number): void {
  const settings = run.record;
  if (!settings) return;
  const callback = settings.statusCallback
    ? { url: settings.statusCallback, method: settings.statusCallbackMethod, events: settings.statusCallbackEvents ?? ['completed', 'absent'] }
    : null;
  startLiveRecording(engine, { accountSid: call.accountSid, callSid: call.sid, source: 'OutboundAPI', channels: settings.channels, track: settings.track ?? 'both', callback }, at);
}

/**
 * `Record=true`: the call's recording ends with the call (unless REST stopped it first); the call
 * (not saved yet) carries it for its `completed` callback (§3).
 */
export function finishCallRecording(engine: CallEngine, call: CallRecord, at: number): CallRecord {
  const run = engine.run(call.sid);
  if (!run?.record || run.answeredAt === null || call.recording) return call;
  const own = (r: RecordingRecord) => r.callSid === call.sid && r.source === 'OutboundAPI' && r.conferenceSid === null;
  const [live] = liveRecordings(engine, own);
  const rec = live ? changeRecording(engine, live, { type: 'stop' }, at) : [...engine.session.collection<RecordingRecord>(RECORDINGS).list({ newestFirst: true, filter: own })][0];
  return rec ? { ...call, recording: infoOf(rec) } : call;
}

/** A `<Record>` stopped: the recording, its callback, its transcription, then the interpreter goes on. */
export function saveVerbRecording(engine: CallEngine, sid: string, e: Extract<InterpreterEffect, { type: 'stop-recording' }>, at: number): void {
  const call = engine.call(sid);
  const run = engine.run(sid);
  const wait = run?.interp?.wait;
  if (!call || !run?.interp || wait?.kind !== 'record-saving') return;
  const base = run.interp.documentUrl;
  const rec = record(engine, call, { startTime: at - e.durationSec * 1000, durationSec: e.durationSec, source: 'RecordVerb' }, wait.verb, base, at);
  const transcribeUrl = wait.verb.transcribeCallback ? resolveUrl(wait.verb.transcribeCallback, base) : null;
  if (wait.verb.transcribe) {
    const transcription = saveTranscription(engine.session, rec, e.speech, at);
    if (transcribeUrl) {
      engine.send(call, KIND.transcription, transcribeUrl, 'POST', voiceWebhookParams(call, {
        RecordingSid: rec.sid,
        RecordingUrl: recordingUrl(rec.accountSid, rec.sid),
        TranscriptionSid: transcription.sid,
        TranscriptionStatus: transcription.status,
        TranscriptionText: transcription.text ?? '',
        TranscriptionType: 'fast',
        TranscriptionUrl: `https://api.twilio.com/2010-04-01/Accounts/${call.accountSid}/Recordings/${rec.sid}/Transcriptions/${transcription.sid}`,
      }) as Record<string, string>);
    }
  }
  engine.interpret(sid, { type: 'record-finished', token: e.token, recording: infoOf(rec) }, at);
}

/** `<Dial record>`: the bridged call's recording, made when the bridge ends (undefined when not asked for). */
export function saveDialRecording(engine: CallEngine, parentSid: string, dial: DialRun, leg: CallRecord, at: number): RecordingInfo | undefined {
  if (dial.record === 'do-not-record') return undefined;
  const parent = engine.call(parentSid);
  const run = engine.run(parentSid);
  if (!parent || !run) return undefined;
  const fromRinging = dial.record.startsWith('record-from-ringing');
  const start = (fromRinging ? leg.startTime : dial.bridgedAt) ?? at;
  const wait = run.interp?.wait;
  const settings = wait?.kind === 'dial' ? wait.verb : null;
  const rec = record(engine, parent, { startTime: start, durationSec: (at - start) / 1000, source: 'DialVerb', channels: dial.record.endsWith('-dual') ? 2 : 1 }, settings, run.interp?.documentUrl ?? null, at);
  return infoOf(rec);
}

/** `<Sms>`: a message through the Messages API's own rules; its result goes back to the interpreter. */
export function sendFromCall(engine: CallEngine, sid: string, e: Extract<InterpreterEffect, { type: 'send-message' }>, at: number): void {
  const form: Record<string, string> = { To: e.to, From: e.from, Body: e.body };
  if (e.statusCallback) form.StatusCallback = e.statusCallback;
  let result: { sid: string; status: 'sending' | 'invalid' | 'failed' };
  try {
    const message = createMessage(engine.session, form, at, isOptedOut);
    scheduleTimeline(engine.ports, engine.session, message);
    result = { sid: message.sid, status: 'sending' };
  } catch (err) {
    if (!(err instanceof TwilioError)) throw err;
    // The refusal is the call's alert (14101 bad To, 21606 a From that cannot send, …).
    engine.alert(sid, err.code, `<Sms>: ${err.message}`, at);
    result = { sid: '', status: err.code === 21211 || err.code === 21212 ? 'invalid' : 'failed' };
  }
  if (e.awaitResult) engine.interpret(sid, { type: 'sms-result', token: e.token, ...result }, at);
}

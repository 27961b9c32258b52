/**
 * How a test sees a call: `GET /_mirra/calls?to=&from=&sid=` lists each call with its parties,
 * status and transcript — what was said (`<Say>` texts in order), played, gathered, dialled,
 * recorded and fetched — and the alerts its TwiML raised. The inspector reads the same view (its
 * rows and a call's detail).
 */
import type { Delivery } from '../../callbacks/dispatcher';
import type { DeliveryView } from '../../core/resource-module';
import { isoOf, type TimelineRow } from '../../core/timeline-row';
import type { Session } from '../../session/session';
import type { TranscriptEntry } from './interpreter-types';
import { renderCall } from './render';
import { KIND } from './runner/kinds';
import { CALL_RUNS, getRun, type CallRun } from './runner/run';
import { CALLS, type CallRecord } from './types';

/** One transcript line in words, e.g. `say "Press 1 for sales"`. */
export function describeEntry(t: TranscriptEntry): string {
  switch (t.kind) {
    case 'say': return `said "${t.text}"${t.loop > 1 ? ` ×${t.loop}` : ''}`;
    case 'play': return t.digits ? `played digits ${t.digits}` : `played ${t.url}`;
    case 'pause': return `paused ${t.seconds}s`;
    case 'gather': return t.digits !== null ? `gathered digits "${t.digits}"` : t.speech !== null ? `gathered speech "${t.speech}"` : 'gathered nothing';
    case 'dial': return `dialled ${t.to.join(', ')}`;
    case 'dial-result': return `dial ended ${t.status}${t.durationSec !== null ? ` after ${t.durationSec}s` : ''}`;
    case 'record': return 'recording';
    case 'recorded': return `recorded ${t.durationSec}s${t.digits ? ` (ended by ${t.digits})` : ''}`;
    case 'sms': return `sent SMS to ${t.to}: "${t.body}"`;
    case 'enqueue': return `enqueued in "${t.queue}"`;
    case 'fetch': return `requested ${t.method} ${t.url} (${t.purpose})`;
    case 'hangup': return `hung up (${t.by})`;
    case 'reject': return `rejected (${t.reason})`;
    case 'note': return t.text;
  }
}

/** A call as `GET /_mirra/calls` shows it. */
export function callView(call: CallRecord, run: CallRun | undefined): Record<string, unknown> {
  const transcript = run?.transcript ?? [];
  return {
    sid: call.sid,
    from: call.from,
    to: call.to,
    direction: call.direction,
    status: call.status,
    parent_call_sid: call.parentCallSid,
    answered_by: call.answeredBy,
    start_time: call.startTime === null ? null : isoOf(call.startTime),
    end_time: call.endTime === null ? null : isoOf(call.endTime),
    duration: call.duration,
    verification_sid: call.verificationSid ?? null,
    said: transcript.filter((t) => t.kind === 'say').map((t) => (t as Extract<TranscriptEntry, { kind: 'say' }>).text),
    transcript: transcript.map(({ at, ...line }) => ({ at: isoOf(at), ...line, summary: describeEntry({ at, ...line } as TranscriptEntry) })),
    alerts: (run?.alerts ?? []).map((a) => ({ code: a.code, level: a.level, message: a.message, at: isoOf(a.at), more_info: `https://www.twilio.com/docs/errors/${a.code}` })),
  };
}

/** The session's calls involving `party` (as `to` or `from`; all when omitted), oldest first. */
export function listCallViews(session: Session, filter: { to?: string; from?: string; sid?: string }): Record<string, unknown>[] {
  const calls = session.collection<CallRecord>(CALLS).list({
    filter: (c) => (!filter.to || c.to === filter.to) && (!filter.from || c.from === filter.from) && (!filter.sid || c.sid === filter.sid),
  });
  return [...calls].map((c) => callView(c, getRun(session, c.sid)));
}

/** The inspector's detail of one call: its REST representation with its transcript and alerts. */
export function callDetail(session: Session, sid: string): Record<string, unknown> | undefined {
  const call = session.collection<CallRecord>(CALLS).get(sid);
  if (!call) return undefined;
  const view = callView(call, getRun(session, sid));
  return { ...renderCall(call), transcript: view.transcript, said: view.said, alerts: view.alerts };
}

/** Each transcript line and alert as a row of the inspector's timeline. */
export function transcriptRows(session: Session): TimelineRow[] {
  const rows: TimelineRow[] = [];
  for (const run of session.collection<CallRun>(CALL_RUNS).list()) {
    const call = session.collection<CallRecord>(CALLS).get(run.sid);
    const numbers = call ? [call.to, call.from] : [];
    run.transcript.forEach((t, i) => {
      // A fetch's delivery is a row too, but placed when it was sent; this one is at its virtual instant.
      rows.push({ id: `call-${run.sid}-${i}`, at: t.at, time: isoOf(t.at), type: 'call-transcript', title: `${run.sid} ${describeEntry(t)}`, tone: 'info', sids: [run.sid], numbers, detail: { ...t } });
    });
    run.alerts.forEach((a, i) => {
      rows.push({ id: `call-${run.sid}-alert-${i}`, at: a.at, time: isoOf(a.at), type: 'call-alert', title: `${run.sid} alert ${a.code}: ${a.message}`, tone: a.level === 'error' ? 'error' : 'info', sids: [run.sid], numbers, detail: { ...a } });
    });
  }
  return rows;
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** How the calls module's deliveries read in the inspector. */
export const deliveryViews: Record<string, (d: Delivery) => DeliveryView> = {
  [KIND.status]: (d) => {
    const status = first(d.params.CallStatus);
    const sid = d.refs?.callSid;
    return { type: 'callback', label: `call status callback${status ? ` (${status})` : ''}`, anchor: sid && status ? { sid, status } : undefined };
  },
  [KIND.twiml]: (d) => ({ type: 'inbound-webhook', label: `TwiML request${first(d.params.Digits) !== undefined ? ` (Digits=${first(d.params.Digits)})` : ''}` }),
  [KIND.amd]: (d) => ({ type: 'callback', label: `answering machine detection (${first(d.params.AnsweredBy) ?? '?'})` }),
  [KIND.recording]: (d) => ({ type: 'callback', label: `recording status callback (${first(d.params.RecordingStatus) ?? '?'})` }),
  [KIND.transcription]: () => ({ type: 'callback', label: 'transcription callback' }),
  [KIND.conference]: (d) => ({ type: 'callback', label: `conference callback (${first(d.params.StatusCallbackEvent) ?? '?'})` }),
};

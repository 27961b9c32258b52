/**
 * Call queues, basic (twilio-voice-and-more.md §5.6): `<Enqueue>` puts a call in a named queue
 * (made on first use), `<Dial><Queue>` bridges an agent's call with the caller waiting longest,
 * who talks for `calls.dial.talkMs` and hangs up. When the agent hangs up first, the caller's
 * `<Enqueue>` ends with `QueueResult=bridged` and its TwiML goes on.
 *
 * LIMITATIONS: the `waitUrl` is not run (so `<Leave>` in it never happens), there is no
 * `queue-full`, no Queues REST resource, and `<Dial><Queue>` on an empty queue ends at once with
 * `DialCallStatus=no-answer` (UNCONFIRMED).
 */
import { newSid, SID_PREFIX } from '../../sid';
import type { InterpreterEffect } from '../interpreter-types';
import type { CallRecord } from '../types';
import type { DialTarget } from '../verbs';
import { dialOver } from './dial';
import type { CallEngine } from './engine';
import { updateRun, type CallRun, type DialRun } from './run';

/** The session's queues: name → SID and the calls waiting, longest first. */
type Queues = Record<string, { sid: string; members: string[] }>;
const QUEUES = 'call-queues';

function queues(engine: CallEngine): Queues {
  return engine.session.getMeta<Queues>(QUEUES) ?? {};
}

function setMembers(engine: CallEngine, name: string, change: (members: string[]) => string[]): void {
  const all = queues(engine);
  const q = all[name] ?? { sid: newSid(SID_PREFIX.queue), members: [] };
  engine.session.setMeta(QUEUES, { ...all, [name]: { ...q, members: change(q.members) } });
}

/** `<Enqueue>`: the call waits in the queue. */
export function enqueueCall(engine: CallEngine, sid: string, e: Extract<InterpreterEffect, { type: 'enqueue' }>, at: number): void {
  setMembers(engine, e.queue, (m) => [...m.filter((s) => s !== sid), sid]);
  const queueSid = queues(engine)[e.queue].sid;
  updateRun(engine.session, sid, (r) => ({ ...r, queue: { name: e.queue, queueSid, since: at, bridgedWith: null } }));
  if (e.waitUrl) engine.note(sid, { kind: 'note', text: `waiting in queue "${e.queue}" (the waitUrl ${e.waitUrl} is not run by mirra)` }, at);
}

/** The call left its queue (`<Leave>`, an update, a hang-up). */
export function leaveQueue(engine: CallEngine, sid: string): void {
  const run = engine.run(sid);
  if (!run?.queue) return;
  setMembers(engine, run.queue.name, (m) => m.filter((s) => s !== sid));
  updateRun(engine.session, sid, (r) => ({ ...r, queue: null }));
}

/** A queued (or bridged) caller hung up: the agent's `<Dial>` is over. */
export function leaveQueueOnEnd(engine: CallEngine, call: CallRecord, run: CallRun, at: number): void {
  const agent = run.queue?.bridgedWith;
  leaveQueue(engine, call.sid);
  const dial = agent ? engine.run(agent)?.dial : undefined;
  if (!agent || !dial || dial.queueMember !== call.sid) return;
  const talked = Math.max(0, Math.round((at - (dial.bridgedAt ?? at)) / 1000));
  dialOver(engine, agent, dial.token, 'completed', at, { callSid: call.sid, durationSec: talked });
}

/** `<Dial><Queue>`: the agent is bridged with the caller waiting longest. */
export function dialQueue(engine: CallEngine, agent: CallRecord, target: Extract<DialTarget, { kind: 'queue' }>, at: number): void {
  const token = engine.run(agent.sid)?.dial?.token;
  if (token === undefined) return;
  const member = queues(engine)[target.name]?.members.find((sid) => !engine.run(sid)?.queue?.bridgedWith);
  if (!member) {
    engine.note(agent.sid, { kind: 'note', text: `queue "${target.name}" is empty` }, at);
    return dialOver(engine, agent.sid, token, 'no-answer', at);
  }
  setMembers(engine, target.name, (m) => m.filter((s) => s !== member));
  updateRun(engine.session, member, (r) => (r.queue ? { ...r, queue: { ...r.queue, bridgedWith: agent.sid } } : r));
  updateRun(engine.session, agent.sid, (r) => (r.dial ? { ...r, dial: { ...r.dial, bridged: member, bridgedAt: at, queueMember: member } } : r));
  engine.note(agent.sid, { kind: 'note', text: `bridged with ${member} from queue "${target.name}"` }, at);
  engine.note(member, { kind: 'note', text: `bridged with ${agent.sid}` }, at);
  engine.book(member, at + engine.settings.talkMs, { step: 'hangup' });
}

/** The agent's `<Dial><Queue>` ended first: the caller's `<Enqueue>` ends `bridged`, its TwiML goes on. */
export function releaseQueueMember(engine: CallEngine, agentSid: string, dial: DialRun, at: number): void {
  const member = dial.queueMember!;
  const run = engine.run(member);
  if (!run?.queue || run.queue.bridgedWith !== agentSid) return;
  const wait = run.interp?.wait;
  const queueTimeSec = Math.max(0, Math.round(((dial.bridgedAt ?? at) - run.queue.since) / 1000));
  updateRun(engine.session, member, (r) => ({ ...r, queue: null }));
  engine.cancelDialing(member); // the talk-time hang-up booked for the bridge
  if (wait?.kind === 'enqueue') engine.interpret(member, { type: 'queue-result', token: wait.token, result: 'bridged', queueSid: run.queue.queueSid, queueTimeSec }, at);
}

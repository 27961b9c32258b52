/**
 * Recorded callbacks, fired again: each is scheduled on the session's virtual clock at its
 * recorded offset after the request, and sent through the outbox to the URL found in *this* run's
 * request (the param the recording names), signed with *this* session's token by the dispatcher.
 */
import { materializePairs, type MaterializeContext } from '../cassette/materialize';
import type { Interaction, RecordedRequest } from '../cassette/types';
import type { MirraContext } from '../server/context';
import type { Session } from '../session/session';
import { newSid } from '../twilio/sid';
import { applyMessageCallback } from './apply-messages';
import { paramOf } from './identity';
import type { SessionReplayState } from './state';

/** Scheduler task kind of a replayed callback. */
export const REPLAY_CALLBACK_TASK = 'replay.callback';

/** What a scheduled replayed callback carries. */
export interface CallbackRef {
  seq: number;
  index: number;
  /** The URL from this run's request. */
  url: string;
  /** Session-clock instant of the request. */
  requestAt: number;
}

/**
 * Schedules the callbacks of a served interaction. Returns the `urlParam`s this request lacked
 * (those callbacks have nowhere to go and are not sent).
 */
export function scheduleCallbacks(ctx: MirraContext, session: Session, interaction: Interaction, request: RecordedRequest, requestAt: number): string[] {
  const missing: string[] = [];
  interaction.callbacks.forEach((cb, index) => {
    const url = paramOf(request, cb.urlParam);
    if (!url) {
      missing.push(cb.urlParam);
      return;
    }
    const ref: CallbackRef = { seq: interaction.seq, index, url, requestAt };
    ctx.scheduler.schedule(session, requestAt + cb.offsetMs, REPLAY_CALLBACK_TASK, ref);
  });
  return missing;
}

/** The SID a callback is about (its resource), to keep one resource's callbacks in order. */
function orderKeyOf(params: Record<string, string | string[]>, seq: number): string {
  for (const k of ['MessageSid', 'SmsSid', 'VerificationSid', 'CallSid', 'Sid']) {
    const v = params[k];
    if (typeof v === 'string' && v) return v;
  }
  return `replay:${seq}`;
}

/** Sends one replayed callback (the scheduler's handler); `at` is its due instant. False when there was none to send. */
export function fireCallback(ctx: MirraContext, session: Session, state: SessionReplayState, interaction: Interaction | undefined, ref: CallbackRef, at: number): boolean {
  const cb = interaction?.callbacks[ref.index];
  if (!interaction || !cb) return false; // the cassette changed under a persisted task
  const mctx: MaterializeContext = {
    accountSid: session.accountSid,
    aliases: state,
    instant: (ms) => state.timeline.instant(ms, [interaction.offsetMs + cb.offsetMs, at]),
    mint: newSid,
  };
  const params = ctx.store.transaction(() => materializePairs(cb.params, mctx));
  applyMessageCallback(session, params, at);
  const orderKey = orderKeyOf(params, interaction.seq);
  ctx.dispatcher.enqueue(session, {
    kind: REPLAY_CALLBACK_TASK,
    url: ref.url,
    params,
    orderKey,
    refs: { cassetteSeq: String(interaction.seq), ...(orderKey.startsWith('replay:') ? {} : { sid: orderKey }) },
  });
  return true;
}

/**
 * Recorded callbacks, fired again: each is scheduled on the session's virtual clock at its
 * recorded offset after the request, and sent through the outbox to the URL found in *this* run's
 * request (the param the recording names), signed with *this* session's token by the dispatcher.
 * The resource a callback is about applies it to its state (its replay hook, through its
 * lifecycle) and names the kind it goes out as.
 */
import { materializePairs, type MaterializeContext } from '../cassette/materialize';
import type { Interaction, RecordedRequest } from '../cassette/types';
import type { Commit, Outbox, Schedule } from '../core/ports';
import type { CallbackClaim } from '../core/resource-module';
import type { Session } from '../session/session';
import type { FormParams } from '../signing/signature';
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

/** What firing replayed callbacks uses. */
export interface CallbackDeps {
  commit: Commit;
  outbox: Outbox;
  mint(prefix: string): string;
  /** The resources' claims: the first that recognises the callback applies it and names its kind. */
  claim(session: Session, params: FormParams, at: number): CallbackClaim | undefined;
}

/**
 * Schedules the callbacks of a served interaction. Returns the `urlParam`s this request lacked
 * (those callbacks have nowhere to go and are not sent).
 */
export function scheduleCallbacks(schedule: Schedule, session: Session, interaction: Interaction, request: RecordedRequest, requestAt: number): string[] {
  const missing: string[] = [];
  interaction.callbacks.forEach((cb, index) => {
    const url = paramOf(request, cb.urlParam);
    if (!url) {
      missing.push(cb.urlParam);
      return;
    }
    const ref: CallbackRef = { seq: interaction.seq, index, url, requestAt };
    schedule.schedule(session, requestAt + cb.offsetMs, REPLAY_CALLBACK_TASK, ref);
  });
  return missing;
}

/** Sends one replayed callback (the scheduler's handler); `at` is its due instant. False when there was none to send. */
export function fireCallback(deps: CallbackDeps, session: Session, state: SessionReplayState, interaction: Interaction | undefined, ref: CallbackRef, at: number): boolean {
  const cb = interaction?.callbacks[ref.index];
  if (!interaction || !cb) return false; // the cassette changed under a persisted task
  const mctx: MaterializeContext = {
    accountSid: session.accountSid,
    aliases: state,
    instant: (ms) => state.timeline.instant(ms, [interaction.offsetMs + cb.offsetMs, at]),
    mint: deps.mint,
  };
  const params = deps.commit.transaction(() => materializePairs(cb.params, mctx));
  const claim = deps.claim(session, params, at);
  deps.outbox.enqueue(session, {
    kind: claim?.kind ?? REPLAY_CALLBACK_TASK,
    url: ref.url,
    params,
    orderKey: claim?.orderKey ?? `replay:${interaction.seq}`,
    refs: { cassetteSeq: String(interaction.seq), ...claim?.refs },
  });
  return true;
}

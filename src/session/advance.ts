/**
 * Advancing a session's virtual clock (`POST /_mirra/clock {"advanceMs"}`): every task that falls
 * due inside the window runs at its own due time — also the tasks booked while advancing, such
 * as a callback's retry one retry delay after a failed attempt (issue #15). The clock steps from
 * one due time to the next; at each step the due tasks run, then (when settling) the deliveries
 * they caused are attempted, since a failed attempt books its retry only once it has failed.
 */
import type { Session } from './session';

/** The scheduler as advancing uses it. */
export interface AdvanceScheduler {
  runDue(session: Session): Promise<void>;
  /** The due time of the session's earliest task, or undefined when none is pending. */
  nextDueAt(session: Session): number | undefined;
}

/** The outbox as advancing uses it. */
export interface AdvanceOutbox {
  whenIdle(session: Session): Promise<void>;
}

/**
 * Steps an advance may take. A retry is booked at least one retry delay later and a message has a
 * handful of steps, so a real window needs far fewer; the bound only stops a task that keeps
 * booking itself from holding the control plane forever (what is left runs on the next advance).
 */
export const MAX_ADVANCE_STEPS = 10_000;

/**
 * Moves `session`'s clock forward by `ms`, running what falls due on the way. With `settle`, each
 * step also waits until the deliveries it caused have been attempted (their retries then fall due
 * in the same window); without it, deliveries go on in the background as the tasks ran.
 */
export async function advanceClock(session: Session, ms: number, deps: { scheduler: AdvanceScheduler; outbox: AdvanceOutbox }, settle: boolean): Promise<void> {
  const target = session.clock.now() + ms;
  for (let step = 0; step < MAX_ADVANCE_STEPS; step++) {
    const next = deps.scheduler.nextDueAt(session);
    if (next === undefined || next > target) break;
    const now = session.clock.now();
    if (next > now) session.clock.advance(next - now);
    await deps.scheduler.runDue(session);
    if (settle) await deps.outbox.whenIdle(session);
  }
  const now = session.clock.now();
  if (target > now) session.clock.advance(target - now);
  await deps.scheduler.runDue(session);
  if (settle) await deps.outbox.whenIdle(session);
}

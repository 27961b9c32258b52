/**
 * advanceClock on its own: the clock visits each due time in order, settles after each step, ends
 * at the end of the window, and a task that keeps booking itself cannot hold it forever.
 */
import { SessionClock } from '../../src/clock';
import { advanceClock, MAX_ADVANCE_STEPS } from '../../src/session/advance';
import type { Session } from '../../src/session/session';

function frozenSession(at: number): Session {
  return { clock: new SessionClock({ now: () => 0 }, { offsetMs: 0, frozenAt: at }) } as unknown as Session;
}

describe('advanceClock', () => {
  it('steps to each due time, settling after each, including tasks booked on the way', async () => {
    const session = frozenSession(1000);
    const due = [1500, 3000];
    const seen: string[] = [];
    const scheduler = {
      nextDueAt: () => due[0],
      async runDue(s: Session) {
        while (due.length && due[0] <= s.clock.now()) {
          const at = due.shift()!;
          seen.push(`run@${at - 1000}`);
          if (at === 1500) due.splice(0, 0, 2500); // a retry booked while advancing, due before 3000
        }
      },
    };
    const outbox = { whenIdle: async (s: Session) => void seen.push(`idle@${s.clock.now() - 1000}`) };
    await advanceClock(session, 1800, { scheduler, outbox }, true);
    expect(seen).toEqual(['run@500', 'idle@500', 'run@1500', 'idle@1500', 'idle@1800']);
    expect(session.clock.now()).toBe(2800);
    expect(due).toEqual([3000]);
  });

  it('gives up after MAX_ADVANCE_STEPS when a task keeps booking itself at the same instant', async () => {
    const session = frozenSession(0);
    let runs = 0;
    const scheduler = { nextDueAt: () => 0, runDue: async () => void runs++ };
    await advanceClock(session, 10, { scheduler, outbox: { whenIdle: async () => undefined } }, true);
    expect(runs).toBe(MAX_ADVANCE_STEPS + 1);
    expect(session.clock.now()).toBe(10);
  });
});

import { SessionClock, type TimeSource } from '../../src/clock';
import { Scheduler, type TaskHandler } from '../../src/session/scheduler';
import { Session } from '../../src/session/session';
import { MemoryStore } from '../../src/store/memory-store';

function fakeTime(start = 1_000_000): TimeSource & { t: number } {
  const src = { t: start, now: () => src.t };
  return src;
}

describe('SessionClock', () => {
  it('follows real time plus an offset, and advances', () => {
    const time = fakeTime();
    const clock = new SessionClock(time, { offsetMs: 0, frozenAt: null });
    time.t += 50;
    expect(clock.now()).toBe(1_000_050);
    clock.advance(1000);
    expect(clock.now()).toBe(1_001_050);
  });

  it('stands still when frozen and resumes from where it stood', () => {
    const time = fakeTime();
    const clock = new SessionClock(time, { offsetMs: 0, frozenAt: null });
    clock.freeze();
    time.t += 5000;
    expect(clock.now()).toBe(1_000_000);
    clock.advance(10);
    expect(clock.now()).toBe(1_000_010);
    expect(clock.realDelayUntil(1_000_020)).toBe(Infinity);
    clock.resume();
    time.t += 1;
    expect(clock.now()).toBe(1_000_011);
  });
});

describe('Scheduler', () => {
  function setup() {
    const store = new MemoryStore();
    const time = fakeTime();
    const session = new Session(
      { id: 's', accountSid: 'AC', authTokenHash: '', tokenGiven: false, apiKeys: [], seed: { name: 't' }, clock: { offsetMs: 0, frozenAt: 1_000_000 }, createdAt: 0 },
      store,
      time,
      'tok',
    );
    const ran: [string, number][] = [];
    const handlers = new Map<string, TaskHandler>([
      ['log', (_s, ref: { name: string }, at) => void ran.push([ref.name, at])],
      ['chain', (s, ref: { n: number }, at) => {
        ran.push([`chain${ref.n}`, at]);
        if (ref.n < 3) scheduler.schedule(s, at + 100, 'chain', { n: ref.n + 1 });
      }],
      ['boom', () => { throw new Error('boom'); }],
    ]);
    const errors: unknown[] = [];
    const scheduler: Scheduler = new Scheduler(store, handlers, (err) => errors.push(err));
    scheduler.attach(session);
    return { store, session, scheduler, ran, errors };
  }

  it('runs due tasks in time order, each at its own due time, including tasks they schedule', async () => {
    const { session, scheduler, ran } = setup();
    scheduler.schedule(session, 1_000_300, 'log', { name: 'b' });
    scheduler.schedule(session, 1_000_100, 'log', { name: 'a' });
    scheduler.schedule(session, 1_000_050, 'chain', { n: 1 });
    session.clock.advance(260);
    await scheduler.runDue(session);
    expect(ran).toEqual([['chain1', 1_000_050], ['a', 1_000_100], ['chain2', 1_000_150], ['chain3', 1_000_250]]);
    expect(scheduler.pending(session).map((t) => t.ref)).toEqual([{ name: 'b' }]);
  });

  it('persists tasks so a new scheduler resumes them', async () => {
    const { store, session, scheduler } = setup();
    scheduler.schedule(session, 1_000_010, 'log', { name: 'later' });
    scheduler.close();
    const ran: string[] = [];
    const again = new Scheduler(store, new Map([['log', (_s: Session, ref: { name: string }) => void ran.push(ref.name)]]), () => undefined);
    again.attach(session);
    session.clock.advance(10);
    await again.runDue(session);
    expect(ran).toEqual(['later']);
  });

  it('reports a failing task and carries on', async () => {
    const { session, scheduler, ran, errors } = setup();
    scheduler.schedule(session, 1_000_001, 'boom', {});
    scheduler.schedule(session, 1_000_002, 'log', { name: 'after' });
    session.clock.advance(5);
    await scheduler.runDue(session);
    expect(errors).toHaveLength(1);
    expect(ran).toEqual([['after', 1_000_002]]);
  });

  it('cancels matching tasks', async () => {
    const { session, scheduler, ran } = setup();
    scheduler.schedule(session, 1_000_001, 'log', { name: 'x' });
    scheduler.schedule(session, 1_000_001, 'log', { name: 'y' });
    scheduler.cancel(session, 'log', (ref: { name: string }) => ref.name === 'x');
    session.clock.advance(5);
    await scheduler.runDue(session);
    expect(ran.map((r) => r[0])).toEqual(['y']);
  });
});

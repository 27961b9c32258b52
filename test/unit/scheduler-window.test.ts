/**
 * The scheduler holds only the earliest tasks of a session in memory (issue #14: no unbounded
 * per-session arrays); the rest wait in the store. With a window of 3 and many more tasks, every
 * task still runs once, in due order (ties in scheduling order), including tasks scheduled while
 * it runs, cancelled ones never run, the control plane lists them all, and a new scheduler resumes.
 */
import { Scheduler, type TaskHandler } from '../../src/session/scheduler';
import { Session } from '../../src/session/session';
import { keys } from '../../src/store/keys';
import { MemoryStore } from '../../src/store/memory-store';

const START = 1_000_000;

function setup(store = new MemoryStore()) {
  const time = { now: () => START };
  const session = new Session(
    { id: 's', accountSid: 'AC', authTokenHash: '', tokenGiven: false, apiKeys: [], seed: { name: 't' }, clock: { offsetMs: 0, frozenAt: START }, createdAt: 0 },
    store,
    time,
    'tok',
  );
  const ran: [string, number][] = [];
  const handlers = new Map<string, TaskHandler>([
    ['log', (_s, ref: { name: string }, at) => void ran.push([ref.name, at])],
    // Schedules another task, earlier than most of those waiting in the store.
    ['spawn', (s, ref: { name: string }, at) => {
      ran.push([ref.name, at]);
      scheduler.schedule(s, at + 1, 'log', { name: `${ref.name}+1` });
    }],
  ]);
  const scheduler: Scheduler = new Scheduler(store, handlers, (err) => {
    throw err;
  }, { window: 3 });
  scheduler.attach(session);
  return { store, session, scheduler, ran };
}

/** Due times out of order, with ties. */
const DUE = [50, 10, 90, 10, 30, 70, 20, 60, 40, 80, 100, 5];

describe('Scheduler window', () => {
  it('runs every task once, in due order, however few it holds in memory', async () => {
    const { session, scheduler, ran } = setup();
    DUE.forEach((d, i) => scheduler.schedule(session, START + d, i === 4 ? 'spawn' : 'log', { name: `t${i}` }));
    expect(scheduler.pending(session)).toHaveLength(DUE.length);
    session.clock.advance(200);
    await scheduler.runDue(session);
    const expected = DUE.map((d, i) => [`t${i}`, START + d] as [string, number]);
    expected.push(['t4+1', START + 31]);
    expected.sort((a, b) => a[1] - b[1] || DUE.indexOf(a[1] - START) - DUE.indexOf(b[1] - START));
    expect(ran.map((r) => r[1])).toEqual(expected.map((e) => e[1]));
    expect(new Set(ran.map((r) => r[0]))).toEqual(new Set(expected.map((e) => e[0])));
    expect(ran.filter((r) => r[1] === START + 10).map((r) => r[0])).toEqual(['t1', 't3']); // ties: scheduling order
    expect(scheduler.pending(session)).toEqual([]);
  });

  it('cancels tasks waiting in the store as well as those in memory', async () => {
    const { session, scheduler, ran } = setup();
    DUE.forEach((d, i) => scheduler.schedule(session, START + d, 'log', { name: `t${i}` }));
    scheduler.cancel(session, 'log', (ref: { name: string }) => ['t11', 't10', 't2'].includes(ref.name)); // earliest and latest
    expect(scheduler.pending(session)).toHaveLength(DUE.length - 3);
    session.clock.advance(200);
    await scheduler.runDue(session);
    expect(ran.map((r) => r[0]).sort()).toEqual(DUE.map((_d, i) => `t${i}`).filter((n) => !['t11', 't10', 't2'].includes(n)).sort());
  });

  it('runs tasks as their time comes, a few at a time, and a new scheduler resumes the rest', async () => {
    const { store, session, scheduler, ran } = setup();
    DUE.forEach((d, i) => scheduler.schedule(session, START + d, 'log', { name: `t${i}` }));
    session.clock.advance(35);
    await scheduler.runDue(session);
    expect(ran.map((r) => r[1] - START)).toEqual([5, 10, 10, 20, 30]);
    scheduler.close();
    const again = setup(store);
    again.session.clock.advance(200);
    await again.scheduler.runDue(again.session);
    expect(again.ran.map((r) => r[1] - START)).toEqual([40, 50, 60, 70, 80, 90, 100]);
    expect([...store.range({ prefix: keys.tasks('s') })]).toEqual([]);
  });
});

/**
 * Derived tasks (`Scheduler.book`): visits held in memory only, rebuilt from the records at
 * attach. They run in one due order with stored tasks, cancel and list like them, and survive a
 * restart from their records alone; each kind's mark in the store lets a start skip the records
 * that need no visit, and never skips one that does.
 */
import { MARK_EVERY, type DerivedTaskKind } from '../../src/session/derived-queue';
import { Scheduler, type TaskHandler } from '../../src/session/scheduler';
import { Session } from '../../src/session/session';
import { keys } from '../../src/store/keys';
import { MemoryStore } from '../../src/store/memory-store';
import type { Store } from '../../src/store/store';

const START = 1_000_000;
const VISIT = 'toy.visit';

/** A toy record: due at `due` until visited. Stored under its number, as a collection stores records. */
interface Toy {
  due: number | null;
}

const toyKey = (seq: number) => keys.order('s', 'toys', seq);

function setup(store: Store = new MemoryStore(), opts: { failOn?: number; detachOn?: number } = {}) {
  const session = new Session(
    { id: 's', accountSid: 'AC', authTokenHash: '', tokenGiven: false, apiKeys: [], seed: { name: 't' }, clock: { offsetMs: 0, frozenAt: START }, createdAt: 0 },
    store,
    { now: () => START },
    'tok',
  );
  const ran: string[] = [];
  const recoveredFrom: number[] = [];
  const errors: unknown[] = [];
  const toy: DerivedTaskKind = {
    run: (_s, ref, at) => {
      if (ref === opts.failOn) throw new Error(`toy ${ref} fails`);
      const rec = store.get<Toy>(toyKey(ref));
      if (!rec || rec.due === null || rec.due > at) return;
      ran.push(`toy${ref}@${at - START}`);
      store.put(toyKey(ref), { due: null } satisfies Toy);
      if (ref === opts.detachOn) scheduler.detach('s'); // as a reset does
    },
    recover: (_s, from, book) => {
      recoveredFrom.push(from);
      for (const { key, value } of store.range<Toy>({ prefix: keys.orders('s', 'toys'), from: toyKey(from) })) {
        if (value.due !== null) book(value.due, Number(key.slice(key.lastIndexOf('\u001f') + 1)));
      }
    },
  };
  const handlers = new Map<string, TaskHandler>([['log', (_s, ref: { name: string }, at) => void ran.push(`${ref.name}@${at - START}`)]]);
  const scheduler = new Scheduler(store, handlers, (err) => errors.push(err), { derived: new Map([[VISIT, toy]]) });
  scheduler.attach(session);
  /** Stores toy record `seq` due `dueIn` ms from the start, and books its visit. */
  const add = (seq: number, dueIn: number) => {
    store.put(toyKey(seq), { due: START + dueIn } satisfies Toy);
    scheduler.book(session, START + dueIn, VISIT, seq);
  };
  const runUntil = async (ms: number) => {
    session.clock.advance(START + ms - session.clock.now());
    await scheduler.runDue(session);
  };
  return { store, session, scheduler, ran, recoveredFrom, errors, add, runUntil };
}

describe('Scheduler derived tasks', () => {
  it('run with stored tasks in one due order, ties in booking order; list, cancel and report the next due time like them', async () => {
    const { session, scheduler, ran, add, runUntil } = setup();
    add(1, 30);
    scheduler.schedule(session, START + 10, 'log', { name: 'a' });
    add(2, 10);
    scheduler.schedule(session, START + 30, 'log', { name: 'b' });
    add(3, 20);
    add(4, 40);
    expect(scheduler.nextDueAt(session)).toBe(START + 10);
    expect(scheduler.pending(session).map((t) => [t.kind, t.at - START])).toEqual([['log', 10], [VISIT, 10], [VISIT, 20], [VISIT, 30], ['log', 30], [VISIT, 40]]);
    expect(scheduler.pending(session, 'log').map((t) => t.at - START)).toEqual([10, 30]);
    expect(scheduler.pending(session, VISIT).map((t) => t.ref)).toEqual([2, 3, 1, 4]);
    scheduler.cancel(session, VISIT, (ref: number) => ref === 4);
    await runUntil(100);
    expect(ran).toEqual(['a@10', 'toy2@10', 'toy3@20', 'toy1@30', 'b@30']);
    expect(scheduler.pending(session)).toEqual([]);
    expect(scheduler.nextDueAt(session)).toBeUndefined();
  });

  it('refuses a kind that is not derived', () => {
    const { session, scheduler } = setup();
    expect(() => scheduler.book(session, START, 'log', 1)).toThrow('no derived task kind log');
  });

  it('stores no task: a new scheduler rebuilds the visits from the records, and runs each once', async () => {
    const store = new MemoryStore();
    const first = setup(store);
    for (let seq = 1; seq <= 5; seq++) first.add(seq, seq * 10);
    await first.runUntil(25);
    expect(first.ran).toEqual(['toy1@10', 'toy2@20']);
    expect([...store.range({ prefix: keys.tasks('s') })]).toEqual([]);
    first.scheduler.close();
    const again = setup(store);
    expect(again.recoveredFrom).toEqual([0]);
    await again.runUntil(100);
    expect(again.ran).toEqual(['toy3@30', 'toy4@40', 'toy5@50']);
  });

  it('raises the mark every MARK_EVERY visits and when none is pending; a start reads from it', async () => {
    const store = new MemoryStore();
    const first = setup(store);
    const n = MARK_EVERY + 10;
    for (let seq = 1; seq <= n; seq++) first.add(seq, seq);
    await first.runUntil(MARK_EVERY);
    // MARK_EVERY visits: records 1..MARK_EVERY are done, the lowest pending is the next.
    expect(store.get(keys.taskMark('s', VISIT))).toBe(MARK_EVERY + 1);
    first.scheduler.close();
    const second = setup(store);
    expect(second.recoveredFrom).toEqual([MARK_EVERY + 1]);
    await second.runUntil(n);
    expect(second.ran).toHaveLength(10);
    // None pending: one past the highest booked.
    expect(store.get(keys.taskMark('s', VISIT))).toBe(n + 1);
    second.scheduler.close();
    expect(setup(store).recoveredFrom).toEqual([n + 1]);
  });

  it('lowers the mark when a record below it is booked again, so a restart still visits it', async () => {
    const store = new MemoryStore();
    const first = setup(store);
    first.add(1, 10);
    first.add(2, 20);
    await first.runUntil(30);
    expect(store.get(keys.taskMark('s', VISIT))).toBe(3);
    first.add(1, 50); // record 1 has a visit to come again
    first.scheduler.close();
    const again = setup(store);
    expect(again.recoveredFrom).toEqual([1]);
    await again.runUntil(60);
    expect(again.ran).toEqual(['toy1@50']);
  });

  it('reports a visit that throws, undoes its writes and carries on with the rest', async () => {
    const { store, ran, errors, add, runUntil } = setup(new MemoryStore(), { failOn: 2 });
    add(1, 10);
    add(2, 20);
    add(3, 30);
    await runUntil(40);
    expect(ran).toEqual(['toy1@10', 'toy3@30']);
    expect(errors).toEqual([new Error('toy 2 fails')]);
    expect(store.get<Toy>(toyKey(2))!.due).toBe(START + 20);
  });

  it('stops a run when its session is detached (a reset): the rest is not the new data\'s work', async () => {
    const { ran, add, runUntil } = setup(new MemoryStore(), { detachOn: 1 });
    add(1, 10);
    add(2, 20);
    await runUntil(30);
    expect(ran).toEqual(['toy1@10']);
  });

  it('removes tasks an earlier version stored for a kind now derived, and rebuilds from the first record', async () => {
    const store = new MemoryStore();
    store.put(toyKey(1), { due: START + 10 } satisfies Toy);
    store.put(keys.taskMark('s', VISIT), 5); // whatever a mark says, stored tasks name records it never covered
    store.put(keys.task('s', START + 10, 7), { at: START + 10, seq: 7, kind: VISIT, ref: { sid: 'old' } });
    const { recoveredFrom, ran, runUntil } = setup(store);
    expect(recoveredFrom).toEqual([0]);
    expect([...store.range({ prefix: keys.tasks('s') })]).toEqual([]);
    await runUntil(20);
    expect(ran).toEqual(['toy1@10']);
  });
});

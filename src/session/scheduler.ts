/**
 * Durable scheduled work on each session's virtual clock (message transitions, Verify expiry,
 * callback retries). A restarted mirror resumes every task; in real-time mode a single timer per
 * session wakes up for the earliest task, and `advance` runs every task that falls due, in time
 * order, each seeing its own due time as "now".
 *
 * Two sorts of task. A stored task is written to the store (`schedule`). A derived task (`book`)
 * is the visit of a record that itself says when it is due (a message's plan): it is held in
 * memory only, and a start rebuilds it from the records (`DerivedTaskKind.recover`). A stored
 * task cost a create a put, and its visit a removal and a read back: ~9% of a create's CPU
 * (bench/PROFILING.md row 36). So that a start need not read every record, each kind keeps a mark
 * in the store: no record below it needs a visit.
 */
import { MirraError } from '../errors';
import { keys } from '../store/keys';
import type { Store } from '../store/store';
import { DerivedKinds, DerivedQueue, type DerivedTaskKind } from './derived-queue';
import type { Session } from './session';

export type { DerivedTaskKind } from './derived-queue';

/** A persisted task: what to run (`kind`, a registered handler) and its argument. */
export interface Task {
  at: number;
  seq: number;
  kind: string;
  ref: unknown;
}

/** Runs a task: `at` is the virtual instant it was due, to use as "now". */
export type TaskHandler = (session: Session, ref: any, at: number) => void | Promise<void>;

/** Reports a handler's failure (it is logged, never swallowed, and never stops the queue). */
export type TaskErrorReporter = (err: unknown, task: Task, session: Session) => void;

/**
 * Index of the first task due after `at` in `tasks` (sorted by due time): where a task due at `at`
 * goes, after those due at the same instant. A binary search, as the queue holds every pending
 * step of every message created in the last few seconds.
 */
function upperBound(tasks: readonly { at: number }[], at: number): number {
  let lo = 0;
  let hi = tasks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tasks[mid].at <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A task held in memory, with its store key. */
type HeldTask = Task & { key: string };

/**
 * `task` with its key, built field by field: a spread followed by a new field (`{ ...task, key }`)
 * is V8's slow path, ~0.5 µs against ~0.01 (bench/PROFILING.md row 32).
 */
function held(task: Task, key: string): HeldTask {
  return { at: task.at, seq: task.seq, kind: task.kind, ref: task.ref, key };
}

interface Queue {
  /** The earliest stored tasks, in due order: at most the scheduler's window of them. */
  tasks: HeldTask[];
  /** Stored tasks due after the last of `tasks` wait in the store only (read back as the window empties). */
  spilled: boolean;
  /** Every pending derived task. */
  derived: DerivedQueue;
  timer: NodeJS.Timeout | null;
  /** The run in progress, which a second caller waits for instead of starting its own. */
  running: Promise<void> | null;
}

/**
 * How many pending tasks of a session are held in memory. Every task is in the store; memory
 * holds the earliest, so a session with 50,000 messages waiting on a frozen clock does not hold
 * 50,000 tasks on the heap (issue #14).
 */
export const TASK_WINDOW = 1024;

/** Options of a {@link Scheduler}. */
export interface SchedulerOptions {
  /** How many stored tasks of a session are held in memory (see {@link TASK_WINDOW}). */
  window?: number;
  /** The derived task kinds, by name (filled before any session is attached). */
  derived?: Map<string, DerivedTaskKind>;
}

/** The scheduler of every session of a mirror. */
export class Scheduler {
  private readonly queues = new Map<string, Queue>();
  private seq = 0;
  private closed = false;
  private readonly window: number;
  private readonly kinds: DerivedKinds;

  constructor(
    private readonly store: Store,
    private readonly handlers: Map<string, TaskHandler>,
    private readonly onError: TaskErrorReporter,
    options: SchedulerOptions = {},
  ) {
    this.window = options.window ?? TASK_WINDOW;
    this.kinds = new DerivedKinds(options.derived);
  }

  /** Loads a session's stored tasks and rebuilds its derived ones (at start-up or after a reset); arms its timer. */
  attach(session: Session): void {
    const q = this.newQueue(session);
    const legacy: string[] = [];
    // Task seqs grow across sessions: the newest task of the session's key space names its seq.
    for (const { key, value } of this.store.range<Task>({ prefix: keys.tasks(session.id) })) {
      this.seq = Math.max(this.seq, value.seq);
      if (this.kinds.id(value.kind) !== -1) legacy.push(key); // stored before its kind was derived
    }
    if (legacy.length > 0) this.store.transaction(() => legacy.forEach((key) => this.store.remove(key)));
    this.refill(session.id, q);
    this.queues.set(session.id, q);
    q.derived.recover(legacy.length > 0, () => ++this.seq);
    this.arm(session);
  }

  /** Forgets a session's in-memory queue (its persisted tasks go with its data). */
  detach(sessionId: string): void {
    const q = this.queues.get(sessionId);
    if (q?.timer) clearTimeout(q.timer);
    this.queues.delete(sessionId);
  }

  /** Schedules `kind(ref)` at virtual instant `at`, as a stored task. */
  schedule(session: Session, at: number, kind: string, ref: unknown): void {
    if (!this.handlers.has(kind)) throw new MirraError('MIRRA_ERR_INTERNAL', `no task handler for ${kind}`);
    const task: Task = { at, seq: ++this.seq, kind, ref };
    const key = keys.task(session.id, at, task.seq);
    this.store.put(key, task);
    const q = this.queue(session);
    const earliest = earliestAt(q);
    const i = upperBound(q.tasks, at);
    // Due after every task held, with more waiting in the store: it waits there too.
    if (q.spilled && i === q.tasks.length) return;
    q.tasks.splice(i, 0, held(task, key));
    if (q.tasks.length > this.window) {
      q.tasks.pop(); // still in the store
      q.spilled = true;
    }
    // The timer follows the earliest task: only a new earliest task moves it.
    if (at < earliest) this.arm(session);
  }

  /**
   * Books derived task `kind` for the record numbered `ref` at virtual instant `at`, in memory
   * only: the record is stored (or is being stored in the same transaction) saying it needs it.
   */
  book(session: Session, at: number, kind: string, ref: number): void {
    const k = this.kinds.id(kind);
    if (k === -1) throw new MirraError('MIRRA_ERR_INTERNAL', `no derived task kind ${kind}`);
    const q = this.queue(session);
    const earliest = earliestAt(q);
    q.derived.book(at, ++this.seq, k, ref);
    if (at < earliest) this.arm(session);
  }

  /** Removes scheduled tasks of `kind` whose ref satisfies `match` (e.g. a cancelled message's steps). */
  cancel(session: Session, kind: string, match: (ref: any) => boolean): void {
    const q = this.queue(session);
    const k = this.kinds.id(kind);
    if (k !== -1) return q.derived.cancel(k, match);
    q.tasks = q.tasks.filter((t) => {
      if (t.kind !== kind || !match(t.ref)) return true;
      this.store.remove(t.key);
      return false;
    });
    if (!q.spilled) return;
    for (const { key, value } of [...this.store.range<Task>({ prefix: keys.tasks(session.id) })]) {
      if (value.kind === kind && match(value.ref)) this.store.remove(key);
    }
  }

  /**
   * Tasks still waiting (of `kind` only, when given), in due order, for the control plane. A
   * derived task's ref is its record's number.
   */
  pending(session: Session, kind?: string): Task[] {
    const q = this.queue(session);
    const k = kind === undefined ? undefined : this.kinds.id(kind);
    const out: Task[] = [];
    if (k === undefined || k === -1) {
      const stored = q.spilled ? [...this.store.range<Task>({ prefix: keys.tasks(session.id) })].map((e) => e.value) : q.tasks.map(({ key: _key, ...t }) => t);
      for (const t of stored) if (kind === undefined || t.kind === kind) out.push(t);
    }
    if (k !== -1) q.derived.heap.forEach((at, order, kk, ref) => (k === undefined || kk === k) && out.push({ at, seq: order, kind: this.kinds.name(kk), ref }));
    return out.sort((a, b) => a.at - b.at || a.seq - b.seq);
  }

  /** The due time of the session's earliest pending task, or undefined when none is pending. */
  nextDueAt(session: Session): number | undefined {
    const at = earliestAt(this.queue(session));
    return at === Infinity ? undefined : at;
  }

  /**
   * Runs every task due on the session's clock, in order, including ones they schedule. A call
   * while a run is in progress (the timer's, or another request's) resolves when that run ends, so
   * a caller that awaits it knows the due tasks have run.
   */
  runDue(session: Session): Promise<void> {
    const q = this.queue(session);
    q.running ??= this.drain(session, q).finally(() => {
      q.running = null;
      this.arm(session);
    });
    return q.running;
  }

  private async drain(session: Session, q: Queue): Promise<void> {
    for (;;) {
      if (q.tasks.length === 0 && q.spilled) this.refill(session.id, q);
      // Closed, or the session was detached (a reset): what is left here is not its work any more.
      if (this.closed || this.queues.get(session.id) !== q) return;
      const now = session.clock.now();
      const heap = q.derived.heap;
      const stored = q.tasks[0];
      if (heap.size > 0 && (stored === undefined || heap.topAt() < stored.at || (heap.topAt() === stored.at && heap.topOrder() < stored.seq))) {
        if (heap.topAt() > now) return;
        await this.runDerived(session, q.derived);
        continue;
      }
      if (stored === undefined || stored.at > now) return;
      const task = q.tasks.shift()!;
      const handler = this.handlers.get(task.kind);
      try {
        // The task's removal and its handler's synchronous writes commit together: one commit per
        // step instead of two (commits are most of a step's cost), and no crash between them.
        await this.store.transaction(() => {
          this.store.remove(task.key);
          return handler?.(session, task.ref, task.at);
        });
      } catch (err) {
        this.store.remove(task.key); // a failed task is reported, not run again
        this.onError(err, task, session);
      }
    }
  }

  /** Runs the earliest derived task. */
  private async runDerived(session: Session, derived: DerivedQueue): Promise<void> {
    const { at, order, kind, ref } = derived.take();
    try {
      await this.store.transaction(() => this.kinds.kind(kind).run(session, ref, at));
    } catch (err) {
      // Reported, not run again (as a stored task). A start before the mark passes it visits it
      // again: a visit with nothing due does nothing, so at worst it fails again.
      this.onError(err, { at, seq: order, kind: this.kinds.name(kind), ref }, session);
      return;
    }
    derived.visited(kind);
  }

  /** Stops all timers; persisted tasks stay for the next start. */
  close(): void {
    this.closed = true;
    for (const q of this.queues.values()) if (q.timer) clearTimeout(q.timer);
  }

  private queue(session: Session): Queue {
    let q = this.queues.get(session.id);
    if (!q) {
      q = this.newQueue(session);
      this.queues.set(session.id, q);
    }
    return q;
  }

  private newQueue(session: Session): Queue {
    return { tasks: [], spilled: false, derived: new DerivedQueue(this.store, session, this.kinds), timer: null, running: null };
  }

  /** Reads the earliest stored tasks of a session from the store into an empty window. */
  private refill(sessionId: string, q: Queue): void {
    const tasks: HeldTask[] = [];
    for (const { key, value } of this.store.range<Task>({ prefix: keys.tasks(sessionId), limit: this.window + 1 })) tasks.push(held(value, key));
    q.spilled = tasks.length > this.window;
    if (q.spilled) tasks.pop();
    q.tasks = tasks;
  }

  private arm(session: Session): void {
    const q = this.queues.get(session.id);
    if (!q || this.closed) return;
    if (q.timer) clearTimeout(q.timer);
    q.timer = null;
    if (q.tasks.length === 0 && q.spilled) this.refill(session.id, q);
    const at = earliestAt(q);
    if (at === Infinity || q.running) return;
    const delay = session.clock.realDelayUntil(at);
    if (delay === Infinity) return;
    q.timer = setTimeout(() => void this.runDue(session), Math.min(delay, 2_147_000_000));
    q.timer.unref?.();
  }
}

/** When the earliest task held (stored or derived) is due; Infinity when none is. */
function earliestAt(q: Queue): number {
  const first = q.tasks[0];
  const derived = q.derived.heap.topAt();
  return first === undefined || derived < first.at ? derived : first.at;
}

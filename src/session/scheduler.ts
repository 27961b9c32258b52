/**
 * Durable scheduled work on each session's virtual clock (message transitions, Verify expiry,
 * callback retries). Tasks are persisted, so a restarted mirror resumes them; in real-time mode a
 * single timer per session wakes up for the earliest task, and `advance` runs every task that falls
 * due, in time order, each seeing its own due time as "now".
 */
import { MirraError } from '../errors';
import { keys } from '../store/keys';
import type { Store } from '../store/store';
import type { Session } from './session';

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
  /** The earliest tasks, in due order: at most the scheduler's window of them. */
  tasks: HeldTask[];
  /** Tasks due after the last of `tasks` wait in the store only (read back as the window empties). */
  spilled: boolean;
  timer: NodeJS.Timeout | null;
  /** The run in progress, which a second caller waits for instead of starting its own. */
  running: Promise<void> | null;
}

/**
 * How many of a session's pending tasks are held in memory. Every task is in the store; memory
 * holds the earliest, so a session with 50,000 messages waiting on a frozen clock does not hold
 * 50,000 tasks on the heap (issue #14).
 */
export const TASK_WINDOW = 1024;

/** The scheduler of every session of a mirror. */
export class Scheduler {
  private readonly queues = new Map<string, Queue>();
  private seq = 0;
  private closed = false;

  /** `window`: how many pending tasks of a session are held in memory (see {@link TASK_WINDOW}). */
  constructor(
    private readonly store: Store,
    private readonly handlers: Map<string, TaskHandler>,
    private readonly onError: TaskErrorReporter,
    private readonly window = TASK_WINDOW,
  ) {}

  /** Loads a session's persisted tasks (at start-up or after a reset) and arms its timer. */
  attach(session: Session): void {
    const q: Queue = { tasks: [], spilled: false, timer: null, running: null };
    // Task seqs grow across sessions: the newest task of the session's key space names its seq.
    for (const { value } of this.store.range<Task>({ prefix: keys.tasks(session.id) })) this.seq = Math.max(this.seq, value.seq);
    this.refill(session.id, q);
    this.queues.set(session.id, q);
    this.arm(session);
  }

  /** Forgets a session's in-memory queue (its persisted tasks go with its data). */
  detach(sessionId: string): void {
    const q = this.queues.get(sessionId);
    if (q?.timer) clearTimeout(q.timer);
    this.queues.delete(sessionId);
  }

  /** Schedules `kind(ref)` at virtual instant `at`. */
  schedule(session: Session, at: number, kind: string, ref: unknown): void {
    if (!this.handlers.has(kind)) throw new MirraError('MIRRA_ERR_INTERNAL', `no task handler for ${kind}`);
    const task: Task = { at, seq: ++this.seq, kind, ref };
    const key = keys.task(session.id, at, task.seq);
    this.store.put(key, task);
    const q = this.queue(session);
    const i = upperBound(q.tasks, at);
    // Due after every task held, with more waiting in the store: it waits there too.
    if (q.spilled && i === q.tasks.length) return;
    q.tasks.splice(i, 0, held(task, key));
    if (q.tasks.length > this.window) {
      q.tasks.pop(); // still in the store
      q.spilled = true;
    }
    // The timer follows the earliest task: only a new earliest task moves it.
    if (i === 0) this.arm(session);
  }

  /** Removes scheduled tasks of `kind` whose ref satisfies `match` (e.g. a cancelled message's steps). */
  cancel(session: Session, kind: string, match: (ref: any) => boolean): void {
    const q = this.queue(session);
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

  /** Tasks still waiting, for the control plane. */
  pending(session: Session): Task[] {
    const q = this.queue(session);
    if (q.spilled) return [...this.store.range<Task>({ prefix: keys.tasks(session.id) })].map((e) => e.value);
    return q.tasks.map(({ key: _key, ...t }) => t);
  }

  /** The due time of the session's earliest pending task, or undefined when none is pending. */
  nextDueAt(session: Session): number | undefined {
    return this.queue(session).tasks[0]?.at;
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
      if (this.closed || q.tasks.length === 0 || q.tasks[0].at > session.clock.now()) return;
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

  /** Stops all timers; persisted tasks stay for the next start. */
  close(): void {
    this.closed = true;
    for (const q of this.queues.values()) if (q.timer) clearTimeout(q.timer);
  }

  private queue(session: Session): Queue {
    let q = this.queues.get(session.id);
    if (!q) {
      q = { tasks: [], spilled: false, timer: null, running: null };
      this.queues.set(session.id, q);
    }
    return q;
  }

  /** Reads the earliest tasks of a session from the store into an empty window. */
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
    if (q.tasks.length === 0 || q.running) return;
    const delay = session.clock.realDelayUntil(q.tasks[0].at);
    if (delay === Infinity) return;
    q.timer = setTimeout(() => void this.runDue(session), Math.min(delay, 2_147_000_000));
    q.timer.unref?.();
  }
}

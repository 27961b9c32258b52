/**
 * A session's derived tasks (see `Scheduler.book`): visits of records that themselves say when
 * they are due. They are held in memory only, every pending one in a {@link TaskHeap}, and rebuilt
 * from the records when the session is attached. So that a start need not read every record, each
 * kind keeps a mark in the store: no record below it needs a visit.
 *
 * Why the mark is safe whatever fails: the store's mark is only ever written as the lowest ref
 * pending in the heap (or, with none pending, one past the highest booked), and the heap holds
 * every booked visit not yet run or cancelled. A raise undone with its transaction leaves the
 * store's mark below the one remembered here, which costs a start a few more records read; a
 * lowering is written as the visit is booked, so it is undone only with the booking's transaction.
 */
import { keys } from '../store/keys';
import type { Store } from '../store/store';
import type { Session } from './session';
import { TaskHeap } from './task-heap';

/**
 * A kind of derived task: the visit of one record of a collection, named by its sequence number
 * there (`ref`). The record holds all the task needs, so a start rebuilds the task from it.
 */
export interface DerivedTaskKind {
  /** Runs the visit of record `ref` due at `at` (a record deleted meanwhile is not an error). */
  run(session: Session, ref: number, at: number): void | Promise<void>;
  /** Books, with `book`, the visit of every record from number `from` on that needs one. */
  recover(session: Session, from: number, book: (at: number, ref: number) => void): void;
}

/**
 * How many visits of a kind pass between two raises of its mark (each scans the heap): the mark
 * lags at most this far, so a start reads at most this many records more than it needs.
 */
export const MARK_EVERY = 1024;

/** The derived kinds of a mirror, each with the small number the heaps hold for it. */
export class DerivedKinds {
  private readonly names: string[] = [];
  private readonly ids = new Map<string, number>();

  /** `kinds` may be filled after this is made, before any session is attached. */
  constructor(private readonly kinds: Map<string, DerivedTaskKind> = new Map()) {}

  /** The number of kind `name`, or -1 when it is not a derived kind. */
  id(name: string): number {
    let k = this.ids.get(name);
    if (k === undefined) {
      if (!this.kinds.has(name)) return -1;
      k = this.names.push(name) - 1;
      this.ids.set(name, k);
    }
    return k;
  }

  name(k: number): string {
    return this.names[k];
  }

  kind(k: number): DerivedTaskKind {
    return this.kinds.get(this.names[k])!;
  }

  /** Every kind's number. */
  all(): number[] {
    return [...this.kinds.keys()].map((name) => this.id(name));
  }
}

/** A kind's mark in one session. */
interface Mark {
  /** The mark last raised in the store (the store's is at or below it). */
  stored: number;
  /** One past the highest ref booked: the mark once no task of the kind is pending. */
  high: number;
  /** Tasks of the kind in the heap. */
  count: number;
  /** Visits since the mark was last reconsidered. */
  runs: number;
}

/** The earliest derived task, as {@link DerivedQueue.take} hands it out. */
export interface DerivedTask {
  at: number;
  order: number;
  kind: number;
  ref: number;
}

/** One session's derived tasks. */
export class DerivedQueue {
  readonly heap = new TaskHeap();
  private readonly marks: Mark[] = [];

  constructor(
    private readonly store: Store,
    private readonly session: Session,
    private readonly kinds: DerivedKinds,
  ) {}

  /**
   * Books every kind's visits from its records, from the mark on (from the first record when
   * `fromStart`: tasks an earlier version stored name records no mark covers).
   */
  recover(fromStart: boolean, nextOrder: () => number): void {
    for (const k of this.kinds.all()) {
      const mark = this.mark(k);
      if (fromStart) mark.stored = 0;
      this.kinds.kind(k).recover(this.session, mark.stored, (at, ref) => this.push(at, nextOrder(), k, ref));
    }
  }

  /** Books kind `k`'s visit of record `ref` at `at`. */
  book(at: number, order: number, k: number, ref: number): void {
    const mark = this.mark(k);
    this.push(at, order, k, ref);
    // A record below the mark needs a visit again (a replayed status of an older message): the
    // store's mark goes down to it first. `stored` stays, as the next raise is measured from it.
    if (ref < mark.stored) this.store.put(keys.taskMark(this.session.id, this.kinds.name(k)), this.heap.minRef(k));
  }

  /** Drops kind `k`'s tasks whose ref `match` picks. */
  cancel(k: number, match: (ref: number) => boolean): void {
    this.mark(k).count -= this.heap.removeWhere((kk, ref) => kk === k && match(ref));
  }

  /** Removes the earliest task and hands it out. */
  take(): DerivedTask {
    const task = { at: this.heap.topAt(), order: this.heap.topOrder(), kind: this.heap.topKind(), ref: this.heap.topRef() };
    this.heap.pop();
    this.mark(task.kind).count--;
    return task;
  }

  /** After a visit of kind `k` succeeded (and booked what it books): raises the mark now and then. */
  visited(k: number): void {
    const mark = this.mark(k);
    if (mark.count > 0 && ++mark.runs < MARK_EVERY) return;
    mark.runs = 0;
    const low = mark.count > 0 ? this.heap.minRef(k) : mark.high;
    if (low <= mark.stored) return;
    this.store.put(keys.taskMark(this.session.id, this.kinds.name(k)), low);
    mark.stored = low;
  }

  private push(at: number, order: number, k: number, ref: number): void {
    this.heap.push(at, order, k, ref);
    const mark = this.mark(k);
    mark.count++;
    if (ref >= mark.high) mark.high = ref + 1;
  }

  /** Kind `k`'s mark, read from the store the first time. */
  private mark(k: number): Mark {
    this.marks[k] ??= { stored: this.store.get<number>(keys.taskMark(this.session.id, this.kinds.name(k))) ?? 0, high: 0, count: 0, runs: 0 };
    return this.marks[k];
  }
}

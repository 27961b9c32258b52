/**
 * A min-heap of tasks held as numbers: due time, scheduling order, kind and ref, each in a typed
 * array. The scheduler keeps the visits it can derive from stored records here (see
 * `DerivedTaskKind`): every pending one, as a flowing clock has tens of thousands due within
 * seconds, and a frozen one keeps every message's. ~25 bytes a task and no object per task, where
 * a task object cost ~450 bytes of heap (bench/PROFILING.md row 14).
 */

/** What a task of the heap is: read with {@link TaskHeap.forEach}. */
export type HeapTaskVisitor = (at: number, order: number, kind: number, ref: number) => void;

const INITIAL = 64;

export class TaskHeap {
  private at = new Float64Array(INITIAL);
  private order = new Float64Array(INITIAL);
  private ref = new Float64Array(INITIAL);
  private kind = new Uint8Array(INITIAL);
  private n = 0;

  get size(): number {
    return this.n;
  }

  /** Due time of the earliest task (Infinity when empty); ties go to the lower `order`. */
  topAt(): number {
    return this.n === 0 ? Infinity : this.at[0];
  }

  topOrder(): number {
    return this.n === 0 ? Infinity : this.order[0];
  }

  topKind(): number {
    return this.kind[0];
  }

  topRef(): number {
    return this.ref[0];
  }

  /** Adds a task. `kind` is a small index (< 256), `ref` a record's sequence number. */
  push(at: number, order: number, kind: number, ref: number): void {
    if (this.n === this.at.length) this.grow();
    let i = this.n++;
    // Sift up: move parents down until the new task's place is found.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(at, order, parent)) break;
      this.copy(parent, i);
      i = parent;
    }
    this.set(i, at, order, kind, ref);
  }

  /** Removes the earliest task (read it with the `top…` methods first). */
  pop(): void {
    if (this.n === 0) return;
    const last = --this.n;
    if (last === 0) return;
    this.siftDown(0, this.at[last], this.order[last], this.kind[last], this.ref[last]);
  }

  /** Removes every task `drop` says to; returns how many went. O(n): cancels are rare. */
  removeWhere(drop: (kind: number, ref: number) => boolean): number {
    let kept = 0;
    for (let i = 0; i < this.n; i++) {
      if (drop(this.kind[i], this.ref[i])) continue;
      this.copy(i, kept++);
    }
    const removed = this.n - kept;
    this.n = kept;
    // Floyd's heap construction over what is left.
    for (let i = (kept >> 1) - 1; i >= 0; i--) this.siftDown(i, this.at[i], this.order[i], this.kind[i], this.ref[i]);
    return removed;
  }

  /** The lowest ref of the tasks of `kind` (Infinity when there are none). */
  minRef(kind: number): number {
    let min = Infinity;
    for (let i = 0; i < this.n; i++) if (this.kind[i] === kind && this.ref[i] < min) min = this.ref[i];
    return min;
  }

  /** Calls `visit` for every task, in no particular order. */
  forEach(visit: HeapTaskVisitor): void {
    for (let i = 0; i < this.n; i++) visit(this.at[i], this.order[i], this.kind[i], this.ref[i]);
  }

  /** Puts the task (at, order, kind, ref) at `i` or below, moving earlier children up. */
  private siftDown(i: number, at: number, order: number, kind: number, ref: number): void {
    const n = this.n;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.before(this.at[child + 1], this.order[child + 1], child)) child++;
      if (!earlier(this.at[child], this.order[child], at, order)) break;
      this.copy(child, i);
      i = child;
    }
    this.set(i, at, order, kind, ref);
  }

  /** Whether a task (at, order) comes before the one at index `j`. */
  private before(at: number, order: number, j: number): boolean {
    return earlier(at, order, this.at[j], this.order[j]);
  }

  private copy(from: number, to: number): void {
    this.at[to] = this.at[from];
    this.order[to] = this.order[from];
    this.kind[to] = this.kind[from];
    this.ref[to] = this.ref[from];
  }

  private set(i: number, at: number, order: number, kind: number, ref: number): void {
    this.at[i] = at;
    this.order[i] = order;
    this.kind[i] = kind;
    this.ref[i] = ref;
  }

  private grow(): void {
    const size = this.at.length * 2;
    const at = new Float64Array(size);
    const order = new Float64Array(size);
    const ref = new Float64Array(size);
    const kind = new Uint8Array(size);
    at.set(this.at);
    order.set(this.order);
    ref.set(this.ref);
    kind.set(this.kind);
    this.at = at;
    this.order = order;
    this.ref = ref;
    this.kind = kind;
  }
}

/** Task (a, ao) is due before task (b, bo): earlier, or as early and scheduled first. */
function earlier(a: number, ao: number, b: number, bo: number): boolean {
  return a < b || (a === b && ao < bo);
}
